"""Reading the year-versioned rules of individual evaluation (domain.md §3.1–3.3) and applying
them. Each reader makes a few queries; the functions that apply a rule are pure, so that the
tables can be tested row by row and the annual closing can apply them to many employees with
one read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core.rules import in_force, row_in_force
from kinerja.skp.models import RhkKind

from .models import (
    CreditCoefficient,
    CreditPercent,
    CreditRequirement,
    CurveCheck,
    CurveMajority,
    CurveRule,
    EvaluationSetting,
    Predicate,
    QuadrantCell,
    Rating,
)

# --- The quadrant ------------------------------------------------------------------------------


def quadrant(year: int) -> dict[tuple[str, str], str]:
    """(results, behaviour) → predicate, for ``year``."""
    return {(c.results, c.behaviour): c.predicate for c in in_force(QuadrantCell, year)}


def predicate_for(
    results: str, behaviour: str, year: int, table: dict[tuple[str, str], str] | None = None
) -> str:
    table = table if table is not None else quadrant(year)
    try:
        return table[(results, behaviour)]
    except KeyError:
        raise ValueError(
            _("No predicate is defined for results %(results)s and behaviour %(behaviour)s.")
            % {"results": results, "behaviour": behaviour}
        ) from None


# --- The distribution curve -----------------------------------------------------------------


@dataclass(frozen=True)
class CurveWarning:
    org_predicate: str
    predicates: tuple[str, ...]
    rule: str
    value: Decimal
    actual: Decimal  # the share (%) or the count the rule looked at
    message: str


def curve_rules(year: int) -> dict[str, list[CurveRule]]:
    rules: dict[str, list[CurveRule]] = {}
    for rule in in_force(CurveRule, year).order_by("pk"):
        rules.setdefault(rule.org_predicate, []).append(rule)
    return rules


def _names(predicates: Iterable[str]) -> str:
    return " + ".join(predicates)


def _most(
    count: int, total: int, share: Decimal, others: int, majority: str
) -> tuple[str | None, Decimal]:
    """ "Sebagian besar": more than half of the unit (``more_than_half``, the default) or more
    frequent than any other predicate (``most_frequent``)."""
    if majority == CurveMajority.MOST_FREQUENT:
        if count <= others:
            return _("%(group)s should be the most frequent predicate (now %(count)d)."), Decimal(
                count
            )
        return None, Decimal(count)
    if count * 2 <= total:
        return _("More than half should be %(group)s (now %(share)s %%)."), share
    return None, share


def _check(
    rule: CurveRule, count: int, total: int, share: Decimal, others: int, majority: str
) -> tuple[str | None, Decimal]:
    """The message of a broken rule (``None`` when kept) and the share or count it looked at."""
    if rule.rule == CurveCheck.MOST:
        return _most(count, total, share, others, majority)
    if rule.rule == CurveCheck.MAX_PCT:  # the exact share, not the rounded one
        broken = count * 100 > rule.value * total
        return (
            _("At most %(value)s %% may be %(group)s (now %(share)s %%).") if broken else None
        ), share
    if rule.rule == CurveCheck.MIN_PCT:
        broken = count * 100 < rule.value * total
        return (
            _("At least %(value)s %% should be %(group)s (now %(share)s %%).") if broken else None
        ), share
    if rule.rule == CurveCheck.MIN_COUNT:
        message = _("At least %(value)s employee(s) should be %(group)s (now %(count)d).")
        return (message if count < rule.value else None), Decimal(count)
    message = _("At most %(value)s employee(s) may be %(group)s (now %(count)d).")  # MAX_COUNT
    return (message if count > rule.value else None), Decimal(count)


def curve_warnings(
    org_predicate: str,
    counts: dict[str, int],
    rules: dict[str, list[CurveRule]],
    majority: str = CurveMajority.MORE_THAN_HALF,
) -> list[CurveWarning]:
    """The rules of the curve that a unit's employee predicates break (domain.md §3.2).

    ``counts`` maps each employee predicate to how many of the unit's employees have it;
    ``majority`` is the year's reading of "sebagian besar" (``EvaluationSetting.curve_majority``).
    A unit without rated employees breaks nothing. These are warnings, never a block."""
    total = sum(counts.values())
    if total == 0:
        return []
    warnings = []
    for rule in rules.get(org_predicate, []):
        group = rule.predicate_list
        count = sum(counts.get(p, 0) for p in group)
        share = (Decimal(count) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        others = max((n for p, n in counts.items() if p not in group), default=0)
        message, actual = _check(rule, count, total, share, others, majority)
        if message:
            value = f"{rule.value.normalize():f}"  # 70, not 7E+1
            args = {"group": _names(group), "value": value, "share": share, "count": count}
            warnings.append(
                CurveWarning(
                    org_predicate, tuple(group), rule.rule, rule.value, actual, message % args
                )
            )
    return warnings


def curve_rule_text(rule: CurveRule, majority: str = CurveMajority.MORE_THAN_HALF) -> str:
    """A rule of the curve in words, e.g. "at most 70 % Sangat Baik"."""
    group = _names(rule.predicate_list)
    value = f"{rule.value.normalize():f}"
    most = (
        _("%(group)s is the most frequent predicate")
        if majority == CurveMajority.MOST_FREQUENT
        else _("more than half %(group)s")
    )
    texts: dict[str, str] = {
        CurveCheck.MOST: most,
        CurveCheck.MAX_PCT: _("at most %(value)s %% %(group)s"),
        CurveCheck.MIN_PCT: _("at least %(value)s %% %(group)s"),
        CurveCheck.MIN_COUNT: _("at least %(value)s employee(s) %(group)s"),
        CurveCheck.MAX_COUNT: _("at most %(value)s employee(s) %(group)s"),
    }
    text: str = texts.get(rule.rule, rule.rule) % {"group": group, "value": value}
    return text


def curve_majority_text(majority: str) -> str:
    """What the monitor says about the reading of "sebagian besar" that applies."""
    if majority == CurveMajority.MOST_FREQUENT:
        return _("'Sebagian besar' is read as: more frequent than any other predicate.")
    return _("'Sebagian besar' is read as: more than half of the unit's employees.")


# --- Credit points ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditRules:
    percent: dict[str, Decimal]
    coefficient: dict[str, Decimal]


def months_of(starts_on: date, ends_on: date | None, year: int) -> list[int]:
    """The calendar months of ``year`` that count for a plan running from ``starts_on`` (1
    January or the TMT of the position) until ``ends_on`` (the first day it no longer holds:
    the successor's TMT, the TMT of retirement, the day of death; ``None`` while open).

    A month counts for the plan that holds the position on the month's first day: a TMT on
    the 1st counts its own month, a later TMT counts from the next month, and a plan that
    ends counts up to the month before its successor's first month (the ending month still
    counts when the end falls after the 1st: death on 10 October counts October). So
    consecutive plans (one's ``ends_on`` is the next one's ``starts_on``) never share a month
    and together cover the year once. Source: PerBKN 3/2023 (konversi predikat kinerja: the
    months of the assessment period in the position) read as BKN practice; see
    docs/architecture.md "Credit points: months counted once"."""
    return [
        month
        for month in range(1, 13)
        if starts_on <= date(year, month, 1) and (ends_on is None or date(year, month, 1) < ends_on)
    ]


def month_runs(months: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive months as (first, last) runs: [1, 2, 3, 7, 8] → [(1, 3), (7, 8)]."""
    runs: list[tuple[int, int]] = []
    for month in sorted(set(months)):
        if runs and runs[-1][1] == month - 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def credit_requirements(year: int) -> dict[str, CreditRequirement]:
    """Jenjang → the credit points needed for the next rank and the next jenjang in ``year``."""
    return {r.level: r for r in in_force(CreditRequirement, year)}


