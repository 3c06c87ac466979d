"""POST /api/v1/evaluations/{id}/correction (``evaluation_correction``): the rater's superior
corrects a rating whose deadline has passed, the rater one still open; the earlier rating is
kept in ``corrections`` (also in ``GET /evaluations/{id}``) and the employee is told; anyone
else 403, those who cannot see the plan 404, bad input 422 naming the field, an annual
predicate objected to 409.

The API runs at the real moment: last year's periods are past their deadline whatever today is;
a period still open is made so by the year's calendar (rating opens 366 days before the end)."""

import pytest
from django.utils import timezone

from kinerja.core.models import Notification
from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationCorrection
from kinerja.skp.models import SkpCalendar
from kinerja.skp.tests.api_support import fields
from kinerja.skp.tests.factories import approved_plan

from .support import ANNUAL, Q1, YEAR

pytestmark = pytest.mark.django_db

BODY = {"results_rating": "above", "behaviour_rating": "above", "reason": "Data Maret masuk"}


def correction(api, user, evaluation_id, **body):
    return api.post(user, f"/api/v1/evaluations/{evaluation_id}/correction", BODY | body)


@pytest.fixture
def closed(cast):
    """Last year's TW I rating: its deadline has passed."""
    return services.evaluation_rate(
        skp=approved_plan(cast, year=YEAR), by=cast.rater, period=Q1, results_rating="meets",
        behaviour_rating="meets",
    )  # fmt: skip


@pytest.fixture
def still_open(cast):
    """This year's annual rating, open now: the year's calendar opens rating 366 days early."""
    year = timezone.localdate().year
    SkpCalendar.objects.create(valid_from=year, rating_opens_days_before=366)
    return services.evaluation_rate(
        skp=approved_plan(cast, year=year), by=cast.rater, period=str(year),
        results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip


def test_the_raters_superior_corrects_after_the_deadline_and_the_earlier_rating_stays(
    api, cast, closed
):
    response = correction(api, cast.rater_superior, closed.pk)
    assert response.status_code == 200, response.content
    shown = response.json()
    assert (shown["results_rating"], shown["predicate"]) == ("above", "Sangat Baik")
    [entry] = shown["corrections"]
    assert entry["by"] == cast.employees["rater_superior"].nip
    assert entry["reason"] == "Data Maret masuk"
    assert entry["before"] == {
        "results": "meets", "behaviour": "meets", "predicate": "Baik", "credit_points": "1.250",
    }  # fmt: skip  # a Terampil's quarter Baik: 3 ÷ 12 × 100 % × 5 (the ledger, PerBKN 3/2023)
    assert entry["after"]["predicate"] == "Sangat Baik"
    assert entry["at"] is not None
    read = api.get(cast.employee, f"/api/v1/evaluations/{closed.pk}").json()
    assert read["corrections"] == shown["corrections"]
    # the employee is told, in her own language (Indonesian: kinerja.core.texts)
    assert Notification.objects.filter(
        recipient=cast.employee, title__contains="dikoreksi", link=f"/skp/{closed.skp_id}/"
    )


def test_the_rater_corrects_a_period_still_open(api, cast, still_open):
    response = correction(api, cast.rater, still_open.pk)
    assert response.status_code == 200, response.content
    assert response.json()["corrections"][0]["by"] == cast.employees["rater"].nip
    assert correction(api, cast.rater_superior, still_open.pk).status_code == 403


@pytest.mark.parametrize("who", ["rater", "employee", "pengelola", "head", "admin"])
def test_after_the_deadline_only_the_raters_superior_corrects(api, cast, closed, who):
    response = correction(api, cast.users[who], closed.pk)
    assert response.status_code == 403
    assert "error" in response.json()
    assert not EvaluationCorrection.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_head", "colleague"])
def test_those_who_cannot_see_the_plan_get_not_found(api, cast, closed, who):
    assert correction(api, cast.users[who], closed.pk).status_code == 404
    assert correction(api, cast.rater_superior, 999999).status_code == 404


def test_anonymous_is_asked_to_authenticate(api, closed):
    assert correction(api, None, closed.pk).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"results_rating": "great"}, "results_rating"),
        ({"behaviour_rating": None}, "behaviour_rating"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(api, cast, closed, body, field):
    response = correction(api, cast.rater_superior, closed.pk, **body)
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert not EvaluationCorrection.objects.exists()


def test_an_annual_predicate_objected_to_is_a_conflict(api, cast):
    evaluation = services.evaluation_rate(
        skp=approved_plan(cast, year=YEAR), by=cast.rater, period=ANNUAL,
        results_rating="below", behaviour_rating="meets",
    )  # fmt: skip
    services.objection_file(evaluation=evaluation, by=cast.employee, reason="Data belum masuk")
    response = correction(api, cast.rater_superior, evaluation.pk)
    assert response.status_code == 409
    assert "objection" in response.json()["error"]
