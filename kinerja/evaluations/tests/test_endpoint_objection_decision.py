"""POST /api/v1/objections/{id}/decision (``objection_decision``): the rater's superior
changes the predicate or upholds it, and it is final; only the rater's superior decides, once;
a bad decision changes nothing; an unknown objection is not found."""

import pytest
from django.utils import timezone

from kinerja.evaluations.models import Evaluation, EvaluationState, Objection
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.tests.api_support import fields

from .api_support import decide, object_to
from .test_service_objection_jpt import jpt_annual, other_agencys_administrator

pytestmark = pytest.mark.django_db


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


def test_an_unknown_objection_is_not_found(api, cast):
    assert decide(api, cast.rater_superior, 999999).status_code == 404


def test_a_jpts_objection_is_decided_by_the_regions_administrator(api, cast):
    evaluation = jpt_annual(cast)
    evaluation.delivered_at = timezone.now()
    evaluation.save(update_fields=["delivered_at"])
    objection = object_to(api, cast.head, evaluation).json()
    assert (objection["decider"], objection["decided_for_region_head"]) == (None, True)
    assert decide(api, cast.head, objection["id"]).status_code == 403
    assert decide(api, cast.pengelola, objection["id"]).status_code == 403
    assert decide(api, other_agencys_administrator(cast), objection["id"]).status_code == 404
    response = decide(api, cast.admin, objection["id"])
    assert response.status_code == 200, response.content
    assert response.json()["decision_recorded_by"] == cast.admin.username
