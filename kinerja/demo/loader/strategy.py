"""The organisational-performance part of the demo (``data/strategy.yaml``): Kota Palembang's
medium-term plan, each agency's goals, strategic targets and indicators, two years of
performance agreements and the realisations of the months so far, with a few evidence files.

Everything goes through the strategy operations (``plan_save`` … ``evidence_add``), each step
by the person who takes it in real life: the owner of an indicator (or the agency's Pengelola
Kinerja) enters and submits, the owner's superior verifies, the head of the agency agrees.
Nothing is random: monthly values follow a straight trend per indicator plus a fixed "noise"
taken from a hash of the indicator and the month, so every load gives the same numbers.
Loading again adds only what is missing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.models import Notification
from kinerja.organizations.models import Agency, Employee, Position, Region, Unit
from kinerja.strategy import permissions, services
from kinerja.strategy.models import (
    AgreementState,
    DataSource,
    Evidence,
    Indicator,
    IndicatorTarget,
    Mission,
    PerformanceAgreement,
    Plan,
    Realisation,
    RealisationState,
    StrategicTarget,
)
from kinerja.strategy.models import Goal as GoalModel

from .. import services as demo
from . import common, organisation
from .pdf import tiny_pdf
from .streams import ensure_streams

# --- The data ---------------------------------------------------------------------------------


def _noise(key: str) -> float:
    """A fixed number in [-1, 1] for ``key``: the same on every load and every machine."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 0xFFFFFFFF * 2 - 1


@dataclass(frozen=True)
class Trend:
    """Monthly values: a straight line from ``jan`` to ``dec`` plus a fixed noise of at most
    ``spread`` either way, rounded to ``places`` decimals."""

    jan: float
    dec: float
    spread: float = 0.0
    places: int = 2

    def at(self, month: int, key: str) -> Decimal:
        value = self.jan + (self.dec - self.jan) * (month - 1) / 11 + self.spread * _noise(key)
        return Decimal(str(round(value, self.places)))


@dataclass(frozen=True)
class Share:
    """A count that is a share of another indicator's count in the same month (so that the
    part never exceeds the whole): ``round(other × pct / 100)``."""

    of: str
    pct: Trend


@dataclass(frozen=True)
class TargetSpec:
    """A yearly target (``value``, or ``low``/``high`` for a range) and the four quarterly
    targets (a value, a ``(low, high)`` pair, or ``None``)."""

    value: str | None = None
    low: str | None = None
    high: str | None = None
    quarters: tuple = ()


@dataclass(frozen=True)
class Bound:
    """A stream metric that fills an indicator (``kinerja.streams.bindings``)."""

    stream: str  # the stream's code
    metric: str
    unit: str = ""  # a unit code: only that unit's cases
    duration_unit: str = ""  # durations: minutes, hours or days


@dataclass(frozen=True)
class GoalRow:
    agency: str
    code: str
    mission: int  # the mission's number
    text: str


@dataclass(frozen=True)
class TargetRow:
    agency: str
    goal: str
    code: str
    text: str


@dataclass(frozen=True)
class IndicatorRow:
    agency: str
    target: str  # the strategic target's code
    code: str
    name: str
    unit: str
    polarity: str
    aggregation: str
    period_type: str = "monthly"
    owner: str = ""  # the owning position's code; empty: the Pengelola Kinerja enters
    formula: str = ""
    source: str = ""  # the note on every realisation: where the number comes from
    goals: dict[str, TargetSpec] = field(default_factory=dict)  # "previous" / "current"
    values: dict[str, Trend | Share] = field(default_factory=dict)
    supporting: str = ""  # said of the current year's recent months
    hindering: str = ""
    #: Filled by a stream metric: no realisations are entered by hand (and no ``values``).
    stream: Bound | None = None


@dataclass(frozen=True)
class Marked:
    """One value of an indicator singled out: ``period`` -1 its last period, -2 the one
    before."""

    agency: str
    indicator: str
    period: int
    note: str
    first_value_above: str = "0"


