"""Reading the year-versioned rule tables (regulation as data): the rows in force for a year.

Every rule table has a ``valid_from`` year; a row applies from that year until a row with a
later ``valid_from`` replaces it. A table of one row per year (a setting) is read with
:func:`row_in_force`, a table of many rows per year (bands, a quadrant, a curve) with
:func:`in_force`: the rows of the latest ``valid_from`` not after the year. The index of every
rule table, its reader and its regulation is in ``docs/architecture.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, QuerySet

from .models import AchievementBand, AchievementSetting

M = TypeVar("M", bound=Model)

#: The cap on achievement when no setting is in force (domain.md §2).
DEFAULT_CAP_PCT = Decimal(120)


def _rows(table: type[M] | QuerySet[M]) -> QuerySet[M]:
    return table if isinstance(table, QuerySet) else table._default_manager.all()


def in_force(table: type[M] | QuerySet[M], year: int) -> QuerySet[M]:
    """The rows of ``table`` (a model, or a queryset of its rows such as one agency's) in
    force in ``year``: those of the latest ``valid_from`` ≤ year (none when the table starts
    later). One query when evaluated."""
    rows = _rows(table)
    latest = rows.filter(valid_from__lte=year).order_by("-valid_from").values("valid_from")[:1]
    return rows.filter(valid_from__in=latest)


def row_in_force(table: type[M] | QuerySet[M], year: int) -> M | None:
    """The one row of a setting table (a model, or a queryset of its rows) in force in
    ``year``, or ``None``."""
    return _rows(table).filter(valid_from__lte=year).order_by("-valid_from").first()


@dataclass(frozen=True)
class Band:
    label: str
    min_pct: Decimal | None
    colour: str


@dataclass(frozen=True)
class AchievementRules:
    year: int
    cap_pct: Decimal
    bands: tuple[Band, ...]  # highest first

    def band_for(self, pct: Decimal | None) -> Band | None:
        """The band of an achievement; ``None`` when it is not measurable."""
        if pct is None:
            return None
        for band in self.bands:
            if band.min_pct is None or pct >= band.min_pct:
                return band
        return self.bands[-1] if self.bands else None


def achievement_rules(year: int) -> AchievementRules:
    """The cap and the bands in force in ``year`` (two queries)."""
    setting = row_in_force(AchievementSetting, year)
    bands = in_force(AchievementBand, year)
    ordered = sorted(
        (Band(b.label, b.min_pct, b.colour) for b in bands),
        key=lambda b: b.min_pct if b.min_pct is not None else Decimal("-Infinity"),
        reverse=True,
    )
    return AchievementRules(
        year=year,
        cap_pct=setting.cap_pct if setting else DEFAULT_CAP_PCT,
        bands=tuple(ordered),
    )
