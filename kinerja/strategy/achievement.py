"""Achievement (capaian) of a realisation against its target, exactly as domain.md §2 says,
and how monthly values combine into quarters and the year.

Pure functions over ``Decimal``: no database, so that every rule is tested row by row.

* higher is better: ``R / T × 100``
* lower is better: ``(2 − R / T) × 100`` (the *standard* formula), or ``T / R × 100`` where the
  indicator says so (the *inverse* formula some reports use)
* a target range ``[lo, hi]``: 100 inside; below it the higher-is-better formula against
  ``lo``; above it the lower-is-better formula against ``hi`` — or 100 when the indicator says
  exceeding the range is no fault (``range_above="full"``)
* "not measurable" (``None``) when the target is zero or missing, or the realisation missing;
  never a division error
* capped at the year's maximum (120 % by default); there is no floor, so a response time three
  times the target gives −100 %, which the bands read as *Sangat Kurang*

Decisions where domain.md is silent: the inverse formula with a realisation of 0 (nothing
left to do better) gives the cap; a range whose bound is 0 on the side the realisation
falls is not measurable, like a zero target.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from kinerja.core.rules import DEFAULT_CAP_PCT

HUNDRED = Decimal(100)
TWO = Decimal(2)
CENT = Decimal("0.01")


class Polarity:
    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"
    RANGE = "range"


class Aggregation:
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"


def _higher(realisation: Decimal, target: Decimal) -> Decimal:
    return realisation / target * HUNDRED


def _lower(realisation: Decimal, target: Decimal, formula: str) -> Decimal | None:
    if formula == "inverse":
        if realisation == 0:
            return None  # the caller turns this into the cap
        return target / realisation * HUNDRED
    return (TWO - realisation / target) * HUNDRED


def achievement_pct(
    *,
    polarity: str,
    realisation: Decimal | None,
    target: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    cap: Decimal = DEFAULT_CAP_PCT,
    lower_formula: str = "standard",
    range_above: str = "penalize",
) -> Decimal | None:
    """The achievement in %, unrounded and capped; ``None`` when not measurable."""
    if realisation is None:
        return None
    if polarity == Polarity.RANGE:
        if low is None or high is None:
            return None
        if low <= realisation <= high:
            value = HUNDRED
        elif realisation < low:
            if low == 0:
                return None
            value = _higher(realisation, low)
        else:
            if range_above == "full":
                value = HUNDRED
            elif high == 0:
                return None
            else:
                value = _lower(realisation, high, lower_formula)
                if value is None:
                    return cap
    else:
        if target is None or target == 0:
            return None
        if polarity == Polarity.HIGHER:
            value = _higher(realisation, target)
        elif polarity == Polarity.LOWER:
            value = _lower(realisation, target, lower_formula)
            if value is None:
                return cap
        else:
            raise ValueError(f"unknown polarity {polarity!r}")
    return min(value, cap)


def rounded(pct: Decimal | None) -> Decimal | None:
    """Two decimals, half up: what is shown, exported and put into bands."""
    return None if pct is None else pct.quantize(CENT, rounding=ROUND_HALF_UP)


def combine(values: Iterable[Decimal | None], how: str) -> Decimal | None:
    """Monthly values of a quarter or a year, combined by the indicator's rule; months without
    a value are left out; ``None`` when there is none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if how == Aggregation.SUM:
        return sum(present, Decimal(0))
    if how == Aggregation.AVERAGE:
        return sum(present, Decimal(0)) / len(present)
    if how == Aggregation.LAST:
        return present[-1]
    raise ValueError(f"unknown aggregation {how!r}")
