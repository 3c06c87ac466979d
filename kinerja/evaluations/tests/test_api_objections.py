"""POST /api/v1/evaluations/{id}/objection and POST /api/v1/objections/{id}/decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation, EvaluationState, Objection
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.tests.api_support import Api, fields
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def annual(cast):
    """The employee's annual rating (Butuh Perbaikan), received just now."""
    skp = approved_plan(cast)
    return services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026", results_rating="below", behaviour_rating="meets"
    )


def object_to(api, user, evaluation, **body):
    body = {"reason": "Realisasi Desember belum dihitung"} | body
    return api.post(user, f"/api/v1/evaluations/{evaluation.pk}/objection", body)


def decide(api, user, objection_id, **body):
    body = {"outcome": "upheld", "reason": "Data sudah lengkap"} | body
    return api.post(user, f"/api/v1/objections/{objection_id}/decision", body)


def test_the_employee_objects_and_the_raters_superior_changes_the_predicate(api, cast, annual):
    response = object_to(api, cast.employee, annual, evidence="Rekap loket Desember")
    assert response.status_code == 201, response.content
    objection = response.json()
    assert (objection["state"], objection["evaluation"], objection["evidence"]) == (
        "pending",
        annual.pk,
        "Rekap loket Desember",
    )
    assert objection["decider"] == cast.employees["rater_superior"].nip
    assert (objection["predicate"], objection["evaluation_state"]) == (
        "Butuh Perbaikan",
        "objected",
    )
    assert Skp.objects.get(pk=annual.skp_id).state == SkpState.OBJECTED

    response = decide(
        api, cast.rater_superior, objection["id"], outcome="changed",
        reason="Data Desember lengkap", results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["state"], decided["outcome"], decided["predicate"]) == (
        "decided",
        "changed",
        "Baik",
    )
    assert decided["before"]["predicate"] == "Butuh Perbaikan"
    assert decided["evaluation_state"] == "final"
    evaluation = api.get(cast.employee, f"/api/v1/evaluations/{annual.pk}").json()
    assert (evaluation["predicate"], evaluation["credit_points"]) == ("Baik", 5)
    assert evaluation["objection"]["decision_reason"] == "Data Desember lengkap"
    assert Skp.objects.get(pk=annual.skp_id).state == SkpState.FINAL


def test_an_upheld_objection_keeps_the_predicate_and_makes_it_final(api, cast, annual):
    objection = object_to(api, cast.employee, annual).json()
    response = decide(api, cast.rater_superior, objection["id"])
    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["predicate"]) == (
        "upheld",
        "Butuh Perbaikan",
    )
    assert Evaluation.objects.get().state == EvaluationState.FINAL


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


@pytest.mark.parametrize("who", ["rater", "employee", "head", "pengelola", "admin"])
def test_only_the_raters_superior_decides(api, cast, annual, who):
    objection = object_to(api, cast.employee, annual).json()
    response = decide(api, cast.users[who], objection["id"])
    assert response.status_code == 403
    assert response.json()["error"] == "Only the rater's superior decides an objection."
    assert Objection.objects.get().decided_at is None


def test_a_decided_objection_is_not_decided_again(api, cast, annual):
    objection = object_to(api, cast.employee, annual).json()
    assert decide(api, cast.rater_superior, objection["id"]).status_code == 200
    response = decide(
        api, cast.rater_superior, objection["id"], outcome="changed",
        results_rating="above", behaviour_rating="above",
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["error"] == "This objection is already decided; the decision is final."
    assert Evaluation.objects.get().predicate == "Butuh Perbaikan"


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


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "partly"}, "outcome"),
        ({"reason": ""}, "reason"),
        ({"reason": "\x00"}, "reason"),
        ({"outcome": "changed"}, "results_rating"),
        ({"outcome": "changed", "results_rating": "meets"}, "behaviour_rating"),
        (
            {"outcome": "changed", "results_rating": "top", "behaviour_rating": "meets"},
            "results_rating",
        ),
        (
            {"outcome": "changed", "results_rating": "below", "behaviour_rating": "meets"},
            "results_rating",
        ),
    ],
)
def test_a_bad_decision_names_the_field_and_changes_nothing(api, cast, annual, body, field):
    objection = object_to(api, cast.employee, annual).json()
    response = decide(api, cast.rater_superior, objection["id"], **body)
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert Objection.objects.get().decided_at is None
    assert Evaluation.objects.get().predicate == "Butuh Perbaikan"


@pytest.mark.parametrize("who", ["outsider", "colleague", "other_head"])
def test_those_who_cannot_see_the_plan_get_not_found(api, cast, annual, who):
    response = object_to(api, cast.users[who], annual)
    assert response.status_code == 404
    objection = object_to(api, cast.employee, annual).json()
    response = decide(api, cast.users[who], objection["id"])
    assert response.status_code == 404
    assert response.json() == {"error": "Objection not found."}


def test_an_unknown_objection_is_not_found(api, cast):
    assert decide(api, cast.rater_superior, 999999).status_code == 404


def test_anonymous_is_asked_to_authenticate(api, cast, annual):
    assert object_to(api, None, annual).status_code == 401
    assert decide(api, None, 1).status_code == 401
