"""The plans part of the Plaju demo (issue 5; ``data/plans.yaml``, ``data/story.yaml``): loaded
by ``kinerja demo load`` after the organisation, the strategy and the service data, through the
operations, deterministic and idempotent."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
from kinerja.core.models import AuditRecord, Channel, Notification
from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.demo.loader import common
from kinerja.demo.loader import organisation as org_demo
from kinerja.demo.loader import plans as plans_loader
from kinerja.demo.loader import year as demo
from kinerja.evaluations.ledger import credit_ledger
from kinerja.evaluations.models import (
    CoachingItem,
    CreditEntry,
    DevelopmentAction,
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    EvaluationState,
    Feedback,
    Objection,
    OrgEvaluation,
    SelfAssessment,
)
from kinerja.evaluations.permissions import may_set_org_predicate
from kinerja.evaluations.rules import head_results_rating
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Employee
from kinerja.skp.models import Iki, IkiRealisation, Rhk, Skp, SkpState
from kinerja.skp.selectors import iki_values
from kinerja.skp.services import plan_checks
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

DEMO_DAY = date(2026, 11, 28)  # the demo is loaded as of this day; it lies in the past
YEAR = 2026
RATED = "2026-Q3"
WIB = ZoneInfo("Asia/Jakarta")
LIVE = {SkpState.APPROVED, SkpState.EVALUATING, SkpState.RATED, SkpState.OBJECTED}
SITI, NYIMAS, RIZKY = "199506092019032005", "198305232010042002", "198009052008061001"


def load() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    """The whole demo once for this module, as of the demo day (see
    test_command_demo_strategy)."""
    common.REFERENCE_DAY = DEMO_DAY
    try:
        with kept_for_module(django_db_blocker, load) as output:
            yield output
    finally:
        common.REFERENCE_DAY = None


@pytest.fixture
def loaded(_loaded_once, db):
    return _loaded_once


def plans():
    return Skp.objects.filter(year=YEAR).select_related("employee", "rater", "unit__agency")


def plaju():
    return plans().filter(unit__agency__code="KEC-PLAJU")


def by_nip(nip: str) -> Skp:
    return plans().get(employee__nip=nip)


# --- Pure parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 11, 28), 3),
        (date(2026, 10, 1), 3),
        (date(2026, 9, 30), 2),
        (date(2026, 7, 15), 2),
        (date(2026, 4, 1), 1),
        (date(2026, 2, 1), 1),  # the first quarter is rated while it runs
        (date(2027, 1, 2), 1),
    ],
)
def test_the_rated_quarter_is_the_last_one_ended_before_the_day(today, quarter):
    assert demo.rated_quarter(today) == quarter


def test_every_position_of_the_demo_has_results_and_every_support_names_a_result():
    tags = {r.tag for results in demo.PLANS.values() for r in results if r.tag}

    assert {p.code for p in org_demo.POSITIONS} <= set(demo.PLANS)
    handed = tuple(row.to for row in demo.MATRIX)
    for code, results in [*demo.PLANS.items(), *demo.PERSON_PLANS.items()]:
        # a main result of their own, or one handed out by the rater (the matrix)
        assert any(r.kind == "utama" for r in results) or code.startswith(handed), code
        for result in results:
            assert result.indicators
            assert not result.supports or result.supports in tags, result.text


def test_the_storys_people_are_demo_people():
    names = {p.name for p in org_demo.PEOPLE}

    named = {*demo.RETURNED, *demo.SUBMITTED_ONLY, *demo.NOT_RATED, *demo.PROFILES}
    assert named | {demo.DEVELOPMENT["person"], demo.OBJECTION["person"]} <= names
    assert demo.PROFILES[demo.DEVELOPMENT["person"]] == "BP"


# --- The plans -----------------------------------------------------------------------------


def test_every_demo_employee_has_a_plan_for_the_current_year(loaded):
    assert plans().count() == len(org_demo.PEOPLE)
    assert plans().filter(ends_on__isnull=True).count() == Employee.objects.count()


def test_most_plaju_employees_have_an_approved_plan_and_a_few_were_returned(loaded):
    states = Counter(plaju().values_list("state", flat=True))
    live = sum(n for state, n in states.items() if state in LIVE)

    assert live >= 0.8 * plaju().count()
    assert states[SkpState.RETURNED] >= 1
    returned = plans().filter(state=SkpState.RETURNED)
    assert returned.count() == 3
    for skp in returned:
        assert len(skp.return_reason) > 40
        assert skp.transitions.filter(to_state=SkpState.RETURNED, by__employee=skp.rater).exists()


def test_one_plan_awaits_approval_and_the_admin_approves_the_heads_of_agency_for_the_wali_kota(
    loaded,
):
    assert plans().filter(state=SkpState.SUBMITTED).count() == 1
    assert not plans().filter(state=SkpState.DRAFT).exists()
    heads = plans().filter(position_kind="jpt")
    assert heads.count() == 4
    for skp in heads:  # a JPT names the agency's indicator and a perspective
        assert skp.rater is None and skp.state == SkpState.APPROVED
        assert skp.transitions.get(to_state=SkpState.APPROVED).by.username == "admin"
        assert skp.results.exists()
        assert plan_checks(skp) == []


def test_siti_rohanis_plan_is_approved_by_dr_nyimas_farida_hanum(loaded):
    siti = by_nip(SITI)

    assert siti.employee.name == "Siti Rohani, A.Md.Kep."
    assert siti.rater.nip == NYIMAS and siti.rater.name == "dr. Nyimas Farida Hanum"
    assert siti.state in LIVE
    approval = siti.transitions.get(to_state=SkpState.APPROVED)
    assert approval.by.employee.nip == NYIMAS


def test_every_main_result_of_an_approved_plan_supports_a_result_of_the_raters_plan(loaded):
    live = plans().filter(state__in=LIVE).exclude(position_kind="jpt")
    assert live.count() >= 50

    for skp in live:
        assert plan_checks(skp) == [], skp
        for rhk in skp.results.filter(kind="utama").select_related("supports__skp"):
            assert rhk.supports is not None, rhk
            assert rhk.supports.skp.employee_id == skp.rater_id
            assert rhk.supports.skp.year == skp.year


def test_the_acting_lurah_and_the_override_rate_and_are_supported(loaded):
    arief = Employee.objects.get(nip=org_demo.nip_for("plt_lurah"))
    seconded = by_nip(org_demo.nip_for("seconded"))

    talang_putri = plans().filter(unit__code="KEC-PLAJU-KEL-TALANG-PUTRI")
    assert talang_putri.exists()
    assert {skp.rater_id for skp in talang_putri} == {arief.pk}
    assert seconded.rater.nip == org_demo.nip_for("kasi_trantib")
    assert seconded.results.get(kind="utama").supports.skp.employee.nip == seconded.rater.nip


def test_the_matrix_hands_the_raters_result_to_the_team_same_or_split_by_volume(loaded):
    kapus = by_nip(NYIMAS).results.get(text__startswith="Terselenggaranya pelayanan kegawat")
    handed = Rhk.objects.filter(supports=kapus, text=kapus.text)
    nurses = Employee.objects.filter(position__code__startswith="DINKES-PKM-PLAJU-PERAWAT")
    assert set(handed.values_list("skp__employee", flat=True)) >= set(
        nurses.values_list("pk", flat=True)
    )
    assert {i.target for i in Iki.objects.filter(rhk__in=handed, aspect="kualitas")} == {90}

    operators = Iki.objects.filter(
        rhk__skp__employee__position__code="DISDUKCAPIL-PLAJU-OPERATOR",
        rhk__skp__year=YEAR,
        aspect="kuantitas",
    )
    assert operators.count() == 3
    assert {i.target for i in operators} == {2000}


def test_officers_indicators_are_bound_to_their_own_service_data(loaded):
    siti = by_nip(SITI)
    bound = Iki.objects.filter(rhk__skp=siti, binding__isnull=False).select_related(
        "binding__stream"
    )

    assert {(i.binding.stream.code, i.binding.officer) for i in bound} == {("gawat-darurat", SITI)}
    assert {i.binding.metric for i in bound} == {"within_sla_pct", "duration_mean"}
    operators = Iki.objects.filter(
        rhk__skp__employee__position__code="DISDUKCAPIL-PLAJU-OPERATOR",
        rhk__skp__year=YEAR,
        binding__isnull=False,
    ).select_related("binding", "rhk__skp__employee")
    assert operators.count() == 6
    assert all(i.binding.officer == i.rhk.skp.employee.nip for i in operators)
    # "Kinerja saya": the figure comes from the stream (the service data reaches back a week
    # in tests, so the fourth quarter has it)
    user = User.objects.get(employee__nip=SITI)
    values = iki_values(siti, parse_period("2026-Q4", kinds=ALL_KINDS), viewer=user)
    streamed = [v for v in values if v.source == "stream"]
    assert len(streamed) == 2 and all(v.value is not None and v.cases for v in streamed)


# --- Through the year ------------------------------------------------------------------------


def test_realisations_cover_the_quarters_so_far_except_bound_and_qualitative_ones(loaded):
    # the heads of agency (JPT) report through their agency's indicators
    live = plans().filter(state__in=LIVE).exclude(position_kind="jpt")
    periods = set(IkiRealisation.objects.values_list("period", flat=True))

    assert periods == {"2026-Q1", "2026-Q2", "2026-Q3"}
    measured = Iki.objects.filter(rhk__skp__in=live, binding__isnull=True, target__isnull=False)
    # every quarter so far, from the quarter the plan starts in (the entrant's TMT, 1 July)
    quarters = {s.pk: 3 - (s.starts_on.month - 1) // 3 for s in live}
    assert IkiRealisation.objects.count() == sum(quarters[i.rhk.skp_id] for i in measured)
    assert min(quarters.values()) == 1  # the entrant: the third quarter only
    assert not IkiRealisation.objects.filter(iki__binding__isnull=False).exists()
    assert not IkiRealisation.objects.filter(iki__rhk__skp__state=SkpState.RETURNED).exists()


def test_feedback_comes_from_raters_peers_and_subordinates_and_employees_reply(loaded):
    roles = Counter(Feedback.objects.values_list("author_role", flat=True))

    assert {"rater", "peer", "subordinate", "employee"} <= set(roles)
    assert roles["rater"] >= 30
    assert {"appreciation", "improvement"} <= set(Feedback.objects.values_list("tag", flat=True))
    replies = Feedback.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert all(r.author_id == r.skp.employee_id for r in replies.select_related("skp"))
    assert Feedback.objects.filter(value__isnull=False, author_role="subordinate").exists()


# --- The rated quarter -------------------------------------------------------------------------


def test_one_quarter_is_rated_with_a_realistic_mix_of_predicates(loaded):
    rated = Evaluation.objects.filter(period=RATED)
    predicates = Counter(rated.values_list("predicate", flat=True))

    earlier = Evaluation.objects.filter(annual=False).exclude(period=RATED)
    # only the story's ledger (Siti Rohani) has her earlier quarters rated
    assert set(earlier.values_list("skp__employee__nip", "period")) == {
        (SITI, "2026-Q1"), (SITI, "2026-Q2"),
    }  # fmt: skip
    assert len(predicates) >= 3
    assert predicates["Baik"] > rated.count() / 2
    assert predicates["Sangat Baik"] >= 3
    assert 1 <= predicates["Butuh Perbaikan"] <= 5
    start = datetime(2026, 7, 1, tzinfo=WIB)
    assert all(start <= e.rated_at < datetime(2027, 1, 1, tzinfo=WIB) for e in rated)
    assert all(e.rated_by_id == e.skp.rater_id for e in rated.select_related("skp"))
    assert all(e.suggestion.get("indicators") is not None for e in rated)


def test_two_approved_plans_still_wait_for_their_rating(loaded):
    # besides the heads of agency's, which the Wali Kota rates (not part of the demo's story)
    waiting = plans().filter(state=SkpState.APPROVED).exclude(position_kind="jpt")

    assert waiting.count() == 2
    assert not Evaluation.objects.filter(skp__in=waiting).exists()


def test_most_rated_employees_assessed_themselves_first(loaded):
    rated = Evaluation.objects.filter(period=RATED).count()

    assert SelfAssessment.objects.filter(period=RATED).count() >= rated / 2


def test_each_unit_with_rated_employees_has_its_predicate_set_by_the_leader_above(loaded):
    units = set(Evaluation.objects.filter(period=RATED).values_list("skp__unit", flat=True))
    predicates = OrgEvaluation.objects.filter(period=RATED).select_related("unit", "set_by")

    assert {o.unit_id for o in predicates} == units
    assert {"Istimewa", "Baik", "Butuh Perbaikan"} <= {o.predicate for o in predicates}
    for org in predicates:
        user = User.objects.get(employee=org.set_by)
        assert may_set_org_predicate(user, org.unit), org.unit.code
        head = unit_head(org.unit)
        if head is None:
            continue
        rating = Evaluation.objects.filter(skp__employee=head, period=RATED).first()
        if rating is not None:  # a unit head's results follow the unit's predicate
            assert rating.results_rating == head_results_rating(org.predicate, _setting())


def _setting():
    from kinerja.evaluations.rules import evaluation_setting

    return evaluation_setting(YEAR)


# --- Follow-up ---------------------------------------------------------------------------------


def test_each_butuh_perbaikan_opened_a_development_plan_and_one_is_agreed_with_actions(loaded):
    weak = Evaluation.objects.filter(period=RATED, predicate="Butuh Perbaikan")
    plans_opened = DevelopmentPlan.objects.filter(opened_by_evaluation__in=weak)

    assert plans_opened.count() == weak.count()
    agreed = DevelopmentPlan.objects.get(state=DevelopmentState.AGREED)
    assert agreed.skp.employee.name == demo.DEVELOPMENT["person"]
    assert agreed.employee_agreed_at and agreed.rater_agreed_at
    actions = DevelopmentAction.objects.filter(plan=agreed)
    assert {a.kind for a in actions} == {"training", "mentoring", "coaching"}
    assert all(a.due_on > date(2026, 10, 3) and a.owner for a in actions)


def test_no_annual_rating_nor_objection_while_the_year_runs(loaded):
    # the demo is loaded on 28 November: the annual rating of the year opens on 1 January
    # (evaluations.lifecycle), so the story's objection waits for it
    assert not Evaluation.objects.filter(annual=True).exists()
    assert not Objection.objects.exists()
    assert not Evaluation.objects.filter(state=EvaluationState.OBJECTED).exists()


# --- The year's edges (issue 10): an entrant, a correction, a ledger ----------------------------


def test_the_entrant_starts_on_the_tmt_recorded_with_its_sk_and_counts_from_july(loaded):
    skp = plans().get(employee__name="Reza Pahlevi, S.Kom.")
    assert (skp.starts_on, skp.tmt_sk_number) == (date(2026, 7, 1), "800/1127/BKPSDM/2026")
    assert skp.created_by.username == "admin"
    [rating] = Evaluation.objects.filter(skp=skp)
    assert (rating.period, rating.months) == (RATED, 3)
    assert skp.credit_entries.get().months == 3  # July to September, as Ahli Pertama
    assert not IkiRealisation.objects.filter(iki__rhk__skp=skp).exclude(period=RATED).exists()


def test_siti_rohanis_second_quarter_is_corrected_on_record_and_her_ledger_follows(loaded):
    q2 = Evaluation.objects.get(skp__employee__nip=SITI, period="2026-Q2")
    [correction] = q2.corrections.all()
    assert (correction.before["predicate"], correction.after["predicate"]) == (
        "Baik", "Sangat Baik",
    )  # fmt: skip
    assert correction.by.nip == NYIMAS and correction.reason
    assert correction.at.astimezone(WIB).date() == date(2026, 7, 4)  # before the 5 July deadline
    entries = CreditEntry.objects.filter(employee__nip=SITI).order_by("first_month")
    # Perawat Terampil (5 a year): 3 months Baik = 1,25; corrected to Sangat Baik: 1,875 → 1,88
    assert [(e.period, e.months, e.points) for e in entries][:2] == [
        ("2026-Q1", 3, Decimal("1.25")), ("2026-Q2", 3, Decimal("1.88")),
    ]  # fmt: skip
    assert [(e.period, e.months) for e in entries][2:] == [(RATED, 3)]
    ledger = credit_ledger(Employee.objects.get(nip=SITI), YEAR)
    assert ledger.base.amount == Decimal("41.25")
    assert ledger.base.recorded_by.employee.name == "Anisa Rahma, S.E."
    assert ledger.running_total == Decimal("41.25") + sum(e.points for e in entries)


def test_slipping_indicators_and_the_breached_alert_give_the_raters_coaching_items(loaded):
    # a nurse of the Puskesmas below expectation in the rated quarter: dr. Nyimas coaches
    nurses = CoachingItem.objects.filter(
        kind="indicator", state="open", period=RATED, skp__rater__nip=NYIMAS
    )
    assert nurses.exists()
    assert all(Decimal(i.data["achievement"]) < 90 for i in nurses)
    # the emergency-response alert at Puskesmas Plaju: dr. Rizky, about dr. Nyimas
    alert = CoachingItem.objects.select_related("skp__rater").get(kind="alert")
    assert (alert.skp.employee.nip, alert.skp.rater.nip) == (NYIMAS, RIZKY)
    assert alert.state == "open" and Decimal(alert.data["value"]) < 90


def test_the_storys_old_notices_are_gone(loaded):
    # besides the service data's alert, only the notices that still ask something wait in an
    # inbox: a plan awaiting its rater (the SD head's), a value awaiting its verifier (dr.
    # Nyimas's IKU-02) — issue 11
    [waiting] = plans().filter(state=SkpState.SUBMITTED)
    notices = Notification.objects.filter(link__startswith="/skp/").select_related("recipient")
    assert [(n.link, n.recipient.employee_id) for n in notices] == [
        (f"/skp/{waiting.pk}/", waiting.rater_id)
    ]
    assert not Notification.objects.filter(link__startswith="/penilaian/").exists()
    nyimas = Notification.objects.filter(recipient__employee__nip=NYIMAS)
    assert nyimas.filter(link__startswith="/kinerja-organisasi/indikator/").exists()
    agreed_long_ago = Notification.objects.filter(link__endswith=f"/pk/{YEAR - 1}/")
    assert not agreed_long_ago.exists()


# --- Again, and on record ------------------------------------------------------------------


def test_loading_again_changes_nothing(loaded):
    def counts():
        return {
            m.__name__: m.objects.count()
            for m in (
                Skp,
                Rhk,
                Iki,
                IkiRealisation,
                Feedback,
                Evaluation,
                Objection,
                CoachingItem,
                AuditRecord,
            )
        }

    before = counts()

    load()

    assert counts() == before
    assert plans_loader.load_plans() == dict.fromkeys(demo.COUNT_KEYS, 0)


def test_the_plans_are_on_record_through_the_command_door_and_the_chain_verifies(loaded):
    out = StringIO()

    call_command("audit", "verify", stdout=out)

    assert out.getvalue().startswith("OK")
    records = AuditRecord.objects.filter(object_type__startswith="skp.")
    assert records.filter(action="transition").exists()
    values = records.filter(object_type="skp.ikirealisation")
    assert values.filter(action="create").count() == IkiRealisation.objects.count()
    # the rated quarter's values verified by the rater (the history was verified long ago)
    verified = IkiRealisation.objects.filter(verified_by__isnull=False).count()
    assert verified and values.filter(action="verify").count() == verified
    assert values.exclude(action__in=["create", "verify"]).count() == 0
    assert not IkiRealisation.objects.exclude(state="verified").exists()
    assert set(records.values_list("channel", "actor_label").distinct()) == {
        (Channel.COMMAND, "demo")
    }
