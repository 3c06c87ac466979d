"""The evaluation path through the services: feedback, self-assessment, realisation, rating
with a suggestion, predicate, objection, decision, development plan (domain.md §3)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.evaluations import services
from kinerja.evaluations.models import DevelopmentState, EvaluationState, FeedbackRole
from kinerja.evaluations.selectors import unit_curve
from kinerja.skp import services as skp_services
from kinerja.skp.models import SkpState
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def test_feedback_comes_from_rater_peers_and_subordinates_and_the_employee_replies(cast):
    skp = approved_plan(cast)
    rhk = skp.results.get()
    first = services.feedback_post(
        skp=skp, by=cast.rater, text="Bagus", tag="appreciation", rhk=rhk
    )
    peer = services.feedback_post(
        skp=skp, by=cast.colleague, text="Lebih teliti", tag="improvement", rhk=rhk
    )
    reply = services.feedback_post(skp=skp, by=cast.employee, text="Terima kasih", parent=first)
    assert (first.author_role, peer.author_role, reply.author_role) == (
        FeedbackRole.RATER,
        FeedbackRole.PEER,
        FeedbackRole.EMPLOYEE,
    )
    assert reply.rhk == rhk
    with pytest.raises(PermissionDenied):
        services.feedback_post(skp=skp, by=cast.outsider, text="x", tag="appreciation", rhk=rhk)
    with pytest.raises(ValidationError):
        services.feedback_post(
            skp=skp, by=cast.employee, text="Saya hebat", tag="appreciation", rhk=rhk
        )


def test_the_rating_keeps_the_suggestion_beside_the_raters_choice(cast):
    skp = approved_plan(cast)
    iki_count, iki_quality = skp.results.get().indicators.order_by("number")
    skp_services.realisation_record(iki=iki_count, period="2026-Q1", value="330", by=cast.employee)
    skp_services.realisation_record(iki=iki_quality, period="2026-Q1", value="85", by=cast.employee)
    services.self_assess(skp=skp, by=cast.employee, period="2026-Q1", text="Target tercapai")
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="meets", behaviour_rating="above"
    )
    # 1200 patients a year → 300 in a quarter: 330 → 110 %; 85 within 80–90 → 100 %;
    # mean 105 % → "meets" (above from 110)
    assert evaluation.suggestion["mean_pct"] == "105.00"
    assert evaluation.suggested_results == "meets"
    assert evaluation.predicate == "Baik"
    skp.refresh_from_db()
    assert skp.state == SkpState.EVALUATING
    with pytest.raises(ValidationError):
        services.self_assess(skp=skp, by=cast.employee, period="2026-Q1", text="Terlambat")


@pytest.mark.parametrize(
    "who", ["employee", "rater_superior", "colleague", "pengelola", "admin", "outsider"]
)
def test_nobody_but_the_rater_rates(cast, who):
    skp = approved_plan(cast)
    with pytest.raises(PermissionDenied):
        services.evaluation_rate(
            skp=skp,
            by=cast.users[who],
            period="2026-Q1",
            results_rating="meets",
            behaviour_rating="meets",
        )


def test_a_period_outside_the_agencys_rhythm_is_refused(cast):
    skp = approved_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.evaluation_rate(
            skp=skp,
            by=cast.rater,
            period="2026-03",
            results_rating="meets",
            behaviour_rating="meets",
        )
    assert "period" in error.value.message_dict
    services.rhythm_set(agency=cast.dinkes, year=2026, rhythm="monthly", by=cast.pengelola)
    services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-03", results_rating="meets", behaviour_rating="meets"
    )


def test_a_weak_predicate_opens_a_development_plan_followed_up_later(cast):
    skp = approved_plan(cast)
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="below", behaviour_rating="meets"
    )
    assert evaluation.predicate == "Butuh Perbaikan"
    plan = skp.development_plans.get()
    assert plan.opened_by_evaluation == evaluation
    with pytest.raises(ValidationError):
        services.development_agree(plan=plan, by=cast.employee)  # no action yet
    services.development_action_add(
        plan=plan,
        by=cast.rater,
        kind="training",
        description="Pelatihan asuhan keperawatan",
        owner="Kepala Puskesmas",
        due_on=date(2026, 6, 30),
    )
    services.development_agree(plan=plan, by=cast.employee)
    plan = services.development_agree(plan=plan, by=cast.rater)
    assert plan.state == DevelopmentState.AGREED
    plan = services.development_follow_up(
        plan=plan, by=cast.rater, text="Pelatihan selesai", done=[plan.actions.get().pk], close=True
    )
    assert plan.state == DevelopmentState.CLOSED
    assert plan.actions.get().done_on is not None


def _annual(cast, when):
    skp = approved_plan(cast)
    return services.evaluation_rate(
        skp=skp,
        by=cast.rater,
        period="2026",
        results_rating="below",
        behaviour_rating="meets",
        now=when,
    )


def test_the_annual_rating_gives_credit_points_to_a_functional_position(cast):
    evaluation = _annual(cast, datetime(2026, 12, 1, 9, tzinfo=WIB))
    # Perawat Terampil (coefficient 5), Butuh Perbaikan (75 %), 12 months → 3.75
    assert evaluation.credit_points == Decimal("3.75")
    assert evaluation.skp.state == SkpState.RATED


def test_an_objection_within_14_days_is_decided_by_the_raters_superior_then_final(cast):
    received = datetime(2026, 12, 1, 9, tzinfo=WIB)
    evaluation = _annual(cast, received)
    objection = services.objection_file(
        evaluation=evaluation,
        by=cast.employee,
        reason="Realisasi Desember belum dihitung",
        now=received + timedelta(days=14),
    )
    with pytest.raises(PermissionDenied):
        services.objection_decide(objection=objection, by=cast.rater, outcome="upheld", reason="x")
    services.objection_decide(
        objection=objection,
        by=cast.rater_superior,
        outcome="changed",
        reason="Data Desember lengkap",
        results_rating="meets",
        behaviour_rating="meets",
    )
    evaluation.refresh_from_db()
    assert (evaluation.predicate, evaluation.state) == ("Baik", EvaluationState.FINAL)
    assert evaluation.credit_points == Decimal("5")
    assert evaluation.skp.state == SkpState.FINAL
    objection.refresh_from_db()
    assert objection.before["predicate"] == "Butuh Perbaikan"
    with pytest.raises(ValidationError):
        services.objection_decide(
            objection=objection, by=cast.rater_superior, outcome="upheld", reason="x"
        )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.objection_file(
            evaluation=evaluation, by=cast.employee, reason="Lagi", now=received
        )
    assert "already objected" in str(error.value)


def test_a_late_objection_is_refused_with_the_date_it_ended(cast):
    received = datetime(2026, 12, 1, 9, tzinfo=WIB)
    evaluation = _annual(cast, received)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.objection_file(
            evaluation=evaluation,
            by=cast.employee,
            reason="x",
            now=datetime(2026, 12, 16, 0, 0, tzinfo=WIB),
        )
    assert "15/12/2026" in str(error.value)


def test_the_unit_curve_warns_when_the_org_predicate_is_broken(cast):
    skp = approved_plan(cast)
    services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="above", behaviour_rating="above"
    )
    unit = skp.unit
    with pytest.raises(PermissionDenied):
        services.org_predicate_set(
            unit=unit, period="2026-Q1", predicate="Kurang", by=cast.employee
        )
    services.org_predicate_set(
        unit=unit, period="2026-Q1", predicate="Kurang", by=cast.rater_superior
    )
    curve = unit_curve(unit, "2026-Q1")
    assert curve.counts == {"Sangat Baik": 1}
    assert {w.rule for w in curve.warnings} == {"max_pct", "min_pct"}


@pytest.mark.parametrize(
    ("unit", "yearly_total", "period", "value", "achievement"),
    [
        ("pasien", None, "2026-Q1", "300", "100.00"),  # 1200 a year: 300 a quarter
        ("pasien", None, "2026", "1200", "100.00"),
        ("pasien", False, "2026-Q1", "300", "25.00"),  # the target holds in every period
        ("%", None, "2026-Q1", "300", "25.00"),  # a share holds in every period as it is
    ],
)
def test_a_yearly_total_is_shared_out_over_the_periods(
    cast, unit, yearly_total, period, value, achievement
):
    from kinerja.core.periods import ALL_KINDS, parse_period
    from kinerja.skp.selectors import iki_values

    skp = skp_services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    item = {"aspect": "kuantitas", "text": "Pasien", "target": "1200", "unit": unit}
    if yearly_total is not None:
        item["yearly_total"] = yearly_total
    skp_services.rhk_add(skp=skp, by=cast.employee, kind="utama", text="Layanan", indicators=[item])
    skp_services.skp_submit(skp=skp, by=cast.employee)
    skp_services.skp_approve(skp=skp, by=cast.rater)
    iki = skp.results.get().indicators.get()
    skp_services.realisation_record(iki=iki, period=period, value=value, by=cast.employee)
    [row] = iki_values(skp, parse_period(period, kinds=ALL_KINDS), viewer=cast.rater)
    assert str(row.achievement) == achievement


def test_the_head_of_regions_rating_of_a_jpt_is_recorded_by_the_regional_administrator(cast):
    head = cast.employees["head"]
    skp = skp_services.skp_create(employee=head, year=2026, by=cast.head)
    skp_services.rhk_add(
        skp=skp, by=cast.head, kind="utama", text="Meningkatnya derajat kesehatan",
        indicators=[{"aspect": "kuantitas", "text": "Puskesmas terakreditasi", "target": "5"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=skp, by=cast.head)
    skp_services.skp_approve(skp=skp, by=cast.admin)
    with pytest.raises(PermissionDenied):
        services.evaluation_rate(
            skp=skp,
            by=cast.head,
            period="2026-Q1",
            results_rating="above",
            behaviour_rating="above",
        )
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.admin, period="2026-Q1", results_rating="above", behaviour_rating="above"
    )
    assert (evaluation.rated_by, evaluation.recorded_by) == (None, cast.admin)
    assert evaluation.predicate == "Sangat Baik"
