"""Sample organisational-performance data for the page tests, built with the services (as a
user would through the pages), plus a check that the sample reads as intended."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import Goal, Indicator, Plan, StrategicTarget

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def restore_default_bands() -> None:
    """Browser tests run on a transactional database, which is emptied after each test —
    including the default bands and cap that a migration loads; put them back."""
    import importlib

    from django.apps import apps

    importlib.import_module("kinerja.core.migrations.0005_default_achievement_rules").forwards(
        apps, None
    )


def this_year() -> int:
    return timezone.localdate().year


def pdf_upload(name: str = "rekap.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Sample:
    year: int  # last year: every month lies in the past
    plan: Plan
    goal: Goal
    target: StrategicTarget
    response: Indicator  # IKU-01 lower is better, monthly average, minutes
    visits: Indicator  # IKU-02 higher is better, quarterly sum
    share: Indicator  # IKU-03 formula over IKU-02
    occupancy: Indicator  # IKU-04 target range
    other_goal: Goal  # DUKCAPIL
    other: Indicator  # DUKCAPIL's DKP-01


def _indicator(agency, **values) -> Indicator:
    base = {
        "period_type": "monthly",
        "data_source": "manual",
        "aggregation": "average",
        "polarity": "higher_is_better",
    }
    return services.indicator_save(by=SYSTEM, agency=agency, values={**base, **values})


def build_sample(cast, *, year: int | None = None) -> Sample:
    """DINKES: a goal, a strategic target and four indicators with targets and a year of
    realisations (entered by the Pengelola Kinerja); DUKCAPIL: one indicator of its own."""
    year = year or this_year() - 1
    now = this_year()
    plan = services.plan_save(
        by=SYSTEM,
        region=cast.dinkes.region,
        title=f"RPJMD Kota Palembang {now - 2}–{now + 2}",
        start_year=now - 2,
        end_year=now + 2,
        vision="Palembang Emas Darussalam",
        missions=["Meningkatkan kualitas pelayanan publik", "Meningkatkan derajat kesehatan"],
    )
    first, second = plan.missions.order_by("number")
    goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=second,
        code="T1",
        text="Meningkatnya derajat kesehatan",
    )
    target = services.strategic_target_save(
        by=SYSTEM, goal=goal, code="S1.1", text="Meningkatnya mutu pelayanan kegawatdaruratan"
    )
    response = _indicator(
        cast.dinkes,
        code="IKU-01",
        name="Waktu respon penanganan kegawatdaruratan",
        unit_of_measure="menit",
        polarity="lower_is_better",
        strategic_target=target,
        owner_unit=cast.units["yankes"],
    )
    visits = _indicator(
        cast.dinkes,
        code="IKU-02",
        name="Kunjungan pasien IGD",
        unit_of_measure="orang",
        aggregation="sum",
        period_type="quarterly",
        strategic_target=target,
    )
    share = _indicator(
        cast.dinkes,
        code="IKU-03",
        name="Kunjungan per seribu",
        unit_of_measure="%",
        data_source="formula",
        formula="{IKU-02} / 10",
        strategic_target=target,
    )
    occupancy = _indicator(
        cast.dinkes,
        code="IKU-04",
        name="Tingkat hunian tempat tidur",
        unit_of_measure="%",
        polarity="range",
        strategic_target=target,
    )
    d = Decimal
    services.target_set(by=SYSTEM, indicator=response, year=year, value=d(10), quarters=[d(10)] * 4)
    services.target_set(
        by=SYSTEM, indicator=visits, year=year, value=d(1200), quarters=[d(300)] * 4
    )
    services.target_set(by=SYSTEM, indicator=share, year=year, value=d(120))
    services.target_set(
        by=SYSTEM,
        indicator=occupancy,
        year=year,
        low=d(70),
        high=d(85),
        quarters=[(d(70), d(85))] * 4,
    )
    for month in range(1, 13):
        services.realisation_record(
            indicator=response, year=year, month=month, value=d(9), by=cast.pengelola
        )
        services.realisation_record(
            indicator=occupancy, year=year, month=month, value=d(80), by=cast.pengelola
        )
    for month in (3, 6, 9, 12):
        services.realisation_record(
            indicator=visits, year=year, month=month, value=d(300), by=cast.pengelola
        )
    other_goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dukcapil,
        mission=first,
        code="D1",
        text="Meningkatnya layanan adminduk",
    )
    other_target = services.strategic_target_save(
        by=SYSTEM, goal=other_goal, code="DS1", text="Cepatnya penerbitan dokumen"
    )
    other = _indicator(
        cast.dukcapil,
        code="DKP-01",
        name="Rata-rata waktu penerbitan KTP-el",
        unit_of_measure="jam",
        polarity="lower_is_better",
        strategic_target=other_target,
    )
    services.target_set(by=SYSTEM, indicator=other, year=year, value=d(24))
    services.realisation_record(by=SYSTEM, indicator=other, year=year, month=1, value=d(20))
    return Sample(year, plan, goal, target, response, visits, share, occupancy, other_goal, other)


def test_the_sample_reads_as_the_page_tests_expect(cast):
    from kinerja.strategy.selectors import indicator_results

    sample = build_sample(cast)
    indicators = [sample.response, sample.visits, sample.share, sample.occupancy]
    results = indicator_results(indicators, sample.year)
    assert results[sample.response.pk].annual.achievement_pct == Decimal("110.00")
    assert results[sample.visits.pk].annual.achievement_pct == Decimal("100.00")
    assert results[sample.share.pk].annual.realisation == Decimal(120)
    assert results[sample.occupancy.pk].annual.achievement_pct == Decimal("100.00")
    assert results[sample.response.pk].annual.band.label == "Sangat Baik"
