"""The performance part of the Plaju demo (``data/strategy.yaml``): loaded by ``kinerja demo
load`` after the organisation, through the operations, deterministic and idempotent."""

from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel
from kinerja.core.periods import Period
from kinerja.demo.loader import common
from kinerja.demo.loader import organisation as org_demo
from kinerja.demo.loader import strategy as demo
from kinerja.demo.loader.pdf import tiny_pdf
from kinerja.organizations.models import Agency, Employee
from kinerja.strategy import permissions, services
from kinerja.strategy.evidence_files import check_evidence_file
from kinerja.strategy.models import (
    AgreementEvent,
    AgreementState,
    DataSource,
    Evidence,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    PerformanceAgreement,
    Plan,
    QuarterTarget,
    Realisation,
    RealisationState,
    StrategicTarget,
)
from kinerja.strategy.selectors import performance_tree, plan_for_year
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

AGENCIES = {"SETDA", "KEC-PLAJU", "DISDIK", "DINKES", "DISDUKCAPIL"}
DEMO_DAY = date(2026, 11, 28)  # the demo is loaded as of this day; it lies in the past


def load() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    """Load the demo once for the tests of this module (a load takes seconds), as of the demo
    day: in a transaction that is rolled back at the end of the module; each test runs in a
    savepoint inside it, so what one test changes the next does not see."""
    common.REFERENCE_DAY = DEMO_DAY
    try:
        with kept_for_module(django_db_blocker, load) as output:
            yield output
    finally:
        common.REFERENCE_DAY = None


@pytest.fixture
def loaded(_loaded_once, db):
    return _loaded_once


@pytest.fixture
def years():
    return {"previous": 2025, "current": 2026}


