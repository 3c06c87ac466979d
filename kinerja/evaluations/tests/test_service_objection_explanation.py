"""The rater's explanation of an objection (``objection_explanation_request``,
``objection_explain``; PP 30/2019 Ps. 59): the decider asks with a due date (default the year's
``objection_explanation_days``), the rater who rated explains once until the decision, and the
decision waits for the explanation or the due date."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.core.models import Notification
from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationSetting

from .support import WIB, annual_rated_at

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2027, 1, 1, 9, tzinfo=WIB)
ASKED = datetime(2027, 1, 3, 10, tzinfo=WIB)


@pytest.fixture
def objection(cast):
    evaluation = annual_rated_at(cast, RECEIVED)
    return services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Data Desember belum masuk", now=RECEIVED
    )


def ask(cast, objection, **kw):
    return services.objection_explanation_request(
        objection=objection, by=cast.rater_superior, now=ASKED, **kw
    )


def explain(cast, objection, when, who="rater"):
    return services.objection_explain(
        objection=objection, by=cast.users[who], text="Data Desember belum diverifikasi", now=when
    )


def decide(cast, objection, when):
    return services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="upheld", reason="Cukup", now=when
    )


@pytest.mark.parametrize(
    ("days", "due"), [(None, date(2027, 1, 8)), (3, date(2027, 1, 6)), (10, date(2027, 1, 13))]
)
def test_the_due_date_defaults_to_the_years_number_of_days(cast, objection, days, due):
    if days is not None:
        EvaluationSetting.objects.update_or_create(
            valid_from=2026, defaults={"objection_explanation_days": days}
        )
    asked = ask(cast, objection)
    assert (asked.explanation_due, asked.explanation_requested_at) == (due, ASKED)
    assert Notification.objects.filter(
        recipient=cast.rater, title__contains=due.strftime("%d/%m/%Y")
    ).exists()


@pytest.mark.parametrize("who", ["rater", "employee", "head", "pengelola", "admin", "outsider"])
def test_only_the_decider_asks(cast, objection, who):
    with pytest.raises(PermissionDenied):
        services.objection_explanation_request(objection=objection, by=cast.users[who], now=ASKED)


def test_a_due_date_in_the_past_is_refused_and_a_second_request_too(cast, objection):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        ask(cast, objection, due=date(2027, 1, 2))
    assert "due" in error.value.message_dict
    ask(cast, objection, due=date(2027, 1, 10))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        ask(cast, objection)
    assert "already been asked" in str(error.value)


@pytest.mark.parametrize("who", ["rater_superior", "employee", "head", "admin", "colleague"])
def test_only_the_rater_explains(cast, objection, who):
    ask(cast, objection)
    with pytest.raises(PermissionDenied):
        explain(cast, objection, ASKED, who)


def test_the_rater_explains_only_when_asked_and_once(cast, objection):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        explain(cast, objection, ASKED)
    assert "not asked" in str(error.value)
    ask(cast, objection)
    explained = explain(cast, objection, ASKED + timedelta(days=1))
    assert explained.explained_by == cast.employees["rater"]
    assert not explained.explained_late
    assert Notification.objects.filter(
        recipient=cast.rater_superior, title__contains="Ahmad"
    ).exists()
    with pytest.raises(ValidationError):
        explain(cast, objection, ASKED + timedelta(days=2))


#: (explained on, decided on) → the decision is recorded?  The due date is 08/01/2027.
DECISION_TABLE = [
    (None, datetime(2027, 1, 8, 23, 0, tzinfo=WIB), False),  # due date not past, no answer
    (None, datetime(2027, 1, 9, 0, 1, tzinfo=WIB), True),  # due date past
    (datetime(2027, 1, 5, 9, tzinfo=WIB), datetime(2027, 1, 5, 10, tzinfo=WIB), True),
    (datetime(2027, 1, 10, 9, tzinfo=WIB), datetime(2027, 1, 10, 10, tzinfo=WIB), True),  # late
]


@pytest.mark.parametrize(("explained", "decided", "recorded"), DECISION_TABLE)
def test_the_decision_waits_for_the_explanation_or_its_due_date(
    cast, objection, explained, decided, recorded
):
    ask(cast, objection)
    if explained:
        assert explain(cast, objection, explained).explained_late == (explained.day > 8)
    if recorded:
        assert decide(cast, objection, decided).decided
    else:
        with translation.override("en"), pytest.raises(ValidationError) as error:
            decide(cast, objection, decided)
        assert "awaited until 08/01/2027" in str(error.value)


def test_no_explanation_after_the_decision(cast, objection):
    ask(cast, objection)
    decide(cast, objection, datetime(2027, 1, 9, 9, tzinfo=WIB))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        explain(cast, objection, datetime(2027, 1, 9, 10, tzinfo=WIB))
    assert "already decided" in str(error.value)
    with pytest.raises(ValidationError):
        ask(cast, objection)


def test_without_a_request_the_decider_decides_at_once(cast, objection):
    assert decide(cast, objection, ASKED).decision_recorded_by == cast.rater_superior