@dataclass(frozen=True)
class EvidenceRow:
    agency: str
    indicator: str
    period: int  # as in Marked
    stem: str  # of the file's name
    description: str


def _spec(raw: dict) -> TargetSpec:
    if "value" in raw:
        quarters = raw.get("quarters", [raw["value"]] * 4)
        return TargetSpec(value=raw["value"], quarters=tuple(quarters))
    return TargetSpec(low=raw["low"], high=raw["high"], quarters=((raw["low"], raw["high"]),) * 4)


def _values(raw: dict) -> Trend | Share:
    trend = Trend(raw["jan"], raw["dec"], raw["spread"], raw["places"])
    return Share(raw["share_of"], trend) if "share_of" in raw else trend


def _indicator(raw: dict) -> IndicatorRow:
    return IndicatorRow(
        **{k: v for k, v in raw.items() if k not in {"goals", "values", "stream"}},
        goals={which: _spec(spec) for which, spec in raw.get("goals", {}).items()},
        values={which: _values(spec) for which, spec in raw.get("values", {}).items()},
        stream=Bound(**raw["stream"]) if "stream" in raw else None,
    )


DATA = common.read("strategy")
PLAN: dict = DATA["plan"]
MISSIONS: list[str] = PLAN["missions"]
GOALS = [GoalRow(**row) for row in DATA["goals"]]
TARGETS = [TargetRow(**row) for row in DATA["strategic_targets"]]
INDICATORS = [_indicator(row) for row in DATA["indicators"]]
AGREEMENT_STEPS: dict[str, dict[str, list[str]]] = DATA["agreement_steps"]
RETURN_NOTE: str = DATA["return_note"]
RECENT: int = DATA["recent_months"]  # the values of the last months wait for verification
CORRECTION = Marked(**DATA["correction"])
RETURNED = Marked(**DATA["returned"])
EVIDENCE = [EvidenceRow(**row) for row in DATA["evidence"]]
MONTH_NAMES: list[str] = DATA["month_names"]


# --- Derived values ---------------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or common.today()


def demo_years(today: date | None = None) -> dict[str, int]:
    today = _today(today)
    return {"previous": today.year - 1, "current": today.year}


def months_so_far(period_type: str, year: int, today: date | None = None) -> list[int]:
    """The months of ``year`` this kind of indicator reports in that have ended by ``today``."""
    today = _today(today)
    return sorted(
        m for m in services.PERIOD_MONTHS[period_type] if (year, m) < (today.year, today.month)
    )


