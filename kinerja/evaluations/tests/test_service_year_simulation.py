"""A year in one test (issue 10): one functional employee through a year, through the real
operations, with the credit-point ledger asserted month by month (kinerja/evaluations/ledger.py;
docs/architecture.md "Credit points: months counted once").

The year (``YEAR``, every date explicit):

* TMT in March as Perawat Terampil (coefficient 5) at Dinas Kesehatan, which evaluates
  **monthly** — on 1 March (March counts) or on 15 March (from April);
* a transfer on 15 July (SK number) to Pranata Komputer Ahli Pertama (12.5) at Dinas Dukcapil,
  which evaluates **quarterly** (the rhythm is per agency and year: the second agency gives the
  second rhythm); July stays with the first plan, which is rated for it after it closed;
* every period rated once it opens (the day after it ends); the year's last quarter is rated by
  the annual rating (both open on 1 January): the annual rating counts the months no periodic
  rating covers, so that the objection to it has months to move;
* the annual rating of each plan on 4 January of the next year;
* a correction of May (Butuh Perbaikan → Baik) by the first rater's superior after May's
  deadline;
* an objection to the second plan's annual predicate: the rater's superior asks the rater to
  explain, the rater explains, the predicate is changed (Baik → Sangat Baik).

The expected ledger is ``YEAR_TABLE``: per calendar month the plan that counts it, the rating
(period) that counts it, the coefficient, the predicate in force and the month's points
(``1 × percentage × coefficient ÷ 12``, exact). An entry is the sum of its months, rounded to
two decimals (half up) once per entry, as the ledger does."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import User
from kinerja.evaluations import services
from kinerja.evaluations.ledger import credit_ledger
from kinerja.evaluations.models import CreditEntry, Evaluation, Objection
from kinerja.organizations.chains import rater_chains_sync
from kinerja.organizations.models import Employee, Position
from kinerja.skp import services as skp_services
from kinerja.skp.models import Skp, SkpState
from kinerja.testing.factories import make_nip, user_for

from .support import YEAR

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NEXT = YEAR + 1
SB, B, BP = "Sangat Baik", "Baik", "Butuh Perbaikan"
#: The default percentages (PerBKN 3/2023) the table's points rest on.
PERCENT = {SB: D("150.00"), B: D("100.00"), BP: D("75.00")}
#: (results rating, behaviour rating) giving each predicate in the default quadrant.
RATINGS = {SB: ("above", "above"), B: ("meets", "meets"), BP: ("below", "meets")}
TRANSFER_DAY = date(YEAR, 7, 15)


class Month(NamedTuple):
    """What one calendar month is in the ledger: the plan that counts it, the rating that
    counts it ("03": the monthly rating of March, "Q3", "year": the annual rating), the
    coefficient, the predicate in force and the month's points."""

    plan: str
    rating: str
    coefficient: str
    predicate: str
    points: Fraction


def month(plan: str, rating: str, coefficient: str, predicate: str, points: str) -> Month:
    return Month(plan, rating, coefficient, predicate, Fraction(points))


# fmt: off
YEAR_TABLE: dict[int, Month | None] = {
    1: None,
    2: None,
    3: month("first", "03", "5", B, "5/12"),  # counted only with the TMT on 1 March
    4: month("first", "04", "5", B, "5/12"),
    5: month("first", "05", "5", BP, "5/16"),  # 75 % × 5 ÷ 12; corrected: Baik, 5/12
    6: month("first", "06", "5", SB, "5/8"),  # 150 % × 5 ÷ 12
    7: month("first", "07", "5", B, "5/12"),  # transfer on 15 July: July is the first plan's
    8: month("second", "Q3", "12.5", BP, "25/32"),  # 75 % × 12.5 ÷ 12
    9: month("second", "Q3", "12.5", BP, "25/32"),
    10: month("second", "year", "12.5", B, "25/24"),  # no Q4 rating: the annual one counts
    11: month("second", "year", "12.5", B, "25/24"),  # October–December; after the
    12: month("second", "year", "12.5", B, "25/24"),  # objection Sangat Baik, 25/16
}
#: What the correction of May and the objection's decision change: month → (predicate, points).
CORRECTION = {5: (B, "5/12")}
DECISION = {10: (SB, "25/16"), 11: (SB, "25/16"), 12: (SB, "25/16")}
# fmt: on

