"""POST /api/v1/evaluations/{id}/objection (``objection_create``): the employee objects to the
annual predicate within the objection period (the last day still accepted); a repeated or late
objection, one to a periodic rating and a bad one refused; only the employee objects; and, for
objections and decisions, those who cannot see the plan get not found, anonymous callers are
asked to authenticate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation, EvaluationState, Objection
from kinerja.skp.tests.api_support import fields
from kinerja.skp.tests.factories import approved_plan

from .api_support import decide, object_to

pytestmark = pytest.mark.django_db


def test_a_repeated_objection_is_refused_with_a_clear_message(api, cast, annual):
    assert object_to(api, cast.employee, annual).status_code == 201
    response = object_to(api, cast.employee, annual, reason="Sekali lagi")
    assert response.status_code == 409
    assert response.json()["error"] == (
        "You have already objected to this predicate; the decision is final."
    )
    assert Objection.objects.count() == 1


def test_a_late_objection_is_refused_with_the_day_the_period_ended(api, cast, annual):
    received = timezone.now() - timedelta(days=15)
    Evaluation.objects.filter(pk=annual.pk).update(delivered_at=received)
    deadline = timezone.localtime(received).date() + timedelta(days=14)
    response = object_to(api, cast.employee, annual)
    assert response.status_code == 409
    assert response.json()["error"] == (
        f"The objection period ended on {deadline:%d/%m/%Y} (14 days after you received the "
        "predicate)."
    )
    assert not Objection.objects.exists()
    assert Evaluation.objects.get().state == EvaluationState.RATED


def test_an_objection_on_the_last_day_is_still_accepted(api, cast, annual):
    received = timezone.now() - timedelta(days=14)
    Evaluation.objects.filter(pk=annual.pk).update(delivered_at=received)
    assert object_to(api, cast.employee, annual).status_code == 201


def test_a_periodic_rating_cannot_be_objected_to(api, cast):
    skp = approved_plan(cast)
    quarter = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="below", behaviour_rating="meets"
    )
    response = object_to(api, cast.employee, quarter)
    assert response.status_code == 409
    assert response.json()["error"] == "An objection concerns the annual predicate only."


@pytest.mark.parametrize("who", ["rater", "rater_superior", "head", "pengelola", "admin"])
def test_only_the_employee_objects(api, cast, annual, who):
    response = object_to(api, cast.users[who], annual)
    assert response.status_code == 403
    assert response.json()["error"] == "Only the employee objects to their own predicate."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"reason": "Tidak\x00adil"}, "reason"),
        ({"evidence": "a\x00"}, "evidence"),
    ],
)
def test_a_bad_objection_names_the_field_and_stores_nothing(api, cast, annual, body, field):
    response = object_to(api, cast.employee, annual, **body)
    assert response.status_code == 422
    assert fields(response) == [field]
    assert not Objection.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "colleague", "other_head"])
def test_those_who_cannot_see_the_plan_get_not_found(api, cast, annual, who):
    response = object_to(api, cast.users[who], annual)
    assert response.status_code == 404
    objection = object_to(api, cast.employee, annual).json()
    response = decide(api, cast.users[who], objection["id"])
    assert response.status_code == 404
    assert response.json() == {"error": "Objection not found."}


def test_anonymous_is_asked_to_authenticate(api, cast, annual):
    assert object_to(api, None, annual).status_code == 401
    assert decide(api, None, 1).status_code == 401
