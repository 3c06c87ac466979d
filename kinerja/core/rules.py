"""Reading the year-versioned rule tables: the rows in force for a given year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import AchievementBand, AchievementSetting


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
    setting = (
        AchievementSetting.objects.filter(valid_from__lte=year).order_by("-valid_from").first()
    )
    band_year = (
        AchievementBand.objects.filter(valid_from__lte=year)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    bands = AchievementBand.objects.filter(valid_from=band_year) if band_year is not None else []
    ordered = sorted(
        (Band(b.label, b.min_pct, b.colour) for b in bands),
        key=lambda b: b.min_pct if b.min_pct is not None else Decimal("-Infinity"),
        reverse=True,
    )
    return AchievementRules(
        year=year,
        cap_pct=setting.cap_pct if setting else Decimal("120"),
        bands=tuple(ordered),
    )