TMT_VARIANTS = pytest.mark.parametrize(
    ("tmt", "first_month"),
    [(date(YEAR, 3, 1), 3), (date(YEAR, 3, 15), 4)],
    ids=["TMT 1 March", "TMT 15 March"],
)


# --- The table ---------------------------------------------------------------------------------


def table_from(first_month: int, *changes: dict[int, tuple[str, str]]) -> dict[int, Month | None]:
    """``YEAR_TABLE`` for a TMT whose first counted month is ``first_month``, with ``changes``
    (the correction, the decision) applied."""
    table = {
        m: None if row is None or (row.plan == "first" and m < first_month) else row
        for m, row in YEAR_TABLE.items()
    }
    for change in changes:
        for m, (predicate, points) in change.items():
            row = table[m]
            assert row is not None
            table[m] = row._replace(predicate=predicate, points=Fraction(points))
    return table


def period_of(rating: str) -> str:
    return str(YEAR) if rating == "year" else f"{YEAR}-{rating}"


def cents(value: Fraction) -> D:
    return (D(value.numerator) / D(value.denominator)).quantize(D("0.01"), ROUND_HALF_UP)


def expected_months(table: dict[int, Month | None]) -> dict[int, list[tuple]]:
    """Month → [(plan, period, predicate, coefficient)]: one for a counted month, none else."""
    return {
        m: [] if row is None else [(row.plan, period_of(row.rating), row.predicate,
                                    D(row.coefficient))]
        for m, row in table.items()
    }  # fmt: skip


def expected_entries(table: dict[int, Month | None]) -> dict[tuple[str, str], tuple]:
    """(plan, period) → (months, first, last, predicate, percent, coefficient, points): the
    sum of the entry's months, rounded once."""
    months: dict[tuple[str, str], list[int]] = defaultdict(list)
    for m, row in table.items():
        if row is not None:
            months[(row.plan, period_of(row.rating))].append(m)
    entries = {}
    for key, counted in months.items():
        rows = [table[m] for m in counted]
        first = rows[0]
        assert first is not None and all(r is not None and r[:4] == first[:4] for r in rows)
        total = sum((r.points for r in rows if r is not None), Fraction(0))
        entries[key] = (
            len(counted), min(counted), max(counted), first.predicate, PERCENT[first.predicate],
            D(first.coefficient), cents(total),
        )  # fmt: skip
    return entries


# --- The ledger as stored ----------------------------------------------------------------------


def ledger_entries(employee: Employee, plans: dict[int, str]) -> dict[tuple[str, str], tuple]:
    return {
        (plans[e.skp_id], e.period): (
            e.months,
            e.first_month,
            e.last_month,
            e.predicate,
            e.percent,
            e.coefficient,
            e.points,
        )
        for e in CreditEntry.objects.filter(employee=employee)
    }


def ledger_months(employee: Employee, plans: dict[int, str]) -> dict[int, list[tuple]]:
    counted: dict[int, list[tuple]] = {m: [] for m in range(1, 13)}
    for e in CreditEntry.objects.filter(employee=employee):
        assert e.first_month is not None and e.last_month is not None
        for m in range(e.first_month, e.last_month + 1):
            counted[m].append((plans[e.skp_id], e.period, e.predicate, e.coefficient))
    return counted


def changed(before: dict, after: dict) -> set:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


# --- The year's operations ---------------------------------------------------------------------


def at(month: int, day: int, year: int = YEAR) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=WIB)