def counts() -> dict[str, int]:
    models = [
        Plan, Mission, Goal, StrategicTarget, Indicator, IndicatorTarget, QuarterTarget,
        PerformanceAgreement, AgreementEvent, Realisation, Evidence, AuditRecord,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


# --- Pure parts: the same every time ---------------------------------------------------------


@pytest.mark.parametrize(
    ("period_type", "year", "today", "months"),
    [
        ("monthly", 2026, date(2026, 11, 28), list(range(1, 11))),
        ("monthly", 2025, date(2026, 11, 28), list(range(1, 13))),
        ("quarterly", 2026, date(2026, 11, 28), [3, 6, 9]),
        ("quarterly", 2025, date(2026, 11, 28), [3, 6, 9, 12]),
        ("yearly", 2026, date(2026, 11, 28), []),
        ("yearly", 2025, date(2026, 11, 28), [12]),
        ("monthly", 2027, date(2027, 1, 3), []),
        ("quarterly", 2026, date(2026, 4, 1), [3]),
    ],
)
def test_the_months_so_far_are_those_ended_before_the_current_month(
    period_type, year, today, months
):
    assert demo.months_so_far(period_type, year, today) == months


def test_the_planned_values_are_the_same_on_every_load():
    today = date(2026, 11, 28)

    assert demo.planned_values(today) == demo.planned_values(today)
    first = demo.planned_values(today)[("DISDUKCAPIL", "IKU-02")]
    assert min(first) == (2025, 1) and max(first) == (2026, 10)


def test_stream_bound_rows_have_no_values_typed_by_hand():
    bound = [row for row in demo.INDICATORS if row.stream]
    planned = demo.planned_values(date(2026, 11, 28))

    assert {(row.agency, row.code) for row in bound} >= {
        ("DISDUKCAPIL", "IKU-01"),
        ("DISDUKCAPIL", "IKU-04"),
        ("DINKES", "IKU-01"),
    }
    for row in bound:
        assert not row.values and not row.formula, row.code
        assert (row.agency, row.code) not in planned, row.code
        assert (row.agency, row.code) not in {(e.agency, e.indicator) for e in demo.EVIDENCE}
        correction = (demo.CORRECTION.agency, demo.CORRECTION.indicator)
        assert (
            (row.agency, row.code) != correction != (demo.RETURNED.agency, demo.RETURNED.indicator)
        )


@pytest.mark.parametrize(
    ("today", "recent"),
    [
        (date(2026, 11, 28), {(2026, 9), (2026, 10)}),
        (date(2026, 2, 1), {(2025, 12), (2026, 1)}),
        (date(2026, 1, 31), {(2025, 11), (2025, 12)}),
    ],
)
def test_the_recent_months_are_the_two_before_the_present_one(today, recent):
    assert demo.recent_months(today) == recent


def test_a_share_never_exceeds_the_count_it_is_a_share_of():
    values = demo.planned_values(date(2026, 11, 28))
    handled, requests = values[("DINKES", "IKU-03")], values[("DINKES", "IKU-04")]

    assert handled.keys() == requests.keys()
    assert all(Decimal(0) < handled[p] <= requests[p] for p in handled)


def test_the_generated_pdf_is_accepted_as_evidence():
    content = tiny_pdf(["Rekap (Oktober) 2026", "Waktu rata-rata: 7,4 jam"])

    checked = check_evidence_file(ContentFile(content, name="rekap-oktober-2026.pdf"))

    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert checked.content_type == "application/pdf"
    assert checked.size == len(content)


def test_every_indicator_row_has_a_target_and_an_owner_that_exist():
    targets = {(t.agency, t.code) for t in demo.TARGETS}
    goals = {(g.agency, g.code) for g in demo.GOALS}
    positions = {p.code: p for p in org_demo.POSITIONS}
    units = {u.code: u.agency for u in org_demo.UNITS}

    for row in demo.INDICATORS:
        assert (row.agency, row.target) in targets, row.code
        if row.owner:
            assert units[positions[row.owner].unit] == row.agency, row.code
    for row in demo.TARGETS:
        assert (row.agency, row.goal) in goals
    assert {g.mission for g in demo.GOALS} <= set(range(1, len(demo.MISSIONS) + 1))


# --- Loading ------------------------------------------------------------------------------------


def test_the_demo_loads_the_citys_plan_with_its_missions(loaded, years):
    plan = Plan.objects.get()

    assert plan.end_year - plan.start_year == 4
    assert plan.covers(years["previous"]) and plan.covers(years["current"])
    assert "Palembang" in plan.vision
    assert 4 <= plan.missions.count() <= 5
    assert "Performance" in loaded  # the command reports what it loaded


def test_each_agency_has_goals_targets_and_three_to_five_indicators(loaded):
    for agency in Agency.objects.all():
        indicators = Indicator.objects.filter(agency=agency)
        assert 3 <= indicators.count() <= 5, agency.code
        assert 1 <= Goal.objects.filter(agency=agency).count() <= 2, agency.code
        assert 1 <= StrategicTarget.objects.filter(agency=agency).count() <= 2, agency.code
        assert not indicators.filter(strategic_target=None).exists(), agency.code
    assert set(Agency.objects.values_list("code", flat=True)) == AGENCIES


def test_the_issues_example_indicators_are_there(loaded):
    rows = {
        (i.agency.code, i.name): (i.polarity, i.unit_of_measure)
        for i in Indicator.objects.select_related("agency")
    }

    assert rows[("DISDUKCAPIL", "Rata-rata waktu penerbitan KTP-el")] == ("lower_is_better", "jam")
    assert rows[("DINKES", "Waktu respons penanganan kegawatdaruratan")] == (
        "lower_is_better",
        "menit",
    )
    assert rows[("DISDIK", "Persentase guru yang menerima bimbingan teknis")][0] == (
        "higher_is_better"
    )
    assert Indicator.objects.filter(agency__code="KEC-PLAJU", polarity="range").exists()
    assert Indicator.objects.filter(agency__code="KEC-PLAJU", period_type="quarterly").exists()
    formula = Indicator.objects.get(data_source="formula")
    assert formula.formula == "{IKU-03} / {IKU-04} * 100"
    assert not Realisation.objects.filter(indicator=formula).exists()


def test_targets_are_set_for_both_years_with_quarterly_targets(loaded, years):
    for row in demo.INDICATORS:
        for which, year in years.items():
            target = IndicatorTarget.objects.filter(
                indicator__agency__code=row.agency, indicator__code=row.code, year=year
            ).first()
            assert (target is not None) == (which in row.goals), (row.code, year)
            if target is not None:
                assert target.quarters.exists()
    ikm = IndicatorTarget.objects.get(
        indicator__agency__code="KEC-PLAJU", indicator__polarity="range", year=years["current"]
    )
    assert (ikm.value, ikm.low, ikm.high) == (None, Decimal(80), Decimal(90))
    assert ikm.quarters.count() == 4


def test_the_agreements_are_agreed_by_the_heads_but_two_of_this_year(loaded, years):
    previous = PerformanceAgreement.objects.filter(year=years["previous"])
    assert {a.state for a in previous} == {AgreementState.AGREED}
    current = {a.agency.code: a for a in PerformanceAgreement.objects.filter(year=years["current"])}
    assert Counter(a.state for a in current.values()) == {
        AgreementState.AGREED: 3,
        AgreementState.SUBMITTED: 1,
        AgreementState.RETURNED: 1,
    }
    returned = current["DISDIK"].events.get(to_state=AgreementState.RETURNED)
    assert returned.note
    assert returned.targets  # the targets as they stood
    for agreement in PerformanceAgreement.objects.filter(state=AgreementState.AGREED):
        assert permissions.can_agree(agreement.agreed_by, agreement), agreement
        submit = agreement.events.get(to_state=AgreementState.SUBMITTED)
        assert permissions.can_manage(submit.by, agreement.agency_id), agreement


def test_every_agency_has_realisations_of_2025_and_of_2026_until_october(loaded):
    for code in AGENCIES:
        assert Realisation.objects.filter(indicator__agency__code=code).exists(), code
    assert max(Realisation.objects.values_list("year", "month")) == (2026, 10)
    monthly = Indicator.objects.get(agency__code="DISDUKCAPIL", code="IKU-02")
    months = Realisation.objects.current().filter(indicator=monthly)
    assert list(months.filter(year=2025).values_list("month", flat=True)) == list(range(1, 13))
    assert list(months.filter(year=2026).values_list("month", flat=True)) == list(range(1, 11))
    yearly = Indicator.objects.get(agency__code="SETDA", period_type="yearly")
    assert list(Realisation.objects.filter(indicator=yearly).values_list("year", "month")) == [
        (2025, 12)
    ]
    assert set(
        Realisation.objects.current()
        .filter(indicator__period_type="quarterly")
        .values_list("month", flat=True)
    ) <= {3, 6, 9, 12}


def test_the_owner_enters_and_the_owners_superior_verifies(loaded, years):
    verified = Realisation.objects.filter(state=RealisationState.VERIFIED).select_related(
        "indicator", "entered_by", "verified_by"
    )
    current = Realisation.objects.current()

    assert verified.filter(year=years["previous"]).count() >= (
        0.9 * current.filter(year=years["previous"]).count()
    )
    for realisation in verified:
        assert realisation.verified_by != realisation.entered_by
        assert permissions.can_enter_realisation(realisation.entered_by, realisation.indicator)
        assert realisation.verified_by.employee_id in permissions.verifiers(realisation.indicator)
    owned = current.exclude(indicator__owner_position=None).select_related("entered_by")
    for realisation in owned:
        holder = Employee.objects.get(pk=realisation.entered_by.employee_id)
        assert holder.position_id == realisation.indicator.owner_position_id


def test_september_and_october_wait_one_value_is_corrected_and_one_returned(loaded):
    current = Realisation.objects.current()

    waiting = current.filter(state=RealisationState.SUBMITTED)
    assert set(waiting.values_list("year", "month")) == {(2026, 9), (2026, 10)}
    assert not current.filter(year=2026, month__lte=8).exclude(state="verified").exists()
    assert not current.filter(year=2025).exclude(state="verified").exists()
    superseded = Realisation.objects.get(superseded_at__isnull=False)
    assert (superseded.indicator.agency.code, superseded.indicator.code) == (
        demo.CORRECTION.agency,
        demo.CORRECTION.indicator,
    )
    assert (superseded.year, superseded.month) == (2026, 9)
    correction = current.get(
        indicator=superseded.indicator, year=superseded.year, month=superseded.month
    )
    assert correction.value != superseded.value
    assert correction.note == demo.CORRECTION.note
    returned = Realisation.objects.get(state=RealisationState.RETURNED)
    assert (returned.indicator.agency.code, returned.year, returned.month) == ("DINKES", 2026, 10)
    assert returned.verification_note
    assert returned.superseded_at is None


def test_evidence_files_are_valid_pdfs_on_recent_months(loaded):
    evidence = list(Evidence.objects.select_related("indicator"))

    assert len(evidence) == len(demo.EVIDENCE)
    assert "rekap-oktober-2026.pdf" in {item.original_name for item in evidence}
    for item in evidence:
        assert (item.year, item.month) in {(2026, 9), (2026, 10)}
        assert item.original_name.endswith(f"-{demo.MONTH_NAMES[item.month - 1]}-2026.pdf")
        with item.file.open("rb") as stored:
            content = stored.read()
        assert check_evidence_file(ContentFile(content, name=item.original_name)).sha256 == (
            item.sha256
        )
        assert (
            Realisation.objects.current()
            .filter(indicator=item.indicator, year=item.year, month=item.month)
            .exists()
        )


def test_the_tree_of_2026_shows_at_least_three_bands_and_one_sangat_kurang(loaded, years):
    from kinerja.accounts.models import User

    admin = User.objects.get(username="admin")
    plan = plan_for_year(None, years["current"])
    root = performance_tree(admin, plan=plan, period=Period(years["current"]))

    bands = Counter()

    def walk(node):
        # Stream-bound indicators aside: their values rest on the service history, which this
        # module shortens to a week (conftest); test_command_demo_streams checks them over the year.
        bound = node.kind == "indicator" and node.obj.data_source == DataSource.STREAM
        if node.kind == "indicator" and node.result.band is not None and not bound:
            bands[node.result.band.label] += 1
        for child in node.children:
            walk(child)

    walk(root)
    assert len(bands) >= 3
    assert bands["Sangat Kurang"] == 1
    assert bands["Sangat Baik"] + bands["Baik"] > sum(bands.values()) / 2
    assert root.band is not None


# --- Again, and on record ---------------------------------------------------------------------


def test_loading_again_duplicates_nothing(loaded):
    before = counts()

    output = load()

    assert counts() == before
    assert "Performance" not in output


def test_loading_again_keeps_what_people_changed_since(loaded, years):
    indicator = Indicator.objects.get(agency__code="DISDUKCAPIL", code="IKU-02")
    with audit.door(Channel.WEB, None):
        changed = services.realisation_record(
            by=SYSTEM, indicator=indicator, year=years["previous"], month=5, value=Decimal("50")
        )

    load()

    current = Realisation.objects.current().get(
        indicator=indicator, year=years["previous"], month=5
    )
    assert current.pk == changed.pk and current.value == Decimal("50")


def test_the_demo_is_on_record_through_the_command_door_and_the_chain_verifies(loaded):
    out = StringIO()

    call_command("audit", "verify", stdout=out)

    assert out.getvalue().startswith("OK")
    strategy = AuditRecord.objects.filter(object_type__startswith="strategy.")
    assert strategy.filter(action="correct").count() == 1
    assert strategy.filter(action="return").count() == 2  # the agreement and the value
    assert set(strategy.values_list("channel", "actor_label").distinct()) == {
        (Channel.COMMAND, "demo")
    }