def credit_rules(year: int) -> CreditRules:
    return CreditRules(
        percent={r.predicate: r.percent for r in in_force(CreditPercent, year)},
        coefficient={r.level: r.coefficient for r in in_force(CreditCoefficient, year)},
    )


def credit_points(*, level: str, predicate: str, months: int, rules: CreditRules) -> Decimal | None:
    """``AK = (months / 12) × predicate % × coefficient of the jenjang``, rounded half up to
    two decimals (domain.md §3.3: Ahli Pertama, Baik, 2 months → 2.08). ``None`` for a
    position without a coefficient (not functional)."""
    coefficient = rules.coefficient.get(level)
    percent = rules.percent.get(predicate)
    if coefficient is None or percent is None:
        return None
    value = Decimal(months) * percent * coefficient / 1200  # one division: exact to the cent
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- The suggested results rating --------------------------------------------------------------
#
# PermenPANRB 6/2022 defines the results rating by the work results (RHK), not by a mean:
# "above" when every main result meets or exceeds expectation and most results exceed it;
# "meets" when only a small part of the main results is below; otherwise "below". Additional
# results can raise the rating, never sink it. Here each result's achievement is the mean of
# its measured indicators' achievements (each capped), and the result is above expectation from
# ``suggest_above_from`` %, meets it from ``suggest_meets_from`` %, else below. Then:
#
# - no measured main result → no suggestion;
# - "above": no main result below AND more than half of the results counted are above, the
#   results counted being the measured main results plus the additional results above
#   expectation (an additional result above adds one to both counts, so it can only raise);
# - "meets": the main results below are at most ``suggest_below_max_share`` % of the measured
#   main results (default 25: one of four);
# - otherwise "below". An additional result below expectation is ignored.


