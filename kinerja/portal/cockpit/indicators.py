"""The cockpit's indicators (IKU): each one's latest measured quarter with its band, a 12-month
sparkline of its values, the slipping ones first — all from ``strategy.selectors``
(``indicator_results``), read for this year and the last (a bounded number of queries,
whatever the number of indicators)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse

from kinerja.core.rules import AchievementRules, Band, achievement_rules
from kinerja.strategy.models import Indicator
from kinerja.strategy.selectors import IndicatorResult, PeriodResult, indicator_results

from .common import is_slipping, last_twelve_months


@dataclass
class IndicatorRow:
    indicator: Indicator
    url: str
    latest: PeriodResult | None  # the latest quarter with a measurable achievement (this
    # year's, else last year's while this year has none)
    slipping: bool
    sparkline: list[float | None]  # the values of the last twelve months, oldest first


@dataclass
class BandCount:
    label: str
    colour: str
    count: int


@dataclass
class IndicatorPanel:
    rows: list[IndicatorRow]
    bands: list[BandCount]
    unmeasured: int
    months: list[str] = field(default_factory=list)  # the sparklines' labels, "MM/YYYY"

    @property
    def slipping(self) -> list[IndicatorRow]:
        return [r for r in self.rows if r.slipping]


def _latest(result: IndicatorResult, today: date) -> PeriodResult | None:
    """The latest quarter begun by ``today`` whose achievement is measurable."""
    for quarter in reversed(result.quarters):
        if quarter.period.start <= today and quarter.achievement_pct is not None:
            return quarter
    return None


def _value(results: dict[int, dict[int, IndicatorResult]], pk: int, year: int, month: int):
    result = results[year].get(pk)
    value = result.months.get(month) if result is not None and not result.hidden else None
    return None if value is None else float(value)


def _order(row: IndicatorRow) -> tuple:
    pct = row.latest.achievement_pct if row.latest else None
    return (not row.slipping, pct is None, pct if pct is not None else Decimal(0), row.url)


def _band_counts(rows: list[IndicatorRow], rules: AchievementRules) -> list[BandCount]:
    counts: dict[Band, int] = dict.fromkeys(rules.bands, 0)
    for row in rows:
        band = row.latest.band if row.latest else None
        if band is not None:
            counts[band] = counts.get(band, 0) + 1
    return [BandCount(band.label, band.colour, n) for band, n in counts.items()]


def indicator_panel(indicators: list[Indicator], today: date, *, viewer) -> IndicatorPanel:
    """The indicators by band, slipping first, each with its sparkline."""
    rules = achievement_rules(today.year)
    months = last_twelve_months(today)
    years = sorted({y for y, _m in months})
    results = {
        y: indicator_results(indicators, y, viewer=viewer, rules=rules if y == today.year else None)
        for y in years
    }
    rows = []
    for ind in indicators:
        current = results[today.year][ind.pk]
        latest = None if current.hidden else _latest(current, today)
        previous = results.get(today.year - 1, {}).get(ind.pk)
        if latest is None and previous is not None and not previous.hidden:
            latest = _latest(previous, today)  # early in the year: last year's last quarter
        rows.append(
            IndicatorRow(
                indicator=ind,
                url=reverse("strategy:indicator", args=[ind.pk]),
                latest=latest,
                slipping=is_slipping(
                    rules.band_for(latest.achievement_pct) if latest else None, rules
                ),
                sparkline=[_value(results, ind.pk, y, m) for y, m in months],
            )
        )
    rows.sort(key=_order)
    return IndicatorPanel(
        rows=rows,
        bands=_band_counts(rows, rules),
        unmeasured=sum(1 for r in rows if r.latest is None),
        months=[f"{m:02d}/{y}" for y, m in months],
    )
