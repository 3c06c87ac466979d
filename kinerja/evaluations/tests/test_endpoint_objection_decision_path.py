"""The whole path of issue 5 through the API up to the objection's decision
(``objection_decision``), each step by the persona whose step it is: the employee plans
(supporting a result of the rater), the rater returns and then approves, rates a quarter and
the year, the employee objects, the rater's superior changes the predicate. The plan is of
last year: its year is open for rating (a year is rated from 1 January of the next)."""

import pytest

from kinerja.core.models import AuditRecord, Channel
from kinerja.skp.tests.api_support import INDICATORS, raters_plan

from .support import ANNUAL, Q1, YEAR

pytestmark = pytest.mark.django_db


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def test_plan_to_decision_through_the_api(api, cast):
    support = raters_plan(cast, YEAR).results.get()
    nip = cast.employees["employee"].nip

    # The employee plans.
    plan = ok(api.post(cast.employee, "/api/v1/skp", {"employee": nip, "year": YEAR}), 201)
    assert plan["state"] == "draft"
    rhk = ok(
        api.post(
            cast.employee,
            f"/api/v1/skp/{plan['id']}/rhk",
            {"kind": "utama", "text": "Terlaksananya asuhan keperawatan pasien rawat jalan",
             "supports": support.pk, "indicators": INDICATORS},
        ),
        201,
    )  # fmt: skip
    assert rhk["supports"] == support.pk and len(rhk["indicators"]) == 2
    ok(api.post(cast.employee, f"/api/v1/skp/{plan['id']}/submit"))

    # The rater returns it once, the employee resubmits, the rater approves.
    returned = ok(
        api.post(cast.rater, f"/api/v1/skp/{plan['id']}/return", {"reason": "Naikkan target"})
    )
    assert (returned["state"], returned["return_reason"]) == ("returned", "Naikkan target")
    ok(api.post(cast.employee, f"/api/v1/skp/{plan['id']}/submit"))
    assert ok(api.post(cast.rater, f"/api/v1/skp/{plan['id']}/approve"))["state"] == "approved"

    # The rater rates the first quarter and the year.
    quarter = ok(
        api.post(
            cast.rater,
            f"/api/v1/skp/{plan['id']}/evaluations",
            {"period": Q1, "results_rating": "above", "behaviour_rating": "above"},
        ),
        201,
    )
    assert quarter["predicate"] == "Sangat Baik"
    annual = ok(
        api.post(
            cast.rater,
            f"/api/v1/skp/{plan['id']}/evaluations",
            {"period": ANNUAL, "results_rating": "below", "behaviour_rating": "meets",
             "note": "Cakupan kunjungan rumah kurang"},
        ),
        201,
    )  # fmt: skip
    # The ledger: Q1 Sangat Baik 3 × 150 % × 5 ÷ 12 = 1.88, the other nine months Butuh
    # Perbaikan 9 × 75 % × 5 ÷ 12 = 2.81; the annual rating carries the plan's total.
    assert (annual["predicate"], annual["credit_points"]) == ("Butuh Perbaikan", 4.69)
    seen = ok(api.get(cast.employee, f"/api/v1/skp/{plan['id']}"))
    assert seen["state"] == "rated"
    assert [(e["period"], e["predicate"]) for e in seen["evaluations"]] == [
        (Q1, "Sangat Baik"),
        (ANNUAL, "Butuh Perbaikan"),
    ]

    # The employee objects; the rater may not decide; the rater's superior changes it.
    objection = ok(
        api.post(
            cast.employee,
            f"/api/v1/evaluations/{annual['id']}/objection",
            {"reason": "Kunjungan rumah Desember belum dihitung", "evidence": "Rekap Desember"},
        ),
        201,
    )
    assert ok(api.get(cast.employee, f"/api/v1/skp/{plan['id']}"))["state"] == "objected"
    refused = api.post(
        cast.rater,
        f"/api/v1/objections/{objection['id']}/decision",
        {"outcome": "upheld", "reason": "Tetap"},
    )
    assert refused.status_code == 403
    decided = ok(
        api.post(
            cast.rater_superior,
            f"/api/v1/objections/{objection['id']}/decision",
            {"outcome": "changed", "reason": "Rekap Desember memenuhi target",
             "results_rating": "meets", "behaviour_rating": "meets"},
        )
    )  # fmt: skip
    assert (decided["predicate"], decided["state"], decided["evaluation_state"]) == (
        "Baik",
        "decided",
        "final",
    )
    final = ok(api.get(cast.employee, f"/api/v1/evaluations/{annual['id']}"))
    # The ledger follows the decision: 1.88 (Q1) + nine months Baik 3.75
    assert (final["predicate"], final["credit_points"], final["state"]) == ("Baik", 5.63, "final")
    assert ok(api.get(cast.employee, f"/api/v1/skp/{plan['id']}"))["state"] == "final"

    # Each change is in the audit trail, attributed to its persona through the API door.
    actions = set(
        AuditRecord.objects.filter(channel=Channel.API).values_list("actor__username", "action")
    )
    assert {
        (cast.employee.username, "create"),
        (cast.employee.username, "object"),
        (cast.rater.username, "rate"),
        (cast.rater_superior.username, "decide"),
    } <= actions
