"""What the tests of the indicator workbook share (no tests here): the DINKES and DUKCAPIL
performance data of a finished year (:func:`build_performance`), workbooks built from rows, and
an import run through the steps."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

from django.urls import reverse
from openpyxl import Workbook

from kinerja.core import audit
from kinerja.core.actors import SYSTEM, user_of
from kinerja.core.models import Channel
from kinerja.strategy import imports
from kinerja.strategy.models import (
    Indicator,
    PerformanceAgreement,
    Realisation,
    RealisationState,
)
from kinerja.strategy.services import (
    agreement_transition,
    goal_save,
    indicator_save,
    plan_save,
    realisation_record,
    strategic_target_save,
    target_set,
)

# A finished year: every month of it may hold a realisation.
YEAR = date.today().year - 1  # noqa: DTZ011 - a year, in any time zone the same


@dataclass
class Performance:
    """The DINKES indicators of the shared test data (see :func:`build_performance`)."""

    response: Indicator  # IKU-01 lower is better, monthly, average
    coverage: Indicator  # IKU-02 higher is better, quarterly, last
    occupancy: Indicator  # IKU-03 range, monthly, average, no strategic target
    ratio: Indicator  # IKU-04 formula
    ktp: Indicator  # DUKCAPIL IKU-01


def build_performance(cast, *, agree: bool = True) -> Performance:
    """A plan, DINKES goals and strategic targets, four DINKES indicators of every kind with
    targets and a year of values, and one DUKCAPIL indicator. DINKES' agreement is agreed
    (unless ``agree`` is false), so its targets can no longer change."""
    plan = plan_save(
        by=SYSTEM,
        region=cast.dinkes.region,
        title="RPJMD Kota Palembang",
        start_year=YEAR - 1,
        end_year=YEAR + 3,
        vision="Palembang Emas Darussalam",
        missions=["Meningkatkan kualitas pelayanan publik", "Meningkatkan kesehatan warga"],
    )
    mission = plan.missions.get(number=2)
    goal = goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=mission,
        code="T1",
        text="Meningkatnya derajat kesehatan",
    )
    emergency = strategic_target_save(
        by=SYSTEM, goal=goal, code="S1.1", text="Meningkatnya mutu pelayanan kegawatdaruratan"
    )
    immunisation = strategic_target_save(
        by=SYSTEM, goal=goal, code="S1.2", text="Meningkatnya cakupan imunisasi"
    )
    dukcapil_goal = goal_save(
        by=SYSTEM,
        agency=cast.dukcapil,
        mission=plan.missions.get(number=1),
        code="T1",
        text="Layanan cepat",
    )
    strategic_target_save(
        by=SYSTEM, goal=dukcapil_goal, code="S1.1", text="KTP-el terbit tepat waktu"
    )

    def indicator(agency, **values):
        base = {"period_type": "monthly", "data_source": "manual"}
        return indicator_save(by=SYSTEM, agency=agency, values=base | values)

    response = indicator(
        cast.dinkes,
        code="IKU-01",
        name="Waktu respon penanganan kegawatdaruratan",
        unit_of_measure="menit",
        polarity="lower_is_better",
        aggregation="average",
        strategic_target=emergency,
        owner_unit=cast.units["pkm"],
        owner_position=cast.positions["kapus"],
    )
    coverage = indicator(
        cast.dinkes,
        code="IKU-02",
        name="Cakupan imunisasi dasar lengkap",
        unit_of_measure="%",
        polarity="higher_is_better",
        aggregation="last",
        period_type="quarterly",
        strategic_target=immunisation,
    )
    occupancy = indicator(
        cast.dinkes,
        code="IKU-03",
        name="Tingkat hunian tempat tidur",
        unit_of_measure="%",
        polarity="range",
        aggregation="average",
    )
    ratio = indicator(
        cast.dinkes,
        code="IKU-04",
        name="Separuh cakupan imunisasi",
        unit_of_measure="%",
        polarity="higher_is_better",
        aggregation="last",
        data_source="formula",
        formula="{IKU-02} / 2",
        strategic_target=immunisation,
    )
    ktp = indicator(
        cast.dukcapil,
        code="IKU-01",
        name="Rata-rata waktu penerbitan KTP-el",
        unit_of_measure="jam",
        polarity="lower_is_better",
        aggregation="average",
    )
    target_set(
        by=SYSTEM, indicator=response, year=YEAR, value=D(15), quarters=[D(16), D(15), D(15), D(14)]
    )
    target_set(
        by=SYSTEM,
        indicator=coverage,
        year=YEAR,
        value=D("95.5"),
        quarters=[None, D(50), None, D("95.5")],
    )
    target_set(
        by=SYSTEM,
        indicator=occupancy,
        year=YEAR,
        low=D(60),
        high=D(80),
        quarters=[(D(60), D(80)), (D(60), D(80)), (D(65), D(85)), (D(60), D(80))],
    )
    target_set(by=SYSTEM, indicator=ratio, year=YEAR, value=D(45))
    target_set(by=SYSTEM, indicator=ktp, year=YEAR, value=D(24))
    for month, value in enumerate(["14.5", "16", "15", "13.25"], start=1):
        realisation_record(
            indicator=response,
            year=YEAR,
            month=month,
            value=D(value),
            note=f"Rekap register IGD bulan {month}",
            supporting="Ambulans kedua siaga" if month == 1 else "",
            hindering="Banjir" if month == 2 else "",
            by=cast.pengelola,
        )
    realisation_record(indicator=coverage, year=YEAR, month=6, value=D("48.2"), by=cast.pengelola)
    realisation_record(indicator=coverage, year=YEAR, month=12, value=D(93), by=cast.pengelola)
    realisation_record(indicator=occupancy, year=YEAR, month=1, value=D("0.1"), by=cast.pengelola)
    realisation_record(indicator=ktp, year=YEAR, month=1, value=D(20), by=cast.admin)
    # Setup shortcut: the values as their verifier accepted them (only verified values count).
    Realisation.objects.current().filter(indicator__in=[response, coverage, occupancy, ktp]).update(
        state=RealisationState.VERIFIED
    )
    if agree:
        agreement = PerformanceAgreement.objects.get(agency=cast.dinkes, year=YEAR)
        agreement_transition(agreement=agreement, action="submit", by=cast.pengelola)
        agreement_transition(agreement=agreement, action="agree", by=cast.head)
    return Performance(response, coverage, occupancy, ratio, ktp)


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets, each a list of rows (the first the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run_import(data: bytes, *, user=SYSTEM, dry_run=False, name="impor.xlsx"):
    rows = imports.read_workbook(name, data)
    with audit.door(Channel.IMPORT, user_of(user), label="test import"):
        return imports.import_workbook(rows, by=user, dry_run=dry_run)


INDICATOR_HEADER = ["kode_instansi", "kode", "nama", "satuan", "polaritas", "agregasi"]


REALISATION_HEADER = ["kode_instansi", "kode_indikator", "periode", "nilai", "catatan"]


TEMPLATE = reverse("strategy:import_template")


def export_url(agency="DINKES", year=YEAR):
    return reverse("strategy:export", kwargs={"agency": agency, "year": year})