def recent_months(today: date | None = None) -> set[tuple[int, int]]:
    """The last ``RECENT`` months before the present one, as (year, month)."""
    today = _today(today)
    index = today.year * 12 + today.month - 1
    return {(i // 12, i % 12 + 1) for i in range(index - RECENT, index)}


def planned_values(
    today: date | None = None,
) -> dict[tuple[str, str], dict[tuple[int, int], Decimal]]:
    """(agency, code) → {(year, month): value} of every manual indicator, oldest first."""
    years = demo_years(today)
    rows = {(r.agency, r.code): r for r in INDICATORS}
    result: dict[tuple[str, str], dict[tuple[int, int], Decimal]] = {}

    def value_of(row: IndicatorRow, which: str, year: int, month: int) -> Decimal:
        spec = row.values[which]
        key = f"{row.agency}/{row.code}/{year}-{month:02d}"
        if isinstance(spec, Share):
            whole = value_of(rows[(row.agency, spec.of)], which, year, month)
            share = whole * spec.pct.at(month, key) / 100
            return share.quantize(Decimal(1)).min(whole)
        return spec.at(month, key)

    for row in INDICATORS:
        if row.formula or row.stream:
            continue
        series = {}
        for which, year in years.items():
            if which not in row.values:
                continue
            for month in months_so_far(row.period_type, year, today):
                series[(year, month)] = value_of(row, which, year, month)
        result[(row.agency, row.code)] = series
    return result


# --- Loading ----------------------------------------------------------------------------------

COUNT_KEYS = [
    "plans", "goals", "strategic_targets", "indicators", "targets", "agreement_steps",
    "realisations", "verifications", "evidence",
]  # fmt: skip


class _People:
    """The demo's users by role: who enters, verifies, submits and agrees."""

    def __init__(self):
        self.agencies = {a.code: a for a in Agency.objects.select_related("head_position")}
        self.users_by_employee = {
            u.employee_id: u
            for u in User.objects.filter(employee__isnull=False).select_related("employee")
        }
        by_nip = {u.employee.nip: u for u in self.users_by_employee.values()}
        self.pengelola = {
            code: by_nip[organisation.nip_for(key)] for code, key in organisation.PENGELOLA.items()
        }
        holders: dict[int, list] = {}
        for employee in Employee.objects.filter(active=True).order_by("nip"):
            holders.setdefault(employee.position_id, []).append(employee)
        self.holders = holders

    def user_of(self, employee_id: int):
        return self.users_by_employee[employee_id]

    def head(self, agency):
        position_id = agency.head_position_id
        return self.user_of(self.holders[position_id][0].pk)

    def enterer(self, indicator):
        """The holder of the owning position (first by NIP), else the Pengelola Kinerja."""
        if indicator.owner_position_id:
            return self.user_of(self.holders[indicator.owner_position_id][0].pk)
        return self.pengelola[indicator.agency.code]

    def verifier(self, indicator):
        ids = permissions.verifiers(indicator)
        employees = [e for group in self.holders.values() for e in group if e.pk in ids]
        return self.user_of(min(employees, key=lambda e: e.nip).pk)


def load_strategy() -> dict[str, int]:
    """Load the performance part of the demo; call it inside the demo's transaction and audit
    door, after the organisation. Returns counts of what was created."""
    today = common.today()
    counts = dict.fromkeys(COUNT_KEYS, 0)
    last_notice = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    people = _People()
    targets = _plan_goals_and_targets(people, counts)
    indicators = _indicators(people, targets, counts)
    have_targets = set(IndicatorTarget.objects.values_list("indicator_id", "year"))
    for which, year in demo_years(today).items():
        _targets(which, year, indicators, have_targets, counts)
        _agreement_steps(which, year, people, counts)
    plans = planned_values(today)
    recorded = set(Realisation.objects.values_list("indicator_id", "year", "month"))
    for row in INDICATORS:
        if row.formula or row.stream:
            continue  # computed: from other indicators, or from a stream's cases
        indicator = indicators[(row.agency, row.code)]
        series = plans[(row.agency, row.code)]
        _realisations(row, indicator, series, people, recorded, counts, today)
    _evidence(indicators, plans, people, counts)
    demo.story_notices_clear(after=last_notice or 0, keep_links=_still_waiting(), by=SYSTEM)
    return counts


def _still_waiting() -> set[str]:
    """The links of the story's notices that still ask something: a value still awaiting its
    verification, an agreement still awaiting its head (the others happened long ago)."""
    links = {
        f"{reverse('strategy:indicator', args=[indicator])}?year={year}"
        for indicator, year in Realisation.objects.current()
        .filter(state=RealisationState.SUBMITTED)
        .values_list("indicator_id", "year")
    }
    links |= {
        reverse("strategy:agreement", args=[code, year])
        for code, year in PerformanceAgreement.objects.filter(
            state=AgreementState.SUBMITTED
        ).values_list("agency__code", "year")
    }
    return links


def _plan_goals_and_targets(people: _People, counts: dict[str, int]) -> dict:
    """The plan and its missions, the goals and the strategic targets (kept as they are when
    they exist); the strategic targets by (agency, code)."""
    region = Region.objects.get(code=organisation.REGION["code"])
    plan = Plan.objects.filter(region=region, start_year=PLAN["start_year"]).first()
    if plan is None:
        plan = services.plan_save(
            by=SYSTEM,
            region=region,
            title=PLAN["title"],
            start_year=PLAN["start_year"],
            end_year=PLAN["end_year"],
            vision=PLAN["vision"],
            missions=MISSIONS,
        )
        counts["plans"] += 1
    missions = {m.number: m for m in Mission.objects.filter(plan=plan)}
    goals = {(g.agency.code, g.code): g for g in GoalModel.objects.select_related("agency")}
    for row in GOALS:
        if (row.agency, row.code) not in goals:
            goals[(row.agency, row.code)] = services.goal_save(
                by=SYSTEM,
                agency=people.agencies[row.agency],
                mission=missions[row.mission],
                code=row.code,
                text=row.text,
            )
            counts["goals"] += 1
    targets = {(t.agency.code, t.code): t for t in StrategicTarget.objects.select_related("agency")}
    for row in TARGETS:
        if (row.agency, row.code) not in targets:
            targets[(row.agency, row.code)] = services.strategic_target_save(
                by=SYSTEM, goal=goals[(row.agency, row.goal)], code=row.code, text=row.text
            )
            counts["strategic_targets"] += 1
    return targets


def _indicators(people: _People, targets: dict, counts: dict[str, int]) -> dict:
    """The indicators, in the order of the table (a formula's references come first), by
    (agency, code)."""
    positions = {p.code: p for p in Position.objects.select_related("unit")}
    indicators = {
        (i.agency.code, i.code): i
        for i in Indicator.objects.select_related("agency", "owner_position")
    }
    # A bound indicator needs its stream: the streams are created here when missing (their
    # events come later, from loader.streams).
    streams = {s.code: s for s in ensure_streams()} if any(r.stream for r in INDICATORS) else {}
    for row in INDICATORS:
        if (row.agency, row.code) in indicators:
            continue
        owner = positions[row.owner] if row.owner else None
        indicators[(row.agency, row.code)] = services.indicator_save(
            by=SYSTEM,
            agency=people.agencies[row.agency],
            values={
                "code": row.code,
                "name": row.name,
                "unit_of_measure": row.unit,
                "polarity": row.polarity,
                "aggregation": row.aggregation,
                "period_type": row.period_type,
                "data_source": _source(row),
                "formula": row.formula,
                "strategic_target": targets[(row.agency, row.target)],
                "owner_unit": owner.unit if owner else None,
                "owner_position": owner,
            },
            binding=_binding(row.stream, streams),
        )
        counts["indicators"] += 1
    return indicators


def _targets(
    which: str, year: int, indicators: dict, have_targets: set, counts: dict[str, int]
) -> None:
    """The year's targets, while the agreement can take them."""
    for row in INDICATORS:
        spec = row.goals.get(which)
        indicator = indicators[(row.agency, row.code)]
        if spec is None or (indicator.pk, year) in have_targets:
            continue
        agreement = services.agreement_for(indicator.agency, year)
        if agreement is not None and not agreement.editable:
            continue  # agreed or awaiting the head since: leave it
        services.target_set(
            by=SYSTEM,
            indicator=indicator,
            year=year,
            value=_decimal(spec.value),
            low=_decimal(spec.low),
            high=_decimal(spec.high),
            quarters=[_quarter(q) for q in spec.quarters],
        )
        counts["targets"] += 1


def _agreement_steps(which: str, year: int, people: _People, counts: dict[str, int]) -> None:
    """The agreements' story: the Pengelola Kinerja submits, the head agrees or returns."""
    for agency_code, steps in AGREEMENT_STEPS[which].items():
        agency = people.agencies[agency_code]
        agreement = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
        if agreement is None or agreement.events.exists():
            continue  # no targets, or its story has begun: people own it now
        for action in steps:
            agreement = services.agreement_transition(
                agreement=agreement,
                action=action,
                by=people.pengelola[agency_code] if action == "submit" else people.head(agency),
                note=RETURN_NOTE if action == "return" else "",
            )
            counts["agreement_steps"] += 1


def _realisations(
    row: IndicatorRow,
    indicator: Indicator,
    series: dict[tuple[int, int], Decimal],
    people: _People,
    recorded: set,
    counts: dict[str, int],
    today: date,
) -> None:
    """Entered by the owner (or the Pengelola Kinerja), verified by the owner's superior,
    except the most recent ones; one corrected and one returned."""
    periods = list(series)
    if not periods:
        return
    enterer, verifier = people.enterer(indicator), people.verifier(indicator)
    recent = recent_months(today)
    for index, (year, month) in enumerate(periods):
        if (indicator.pk, year, month) in recorded:
            continue
        value = series[(year, month)]
        marked = (row.agency, row.code, index - len(periods))  # -1 for the last period
        texts = {"note": row.source}
        if year == today.year and (year, month) in recent:
            texts.update(supporting=row.supporting, hindering=row.hindering)
        if marked == (CORRECTION.agency, CORRECTION.indicator, CORRECTION.period):
            services.realisation_record(
                indicator=indicator,
                year=year,
                month=month,
                value=value + Decimal(CORRECTION.first_value_above),
                by=enterer,
                **texts,
            )
            counts["realisations"] += 1
            texts["note"] = CORRECTION.note
        realisation = services.realisation_record(
            indicator=indicator, year=year, month=month, value=value, by=enterer, **texts
        )
        counts["realisations"] += 1
        returned = marked == (RETURNED.agency, RETURNED.indicator, RETURNED.period)
        if (year, month) in recent and not returned:
            continue
        services.realisation_verify(
            realisation=realisation,
            by=verifier,
            accept=not returned,
            note=RETURNED.note if returned else "",
        )
        counts["verifications"] += 1


def _evidence(indicators: dict, plans: dict, people: _People, counts: dict[str, int]) -> None:
    """A few evidence files on recent months."""
    for row in EVIDENCE:
        indicator = indicators[(row.agency, row.indicator)]
        series = plans[(row.agency, row.indicator)]
        periods = list(series)
        if len(periods) < -row.period:
            continue
        year, month = periods[row.period]
        if Evidence.objects.filter(indicator=indicator, year=year, month=month).exists():
            continue
        month_name = MONTH_NAMES[month - 1]
        content = tiny_pdf(
            [
                f"{indicator.agency.name}",
                f"{indicator.code} {indicator.name}",
                f"{row.description}, {month_name.title()} {year}",
                f"Realisasi: {series[(year, month)]} {indicator.unit_of_measure}",
                "Dokumen contoh untuk demo Kinerja.",
            ]
        )
        services.evidence_add(
            indicator=indicator,
            year=year,
            month=month,
            upload=ContentFile(content, name=f"{row.stem}-{month_name}-{year}.pdf"),
            description=row.description,
            by=people.enterer(indicator),
        )
        counts["evidence"] += 1


def _source(row: IndicatorRow) -> str:
    if row.formula:
        return DataSource.FORMULA
    return DataSource.STREAM if row.stream else DataSource.MANUAL


def _binding(bound: Bound | None, streams: dict) -> dict | None:
    """``services.indicator_save``'s ``binding`` for a stream-bound row."""
    if bound is None:
        return None
    return {
        "stream": streams[bound.stream],
        "metric": bound.metric,
        "unit": Unit.objects.get(code=bound.unit) if bound.unit else None,
        "duration_unit": bound.duration_unit,
    }


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _quarter(item):
    if item is None:
        return None
    if isinstance(item, (tuple, list)):
        return (Decimal(str(item[0])), Decimal(str(item[1])))
    return Decimal(str(item))