@dataclass(frozen=True)
class ResultAchievement:
    """One work result (RHK) with its indicators' achievements (``None``: not measured)."""

    kind: str  # RhkKind: "utama" or "tambahan"
    name: str
    achievements: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class ResultRating:
    kind: str
    name: str
    achievement: Decimal | None  # the mean of its measured indicators (capped), or None
    rating: str | None  # Rating of the result, None when not measured


@dataclass(frozen=True)
class Suggestion:
    rating: str | None
    mean_pct: Decimal | None  # the mean over every measured indicator (shown, not decisive)
    measured: int  # indicators with a target and a realisation
    indicators: int
    above_from: Decimal
    meets_from: Decimal
    below_max_share: Decimal = Decimal(25)
    results: tuple[ResultRating, ...] = ()
    reasons: tuple[str, ...] = ()

    def count(self, kind: str, rating: str) -> int:
        return sum(1 for r in self.results if r.kind == kind and r.rating == rating)

    def as_json(self) -> dict[str, Any]:
        main = [r for r in self.results if r.kind == RhkKind.MAIN and r.rating]
        return {
            "rating": self.rating,
            "mean_pct": _text(self.mean_pct),
            "measured": self.measured,
            "indicators": self.indicators,
            "above_from": str(self.above_from),
            "meets_from": str(self.meets_from),
            "below_max_share": str(self.below_max_share),
            "main_measured": len(main),
            "main_above": self.count(RhkKind.MAIN, Rating.ABOVE),
            "main_below": self.count(RhkKind.MAIN, Rating.BELOW),
            "additional_above": self.count(RhkKind.ADDITIONAL, Rating.ABOVE),
            "results": [
                {
                    "kind": r.kind,
                    "name": r.name,
                    "achievement": _text(r.achievement),
                    "rating": r.rating,
                }
                for r in self.results
            ],
            "reasons": list(self.reasons),
        }


