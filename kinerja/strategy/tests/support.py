"""What the organisational-performance tests share (no tests here): the sample data of the page
tests, built with the services (as a user would through the pages); the addresses and form data
of the indicator pages; the LKjIP report's and the exports' helpers; the indicators and values
of the selector, evidence, agreement and plan service tests. The API's helpers:
``api_support.py``; the workbooks': ``workbook_support.py``; stream-bound indicators:
``stream_support.py``; the fixtures: ``conftest.py``."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.scope import forget_scope
from kinerja.strategy import services
from kinerja.strategy.models import (
    Goal,
    Indicator,
    PerformanceAgreement,
    Plan,
    Realisation,
    RealisationState,
    StrategicTarget,
)

from .workbook_support import YEAR

# --- The sample of the page tests -----------------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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


def verify_all(indicators) -> None:
    """Setup shortcut: every current value of ``indicators`` as its verifier accepted it (only
    verified values count in achievement; the verification itself is tested through its
    operation in test_service_realisations.py and the pages)."""
    Realisation.objects.current().filter(indicator__in=indicators).update(
        state=RealisationState.VERIFIED
    )


def build_sample(cast, *, year: int | None = None, verified: bool = True) -> Sample:
    """DINKES: a goal, a strategic target and four indicators with targets and a year of
    realisations (entered by the Pengelola Kinerja; verified, so that they count, unless
    ``verified=False``); DUKCAPIL: one indicator of its own."""
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
    if verified:
        verify_all([response, occupancy, visits, other])
    return Sample(year, plan, goal, target, response, visits, share, occupancy, other_goal, other)


# --- The indicator pages --------------------------------------------------------------------------


def also_pengelola(cast, user) -> None:
    """Make ``user`` one of DINKES's performance administrators too (who may enter values)."""
    RoleAssignment.objects.create(user=user, role=Role.PENGELOLA_KINERJA, agency=cast.dinkes)
    forget_scope(user)


def indicator_url(indicator, year=None) -> str:
    url = reverse("strategy:indicator", args=[indicator.pk])
    return f"{url}?year={year}" if year else url


def realisation_add_url(indicator) -> str:
    return reverse("strategy:realisation_add", args=[indicator.pk])


def evidence_add_url(indicator) -> str:
    return reverse("strategy:evidence_add", args=[indicator.pk])


def realisation_verify_url(realisation) -> str:
    return reverse("strategy:realisation_verify", args=[realisation.pk])


def current_value(indicator, year, month) -> Realisation | None:
    return Realisation.objects.current().filter(indicator=indicator, year=year, month=month).first()


def realisation_entry(period: str, value="12,5", **extra) -> dict:
    return {"r-period": period, "r-value": value, **extra}


def indicator_data(**changes) -> dict:
    return {
        "code": "iku-10",
        "name": "Persentase puskesmas terakreditasi",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "last",
        "period_type": "quarterly",
        "data_source": "manual",
        "lower_formula": "standard",
        "range_above": "penalize",
        "formula": "",
        "active": "on",
        **changes,
    }


# --- The LKjIP report and the exports -------------------------------------------------------------


READERS = ["employee", "head", "pengelola", "rater", "admin", "auditor"]


def xlsx_url(agency="DINKES", year=YEAR):
    return reverse("strategy:report_xlsx", kwargs={"agency": agency, "year": year})


PLANTED = '=HYPERLINK("http://x.example/","klik")'


def cells_of(data: bytes, title: str):
    sheet = load_workbook(io.BytesIO(data))[title]
    return [list(row) for row in sheet.iter_rows()]


def no_formulas(data: bytes) -> bool:
    workbook = load_workbook(io.BytesIO(data))
    return not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]


# --- The selectors --------------------------------------------------------------------------------


#: The year of the selector tests' values, wholly in the past.
SELECTOR_YEAR = 2025


def selector_indicator(agency, code, target=None, **values):
    fields = {
        "code": code,
        "name": f"Indikator {code}",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "sum",
        **values,
    }
    return services.indicator_save(by=SYSTEM, agency=agency, values=fields)


def monthly_values(subject, monthly: dict[int, str], *, verified: bool = True):
    """Values of ``subject``'s months, verified (they count) unless ``verified=False``."""
    for month, value in monthly.items():
        services.realisation_record(
            by=SYSTEM, indicator=subject, year=SELECTOR_YEAR, month=month, value=D(value)
        )
    if verified:
        verify_all([subject])


# --- Evidence files -------------------------------------------------------------------------------


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def evidence_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- The agreement (PK) ---------------------------------------------------------------------------


AGREEMENT_YEAR = 2026


DRAFT, SUBMITTED, AGREED, RETURNED = "draft", "submitted", "agreed", "returned"


def agreement_indicator(agency, code="IKU-01", polarity="lower_is_better"):
    return services.indicator_save(
        by=SYSTEM,
        agency=agency,
        values={
            "code": code,
            "name": f"Indikator {code}",
            "unit_of_measure": "menit",
            "polarity": polarity,
            "aggregation": "average",
        },
    )


def agreement_in(cast, state: str, *, with_target: bool = True) -> PerformanceAgreement:
    if with_target:
        services.target_set(
            by=SYSTEM,
            indicator=agreement_indicator(cast.dinkes, "IKU-09"),
            year=AGREEMENT_YEAR,
            value=D(8),
        )
    agreement = services.agreement_for(cast.dinkes, AGREEMENT_YEAR, create=True)
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(state=state)
    agreement.refresh_from_db()
    return agreement


# --- The plan, goals and strategic targets --------------------------------------------------------


MISSIONS = ["Pelayanan publik yang cepat", "SDM yang unggul", "Ekonomi kerakyatan"]


def save_plan(region, missions=MISSIONS, plan=None, **fields):
    values = {
        "title": "RPJMD Kota Palembang 2025–2029",
        "start_year": 2025,
        "end_year": 2029,
        "vision": "Palembang maju dan sejahtera",
    }
    values.update(fields)
    return services.plan_save(by=SYSTEM, region=region, missions=missions, plan=plan, **values)


def audit_records(object_type: str):
    return AuditRecord.objects.filter(object_type=object_type).order_by("seq")