def opens(rating: str) -> datetime:
    """The day the rating opens (the day after the period ends): ratings come that day."""
    if rating == "year":
        return at(1, 4, NEXT)  # the year opens on 1 January; a working day after it
    if rating.startswith("Q"):
        return at(int(rating[1]) * 3 + 1, 1)
    return at(int(rating) + 1, 1)


def rate(by, skp: Skp, rating: str, predicate: str, now: datetime | None = None) -> Evaluation:
    results, behaviour = RATINGS[predicate]
    return services.evaluation_rate(
        skp=skp, by=by, period=period_of(rating), results_rating=results,
        behaviour_rating=behaviour, now=now or opens(rating),
    )  # fmt: skip


def rate_months(by, skp: Skp, table: dict[int, Month | None], months: range) -> None:
    for m in months:
        row = table[m]
        if row is not None and row.plan == "first":
            rate(by, skp, row.rating, row.predicate)


def approved(skp: Skp, by, rater) -> Skp:
    skp_services.rhk_add(
        skp=skp, by=by, kind="utama", text="Hasil kerja jabatan",
        indicators=[{"aspect": "kuantitas", "text": "Layanan", "target": "1200", "unit": "kali"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=skp, by=by)
    skp_services.skp_approve(skp=skp, by=rater)
    skp.refresh_from_db()
    return skp


def enter(cast, tmt: date) -> Skp:
    """The agencies' rhythms of the year, and the entrant's plan from the TMT."""
    services.rhythm_set(agency=cast.dinkes, year=YEAR, rhythm="monthly", by=cast.pengelola)
    services.rhythm_set(agency=cast.dukcapil, year=YEAR, rhythm="quarterly", by=cast.other_head)
    skp = skp_services.skp_create(
        employee=cast.employees["employee"], year=YEAR, by=cast.pengelola, start=tmt,
        sk_number=f"800/12/BKPSDM/{YEAR}",
    )  # fmt: skip
    return approved(skp, cast.pengelola, cast.rater)


def move_to_dukcapil(cast) -> User:
    """Dukcapil gets a Kepala Bidang (the new rater, under its Kepala Dinas) and a Pranata
    Komputer Ahli Pertama position, and the employee moves there (the organisation's data,
    written as ledger_support.transfer writes it). Returns the new rater's account."""
    unit = cast.units["dukcapil"]
    kabid = Position.objects.create(
        unit=unit, code="DUKCAPIL-KABID-DAFDUK", name="Kepala Bidang Pendaftaran Penduduk",
        kind="administrator", reports_to=cast.positions["dukcapil_kadis"],
    )  # fmt: skip
    prakom = Position.objects.create(
        unit=unit, code="DUKCAPIL-PRAKOM-AP", name="Pranata Komputer Ahli Pertama", kind="jf",
        level="ahli_pertama", reports_to=kabid,
    )  # fmt: skip
    rater = Employee.objects.create(
        nip=make_nip(109, sex=2), name="Fitri Handayani, S.Kom", status="pns", rank="III/d",
        unit=unit, position=kabid,
    )  # fmt: skip
    employee = cast.employees["employee"]
    employee.unit, employee.position = unit, prakom
    employee.save()
    rater_chains_sync()
    return user_for(rater)


def transfer(cast, first: Skp) -> tuple[Skp, User]:
    """The transfer on 15 July, recorded by the region's administrator (the employee now
    belongs to another agency); the new plan, approved by the new rater."""
    new_rater = move_to_dukcapil(cast)
    second = skp_services.skp_transfer(
        skp=first, by=cast.admin, on=TRANSFER_DAY, sk_number=f"821/77/BKPSDM/{YEAR}"
    )
    first.refresh_from_db()
    assert (first.state, first.ends_on, first.end_reason) == (
        SkpState.CLOSED,
        TRANSFER_DAY,
        "transfer",
    )
    assert (second.starts_on, second.tmt_sk_number, second.previous_id) == (
        TRANSFER_DAY, f"821/77/BKPSDM/{YEAR}", first.pk,
    )  # fmt: skip
    assert (second.position_level, second.rater.name) == ("ahli_pertama", "Fitri Handayani, S.Kom")
    return approved(second, cast.employee, new_rater), new_rater


def refused(by, skp: Skp, rating: str, now: datetime | None = None) -> str:
    """Why rating ``rating`` is refused: "field: message" or the message without a field."""
    with pytest.raises(ValidationError) as refusal:
        rate(by, skp, rating, B, now)
    error = refusal.value
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
    return " ".join(error.messages)


class Year(NamedTuple):
    first: Skp
    second: Skp
    new_rater: User


def live_the_year(cast, tmt: date, first_month: int, table) -> Year:
    """Every rating of the year in its order, and the ratings refused on the way."""
    first = enter(cast, tmt)
    for m in range(1, first_month):  # before the TMT's first counted month
        assert refused(cast.rater, first, f"{m:02d}").startswith("period:"), m
    assert refused(cast.rater, first, "Q1").startswith(
        "period:"
    )  # Dinas Kesehatan evaluates monthly
    rate_months(cast.rater, first, table, range(first_month, 7))
    second, new_rater = transfer(cast, first)
    too_early = refused(cast.rater, first, "07", now=at(7, 31))  # July is still running
    assert not too_early.startswith("period:") and f"01/08/{YEAR}" in too_early
    rate_months(cast.rater, first, table, range(7, 8))  # the closed plan, for its own July
    assert refused(cast.rater, first, "08").startswith("period:")  # the second plan's month
    assert refused(new_rater, second, "08").startswith(
        "period:"
    )  # Dinas Dukcapil evaluates quarterly
    rate(new_rater, second, "Q3", BP)
    rate(cast.rater, first, "year", B)
    rate(new_rater, second, "year", B)
    first.refresh_from_db()
    assert first.state == SkpState.CLOSED  # rated for its months, and still closed
    return Year(first, second, new_rater)


def correct_may(cast, first: Skp) -> None:
    """May (due by 5 June) corrected in January: by the rater's superior, not the rater."""
    may = Evaluation.objects.get(skp=first, period=period_of("05"))
    with pytest.raises(PermissionDenied):
        services.evaluation_correct(
            evaluation=may, by=cast.rater, results_rating="meets", behaviour_rating="meets",
            reason="-", now=at(1, 5, NEXT),
        )  # fmt: skip
    services.evaluation_correct(
        evaluation=may, by=cast.rater_superior, results_rating="meets", behaviour_rating="meets",
        reason="Realisasi Mei terlambat diverifikasi; capaian memenuhi ekspektasi.",
        now=at(1, 5, NEXT),
    )  # fmt: skip


def object_and_decide(cast, annual: Evaluation, new_rater) -> Objection:
    """The employee objects; the rater's superior asks the rater to explain, the rater
    explains, and the superior changes the predicate to Sangat Baik."""
    objection = services.objection_file(
        evaluation=annual, by=cast.employee, reason="Capaian triwulan IV di atas target.",
        now=at(1, 6, NEXT),
    )  # fmt: skip
    services.objection_explanation_request(
        objection=objection, by=cast.other_head, now=at(1, 7, NEXT)
    )
    with pytest.raises(ValidationError):  # the explanation is awaited
        services.objection_decide(
            objection=objection, by=cast.other_head, outcome="changed", reason="-",
            results_rating="above", behaviour_rating="above", now=at(1, 8, NEXT),
        )  # fmt: skip
    services.objection_explain(
        objection=objection, by=new_rater, text="Data Desember belum saya terima saat menilai.",
        now=at(1, 8, NEXT),
    )  # fmt: skip
    services.objection_decide(
        objection=objection, by=cast.other_head, outcome="changed",
        reason="Bukti dukung triwulan IV menunjukkan capaian di atas ekspektasi.",
        results_rating="above", behaviour_rating="above", now=at(1, 9, NEXT),
    )  # fmt: skip
    objection.refresh_from_db()
    return objection


def check_the_objection(cast, year: Year, plans, corrected, first_month: int) -> None:
    """The objection's decision changes the second plan's annual entry, and nothing else."""
    employee = cast.employees["employee"]
    annual = Evaluation.objects.get(skp=year.second, annual=True)
    assert (annual.months, annual.credit_points) == (5, D("4.69"))  # 1.56 + 3.13
    objection = object_and_decide(cast, annual, year.new_rater)
    assert objection.outcome == "changed" and objection.explanation.startswith("Data Desember")
    decided = ledger_entries(employee, plans)
    assert changed(corrected, decided) == {("second", str(YEAR))}
    assert decided == expected_entries(table_from(first_month, CORRECTION, DECISION))
    assert decided[("second", str(YEAR))][-1] == D("4.69")  # 3 × 150 % × 12.5 ÷ 12 = 4.6875
    annual.refresh_from_db()
    assert (annual.predicate, annual.months, annual.credit_points) == (SB, 5, D("6.25"))
    ledger = credit_ledger(employee, YEAR)
    assert ledger.total == ledger.running_total == sum((e[-1] for e in decided.values()), D(0))
    assert ledger.total == {3: D("8.56"), 4: D("8.14")}[first_month]
    with pytest.raises(ValidationError):  # decided: it changes by no correction
        services.evaluation_correct(
            evaluation=annual, by=year.new_rater, results_rating="meets",
            behaviour_rating="meets", reason="-", now=at(1, 10, NEXT),
        )  # fmt: skip


# --- The tests ---------------------------------------------------------------------------------


def test_the_table_is_months_times_percentage_times_coefficient_over_twelve():
    rows = [row for row in YEAR_TABLE.values() if row is not None]
    rows += [
        YEAR_TABLE[m]._replace(predicate=p, points=Fraction(x))  # type: ignore[union-attr]
        for m, (p, x) in {**CORRECTION, **DECISION}.items()
    ]
    for row in rows:
        percent = Fraction(PERCENT[row.predicate]) / 100
        assert row.points == percent * Fraction(row.coefficient) / 12, row


@TMT_VARIANTS
def test_a_year_in_one_test(cast, tmt, first_month):
    table = table_from(first_month)
    year = live_the_year(cast, tmt, first_month, table)
    first, second = year.first, year.second
    plans = {first.pk: "first", second.pk: "second"}
    employee = cast.employees["employee"]
    # every month counted exactly once, by the plan and rating of the table; none before the TMT
    assert ledger_months(employee, plans) == expected_months(table)
    entries = ledger_entries(employee, plans)
    assert entries == expected_entries(table)
    assert ("first", str(YEAR)) not in entries  # every month of the first plan rated periodically
    ledger = credit_ledger(employee, YEAR)
    assert ledger.total == ledger.running_total == sum((e[-1] for e in entries.values()), D(0))
    assert ledger.total == {3: D("6.89"), 4: D("6.47")}[first_month]
    first_annual = Evaluation.objects.get(skp=first, annual=True)
    first_total = sum((v[-1] for k, v in entries.items() if k[0] == "first"), D(0))
    assert (first_annual.months, first_annual.credit_points) == (8 - first_month, first_total)

    correct_may(cast, first)
    corrected = ledger_entries(employee, plans)
    assert changed(entries, corrected) == {("first", period_of("05"))}
    assert corrected == expected_entries(table_from(first_month, CORRECTION))
    first_annual.refresh_from_db()  # the annual rating's total follows its plan's entries
    assert first_annual.credit_points == first_total + D("0.11")  # 0.31 → 0.42
    assert credit_ledger(employee, YEAR).running_total == ledger.running_total + D("0.11")
    check_the_objection(cast, year, plans, corrected, first_month)