def _text(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _share(value: Decimal) -> str:
    """25, 12,5: a percentage as the reader's language writes it."""
    return number_format(Decimal(f"{value.normalize():f}"))


def evaluation_setting(year: int) -> EvaluationSetting:
    return row_in_force(EvaluationSetting, year) or EvaluationSetting(valid_from=year)


def result_rating(
    result: ResultAchievement, setting: EvaluationSetting, cap: Decimal
) -> ResultRating:
    """A result's achievement (the mean of its measured indicators, each capped at ``cap``)
    and whether it is above, meets or is below expectation."""
    measured = [min(a, cap) for a in result.achievements if a is not None]
    if not measured:
        return ResultRating(result.kind, result.name, None, None)
    mean = _mean(measured)
    if mean >= setting.suggest_above_from:
        rating = Rating.ABOVE
    elif mean >= setting.suggest_meets_from:
        rating = Rating.MEETS
    else:
        rating = Rating.BELOW
    return ResultRating(result.kind, result.name, mean, rating)


def _decide(rated: list[ResultRating], share: Decimal) -> str | None:
    main = [r for r in rated if r.kind == RhkKind.MAIN and r.rating]
    if not main:
        return None
    main_below = sum(1 for r in main if r.rating == Rating.BELOW)
    main_above = sum(1 for r in main if r.rating == Rating.ABOVE)
    extra = sum(1 for r in rated if r.kind != RhkKind.MAIN and r.rating == Rating.ABOVE)
    if main_below == 0 and (main_above + extra) * 2 > len(main) + extra:
        return Rating.ABOVE
    if main_below * 100 <= share * len(main):
        return Rating.MEETS
    return Rating.BELOW


def _counting_reasons(rating: str, rated: list[ResultRating], share: Decimal) -> list[str]:
    """The sentences on the main results (and the additional ones above) that decided it."""
    main = [r for r in rated if r.kind == RhkKind.MAIN and r.rating]
    extra = [r for r in rated if r.kind != RhkKind.MAIN and r.rating == Rating.ABOVE]
    below = sum(1 for r in main if r.rating == Rating.BELOW)
    above = sum(1 for r in main if r.rating == Rating.ABOVE) + len(extra)
    args = {"below": below, "main": len(main), "share": _share(share), "above": above,
            "counted": len(main) + len(extra)}  # fmt: skip
    if below:
        if rating == Rating.MEETS:
            message = ngettext(
                "%(below)d of %(main)d main results is below expectation "
                "(at most %(share)s %% allowed for 'meets').",
                "%(below)d of %(main)d main results are below expectation "
                "(at most %(share)s %% allowed for 'meets').",
                below,
            )
        else:
            message = ngettext(
                "%(below)d of %(main)d main results is below expectation "
                "(more than the %(share)s %% allowed for 'meets').",
                "%(below)d of %(main)d main results are below expectation "
                "(more than the %(share)s %% allowed for 'meets').",
                below,
            )
        return [message % args]
    reasons = [_("No main result is below expectation.")]
    if rating == Rating.ABOVE:
        reasons.append(
            ngettext(
                "%(above)d of %(counted)d results is above expectation (more than half).",
                "%(above)d of %(counted)d results are above expectation (more than half).",
                above,
            )
            % args
        )
        if extra and (above - len(extra)) * 2 <= len(main):  # the main results alone: not most
            reasons += [
                _("The additional result '%(name)s' is above expectation and raises the rating.")
                % {"name": r.name}
                for r in extra
            ]
    else:
        reasons.append(
            ngettext(
                "Only %(above)d of %(counted)d results is above expectation "
                "('above' needs more than half).",
                "Only %(above)d of %(counted)d results are above expectation "
                "('above' needs more than half).",
                above,
            )
            % args
        )
    return reasons


def suggestion_reasons(rating: str | None, rated: list[ResultRating], share: Decimal) -> list[str]:
    """One sentence per rule that decided the suggestion."""
    if rating is None:
        return [_("No main result has a measured value yet, so there is no suggestion.")]
    reasons = _counting_reasons(rating, rated, share)
    reasons += [
        _(
            "The additional result '%(name)s' is below expectation; an additional result "
            "never lowers the rating."
        )
        % {"name": r.name}
        for r in rated
        if r.kind != RhkKind.MAIN and r.rating == Rating.BELOW
    ]
    return reasons


def reasons_again(stored: dict[str, Any]) -> list[str] | None:
    """The sentences of a stored suggestion (:meth:`Suggestion.as_json`) in the reader's
    language, rebuilt from the per-result ratings it keeps; ``None`` for a suggestion kept
    before them, or one that is the organisation predicate's (its sentence is kept)."""
    results = stored.get("results")
    if not isinstance(results, list) or stored.get("basis") == "organisation":
        return None
    rated = [
        ResultRating(kind=r.get("kind", ""), name=r.get("name", ""), achievement=None,
                     rating=r.get("rating") or None)
        for r in results
        if isinstance(r, dict)
    ]  # fmt: skip
    try:
        share = Decimal(str(stored.get("below_max_share") or 25))
    except ArithmeticError:
        share = Decimal(25)
    return suggestion_reasons(stored.get("rating"), rated, share)


def suggest_results(
    results: Iterable[ResultAchievement], setting: EvaluationSetting, cap: Decimal
) -> Suggestion:
    """The suggested results rating by the definitions (see the comment above), with the
    numbers it rests on and one sentence per rule that decided it."""
    results = list(results)
    rated = [result_rating(r, setting, cap) for r in results]
    share = setting.suggest_below_max_share
    rating = _decide(rated, share)
    achievements = [a for r in results for a in r.achievements]
    measured = [min(a, cap) for a in achievements if a is not None]
    return Suggestion(
        rating=rating,
        mean_pct=_mean(measured) if measured else None,
        measured=len(measured),
        indicators=len(achievements),
        above_from=setting.suggest_above_from,
        meets_from=setting.suggest_meets_from,
        below_max_share=share,
        results=tuple(rated),
        reasons=tuple(suggestion_reasons(rating, rated, share)),
    )


def head_results_rating(org_predicate: str, setting: EvaluationSetting) -> str | None:
    """The results rating a unit head receives from the unit's organisation predicate."""
    return (setting.head_rating_by_org or {}).get(org_predicate)


# --- The objection period --------------------------------------------------------------------


def objection_deadline(delivered_at: datetime | None, days: int) -> datetime:
    """The last moment to object: the end of the ``days``-th calendar day after the day the
    predicate was received, in the region's time (received 2 March → until 16 March 23:59:59);
    counted from today for a predicate not delivered yet (``None``)."""
    received = timezone.localtime(delivered_at).date()
    last_day = received + timedelta(days=days)
    return timezone.make_aware(datetime.combine(last_day, time.max))


def objection_open(delivered_at: datetime | None, now: datetime, days: int) -> bool:
    return delivered_at is not None and now <= objection_deadline(delivered_at, days)


def below_baik(predicate: str) -> bool:
    """A predicate that opens a development plan (domain.md §5)."""
    return predicate not in {Predicate.SANGAT_BAIK, Predicate.BAIK}


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()
