"""The annual closing (``services.annual_close``): final predicates once the objection period is
over, credit points of functional positions, the curve of every unit — in a bounded number of
queries whatever the number of evaluations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.evaluations import services
from kinerja.evaluations.models import CreditEntry, Evaluation, EvaluationState, OrgEvaluation
from kinerja.evaluations.services import annual_close
from kinerja.evaluations.services.closing import FINAL_REASON
from kinerja.organizations.models import Employee
from kinerja.skp.models import Skp, SkpState, SkpTransition
from kinerja.skp.tests.factories import approved_plan
from kinerja.testing.factories import make_nip

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"
RATINGS = {SB: ("above", "above"), B: ("meets", "meets"), BP: ("below", "meets"),
           KM: ("meets", "below"), SK: ("below", "below")}  # fmt: skip


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


_numbers = iter(range(500, 100_000))


def rated(cast, count, *, predicate=B, year=2026, unit="pkm", position="perawat",
          level="terampil", kind="jf", delivered=None, state=EvaluationState.RATED,
          months=12, credit_points=None) -> list[Evaluation]:  # fmt: skip
    """``count`` employees of ``position`` with an annual evaluation of ``year``, stored
    directly (as the benchmark does); received on ``delivered`` (default 5 January after)."""
    delivered = delivered or wib(year + 1, 1, 5, 9)
    unit_row, position_row = cast.units[unit], cast.positions[position]
    rater = cast.employees["rater"]
    employees = Employee.objects.bulk_create(
        Employee(nip=make_nip(next(_numbers)), name=f"Pegawai {i}", status="pns", rank="III/a",
                 unit=unit_row, position=position_row)
        for i in range(count)
    )  # fmt: skip
    plans = Skp.objects.bulk_create(
        Skp(employee=e, year=year, position=position_row, position_name=position_row.name,
            position_kind=kind, position_level=level, unit=unit_row, rater=rater,
            rater_superior=cast.employees["rater_superior"], state=SkpState.RATED,
            starts_on=date(year, 13 - months, 1))  # the plan's months, as the ledger counts
        for e in employees
    )  # fmt: skip
    results, behaviour = RATINGS[predicate]
    return Evaluation.objects.bulk_create(
        Evaluation(skp=p, period=str(year), annual=True, results_rating=results,
                   behaviour_rating=behaviour, predicate=predicate, rated_by=rater,
                   rated_at=delivered, delivered_at=delivered, state=state, months=months,
                   credit_points=credit_points)
        for p in plans
    )  # fmt: skip


# --- Final predicates --------------------------------------------------------------------------


def _rate(cast, who, when, results="meets", behaviour="meets"):
    skp = approved_plan(cast, who)
    rater = cast.users["rater_superior" if who == "pengelola" else "rater"]
    return services.evaluation_rate(
        skp=skp, by=rater, period="2026", results_rating=results, behaviour_rating=behaviour,
        now=when,
    )  # fmt: skip


def test_only_ratings_whose_objection_period_is_over_become_final(cast):
    expired = _rate(cast, "employee", wib(2027, 1, 1, 9))  # may object until 15 January
    still_open = _rate(cast, "colleague", wib(2027, 1, 10, 9))  # until 24 January
    objected = _rate(cast, "pengelola", wib(2027, 1, 1, 9))
    services.objection_file(
        evaluation=objected, by=cast.pengelola, reason="Realisasi Desember belum dihitung",
        now=wib(2027, 1, 5, 9),
    )  # fmt: skip

    summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 1, 20, 9))

    assert (summary.evaluations, summary.finalised, summary.still_open, summary.objected) == (
        3, 1, 1, 1,
    )  # fmt: skip
    states = dict(Evaluation.objects.values_list("pk", "state"))
    assert states == {
        expired.pk: EvaluationState.FINAL,
        still_open.pk: EvaluationState.RATED,
        objected.pk: EvaluationState.OBJECTED,
    }
    plans = dict(Skp.objects.values_list("pk", "state"))
    assert plans[expired.skp_id] == SkpState.FINAL
    assert plans[still_open.skp_id] == SkpState.RATED
    assert plans[objected.skp_id] == SkpState.OBJECTED


def test_the_last_day_of_the_objection_period_still_belongs_to_the_employee(cast):
    evaluation = _rate(cast, "employee", wib(2027, 1, 1, 9))
    assert annual_close(by=SYSTEM, year=2026, now=wib(2027, 1, 15, 23, 59)).finalised == 0
    assert annual_close(by=SYSTEM, year=2026, now=wib(2027, 1, 16, 0, 0, 1)).finalised == 1
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.FINAL


def test_each_final_plan_records_its_transition_and_an_audit_record(cast):
    evaluation = _rate(cast, "employee", wib(2027, 1, 1, 9))
    annual_close(by=SYSTEM, year=2026, now=wib(2027, 1, 20, 9))
    transition = SkpTransition.objects.filter(skp=evaluation.skp).latest("pk")
    assert (transition.from_state, transition.to_state, transition.reason) == (
        SkpState.RATED, SkpState.FINAL, FINAL_REASON,
    )  # fmt: skip
    record = AuditRecord.objects.filter(action="transition").latest("seq")
    assert record.object_id == evaluation.skp.audit_key
    assert (record.before, record.after, record.agency_code) == (
        {"state": "rated"}, {"state": "final"}, "DINKES",
    )  # fmt: skip


def test_closing_again_changes_nothing(cast):
    rated(cast, 3)
    now = wib(2027, 2, 1, 9)
    first = annual_close(by=SYSTEM, year=2026, now=now)
    records = AuditRecord.objects.count()
    second = annual_close(by=SYSTEM, year=2026, now=now)
    assert (first.finalised, second.finalised) == (3, 0)
    assert (second.final, second.credit_points_changed) == (3, 0)
    assert AuditRecord.objects.count() == records
    assert SkpTransition.objects.filter(to_state=SkpState.FINAL).count() == 3


def test_a_rating_never_delivered_waits(cast):
    evaluations = rated(cast, 2)
    Evaluation.objects.filter(pk=evaluations[0].pk).update(delivered_at=None)
    summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    assert (summary.finalised, summary.undelivered) == (1, 1)


def test_one_agency_is_closed_without_touching_the_others(cast):
    rated(cast, 2)
    rated(cast, 1, unit="dukcapil", position="operator", kind="pelaksana", level="")
    summary = annual_close(by=SYSTEM, year=2026, agency=cast.dukcapil, now=wib(2027, 3, 1, 9))
    assert (summary.evaluations, summary.finalised, summary.agency) == (1, 1, "DUKCAPIL")
    assert Evaluation.objects.filter(state=EvaluationState.RATED).count() == 2


def test_other_years_are_left_alone(cast):
    rated(cast, 2, year=2025)
    assert annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9)).evaluations == 0
    assert not Evaluation.objects.filter(state=EvaluationState.FINAL).exists()


@pytest.mark.parametrize(
    "kwargs",
    [{"year": 1999}, {"year": "2026"}, {"year": 2026, "now": datetime(2027, 3, 1)}],  # noqa: DTZ001
    ids=["a year out of range", "a year as text", "a naive moment"],
)
def test_bad_arguments_are_refused_and_change_nothing(cast, kwargs):
    rated(cast, 1)
    with pytest.raises(ValueError):
        annual_close(by=SYSTEM, **kwargs)
    assert not Evaluation.objects.filter(state=EvaluationState.FINAL).exists()


# --- Credit points -----------------------------------------------------------------------------

# (jenjang, predicate, months, credit points) — domain.md §3.3
CREDIT_POINTS = [
    ("ahli_pertama", B, 2, "2.08"),  # the domain's example
    ("ahli_pertama", SB, 12, "18.75"),
    ("ahli_muda", BP, 6, "9.38"),
    ("ahli_madya", KM, 12, "18.75"),
    ("ahli_utama", SK, 12, "12.50"),
    ("terampil", B, 12, "5.00"),
    ("mahir", SB, 3, "4.69"),
    ("penyelia", BP, 12, "18.75"),
]


@pytest.mark.parametrize(("level", "predicate", "months", "expected"), CREDIT_POINTS)
def test_credit_points_follow_the_rule_of_the_year(cast, level, predicate, months, expected):
    (evaluation,) = rated(cast, 1, level=level, predicate=predicate, months=months)
    summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    evaluation.refresh_from_db()
    assert evaluation.credit_points == Decimal(expected)
    assert (summary.credit_points_computed, summary.credit_points_changed) == (1, 1)


def test_a_wrong_credit_point_value_is_corrected_and_audited(cast):
    (evaluation,) = rated(cast, 1, credit_points=Decimal("99"))
    annual_close(by=SYSTEM, year=2026, now=wib(2026, 2, 1, 9))  # before it is due: only the points
    evaluation.refresh_from_db()
    assert evaluation.credit_points == Decimal("5.00")
    record = AuditRecord.objects.filter(action="update").latest("seq")
    assert (record.before, record.after) == ({"credit_points": "99.000"}, {"credit_points": "5.00"})


def test_positions_other_than_functional_have_no_credit_points(cast):
    (evaluation,) = rated(
        cast, 1, unit="yankes", position="analis", kind="pelaksana", level="",
        credit_points=Decimal("3"),
    )  # fmt: skip
    summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    evaluation.refresh_from_db()
    assert evaluation.credit_points is None
    assert (summary.credit_points_computed, summary.credit_points_changed) == (0, 1)


# --- The curve ---------------------------------------------------------------------------------


def test_the_curve_is_checked_per_unit_against_its_organisation_predicate(cast):
    rated(cast, 4, predicate=SB)  # Puskesmas Plaju, organisation predicate Baik
    rated(cast, 6, unit="yankes", position="analis", kind="pelaksana", level="", predicate=SB)
    rated(cast, 3, unit="yankes", position="analis", kind="pelaksana", level="", predicate=B)
    rated(cast, 1, unit="yankes", position="analis", kind="pelaksana", level="", predicate=BP)
    rated(cast, 2, unit="dinkes", position="kadis", kind="jpt", level="pratama")
    OrgEvaluation.objects.create(unit=cast.units["pkm"], period="2026", predicate="Baik")
    OrgEvaluation.objects.create(unit=cast.units["yankes"], period="2026", predicate="Istimewa")
    OrgEvaluation.objects.create(unit=cast.units["pkm"], period="2026-Q4", predicate="Kurang")

    with override("en"):
        summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))

    assert (summary.units_checked, summary.units_with_warnings) == (3, 1)
    assert [u.code for u in summary.units_without_org_predicate] == ["DINKES"]
    assert list(summary.warnings) == ["DINKES-PKM-PLAJU"]
    messages = [w.message for w in summary.warnings["DINKES-PKM-PLAJU"]]
    assert messages == [
        "More than half should be Baik (now 0.0 %).",
        "At least 1 employee(s) should be Butuh Perbaikan + Kurang/Misconduct (now 0).",
    ]
    yankes = next(u for u in summary.units if u.code == "DINKES-YANKES")
    assert (yankes.org_predicate, yankes.counts, yankes.total) == (
        "Istimewa", {SB: 6, B: 3, BP: 1}, 10,
    )  # fmt: skip


def test_a_year_without_annual_evaluations_checks_no_unit(cast):
    summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    assert (summary.evaluations, summary.units_checked, summary.warnings) == (0, 0, {})


# --- Cost --------------------------------------------------------------------------------------

MAX_QUERIES = 40


def _population(cast, n):
    """``n`` evaluations due, a third of them in a second unit, all with stale credit points."""
    rated(cast, n - n // 3)
    rated(cast, n // 3, unit="yankes", position="analis", kind="pelaksana", level="",
          predicate=BP, credit_points=Decimal("1"))  # fmt: skip
    OrgEvaluation.objects.create(unit=cast.units["pkm"], period="2026", predicate="Baik")


@pytest.mark.parametrize("n", [3, 30])
def test_the_closing_makes_a_bounded_number_of_queries(cast, n, django_assert_max_num_queries):
    _population(cast, n)
    with django_assert_max_num_queries(MAX_QUERIES):
        summary = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    assert (summary.finalised, summary.credit_points_changed) == (n, n)


def test_thirty_evaluations_cost_as_many_queries_as_three(cast):
    rated(cast, 3, year=2025)
    rated(cast, 30, year=2026)
    counts = []
    for year in (2025, 2026):
        with CaptureQueriesContext(connection) as queries:
            annual_close(by=SYSTEM, year=year, now=wib(2027, 3, 1, 9))
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Who may close -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "SYSTEM"])
def test_the_regions_administrator_and_the_installation_close_the_region(cast, who):
    rated(cast, 2, delivered=wib(2027, 1, 5, 9))
    by = SYSTEM if who == "SYSTEM" else cast.users[who]
    assert annual_close(by=by, year=2026, now=wib(2027, 3, 1, 9)).finalised == 2


@pytest.mark.parametrize("who", ["pengelola", "head", "rater", "employee", "auditor", "outsider"])
def test_nobody_else_closes_the_region_and_nothing_changes(cast, who):
    rated(cast, 2, delivered=wib(2027, 1, 5, 9))
    with pytest.raises(PermissionDenied):
        annual_close(by=cast.users[who], year=2026, now=wib(2027, 3, 1, 9))
    assert not Evaluation.objects.filter(state=EvaluationState.FINAL).exists()


def test_an_agencys_performance_administrator_closes_their_own_agency_only(cast):
    rated(cast, 2, delivered=wib(2027, 1, 5, 9))  # DINKES
    with pytest.raises(PermissionDenied):
        annual_close(by=cast.pengelola, year=2026, agency=cast.dukcapil, now=wib(2027, 3, 1, 9))
    summary = annual_close(by=cast.pengelola, year=2026, agency=cast.dinkes, now=wib(2027, 3, 1, 9))
    assert (summary.agency, summary.finalised) == ("DINKES", 2)
    transition = SkpTransition.objects.filter(to_state=SkpState.FINAL).first()
    assert transition.by == cast.pengelola


def test_the_closing_writes_the_ledger_entries_and_a_second_run_changes_nothing(cast):
    evaluations = rated(cast, 3, level="ahli_pertama", predicate=B, months=2)
    annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 1, 9))
    entries = CreditEntry.objects.filter(evaluation__in=evaluations).order_by("pk")
    assert [(e.period, e.months, e.first_month, e.last_month, e.points) for e in entries] == [
        ("2026", 2, 11, 12, Decimal("2.08"))
    ] * 3
    again = annual_close(by=SYSTEM, year=2026, now=wib(2027, 3, 2, 9))
    assert (again.credit_points_computed, again.credit_points_changed) == (3, 0)
    assert CreditEntry.objects.count() == 3
