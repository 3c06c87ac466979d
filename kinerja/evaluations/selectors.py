"""Reading evaluations: the suggested results rating with its numbers (from what each
indicator reached, :func:`kinerja.skp.selectors.iki_values`), a unit's distribution curve, the
completion monitor, the threads of feedback on a plan and the coaching items (those a rater must
answer, those an employee is shown). Each function makes a bounded number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kinerja.core.actors import Actor
from kinerja.core.periods import ALL_KINDS, Period, parse_period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Employee, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import RhkKind, Skp
from kinerja.skp.selectors import IkiValue, iki_values, with_case_minimum

from . import rules
from .coaching_models import SHOWN_TO_EMPLOYEE
from .models import (
    CoachingItem,
    CoachingState,
    Evaluation,
    Feedback,
    OrgEvaluation,
    OrgPredicate,
    Rating,
)


def rating_values(skp: Skp, period: Period, *, viewer) -> list[IkiValue]:
    """What each indicator of the plan reached in ``period``, as the rating reads it: a value
    from service data on fewer cases than the year's minimum is marked and not measured."""
    minimum = rules.evaluation_setting(skp.year).case_minimum
    return iki_values(skp, period, viewer=viewer, case_minimum=minimum)


def _result_achievements(values: list[IkiValue]) -> list[rules.ResultAchievement]:
    """The plan's results (main first, by number) with their indicators' achievements."""
    by_rhk: dict[int, list[IkiValue]] = {}
    for value in values:
        by_rhk.setdefault(value.iki.rhk_id, []).append(value)
    ordered = sorted(
        by_rhk.values(), key=lambda vs: (vs[0].iki.rhk.kind != RhkKind.MAIN, vs[0].iki.rhk.number)
    )
    return [
        rules.ResultAchievement(
            kind=vs[0].iki.rhk.kind,
            name=Truncator(f"{vs[0].iki.rhk.number}. {vs[0].iki.rhk.text}").chars(70),
            achievements=tuple(v.achievement for v in vs),
        )
        for vs in ordered
    ]


def too_few_sentence(iki: str, cases: object, minimum: object) -> str:
    return _("'%(iki)s' is not used: too few cases (%(n)s of %(minimum)s).") % {
        "iki": iki, "n": cases, "minimum": minimum,
    }  # fmt: skip


def suggestion_sentences(stored: dict) -> list[str]:
    """The sentences that explain a stored suggestion, in the reader's language (rebuilt from
    its numbers); as they were kept for a suggestion stored before those numbers."""
    again = rules.reasons_again(stored)
    if again is None:
        return [str(r) for r in stored.get("reasons") or []]
    return again + [
        too_few_sentence(d["iki_text"], d.get("cases"), stored.get("case_minimum"))
        for d in stored.get("indicators_detail") or []
        if isinstance(d, dict) and d.get("too_few") and d.get("iki_text")
    ]


def suggestion_for(
    skp: Skp, period: Period, *, viewer, values: list[IkiValue] | None = None
) -> dict:
    """The suggested results rating and the numbers it rests on (kept with the rating), by the
    definitions (:func:`rules.suggest_results`); a value from service data on too few cases
    is not used. A unit head's suggestion is the rating the organisation predicate gives.

    ``values``: the plan's :func:`iki_values` for the period, when the caller has them."""
    setting = rules.evaluation_setting(skp.year)
    cap = achievement_rules(skp.year).cap_pct
    if values is None:
        values = iki_values(skp, period, viewer=viewer)
    values = with_case_minimum(values, setting.case_minimum)
    with translation.override(settings.LANGUAGE_CODE):  # kept in the region's language;
        suggestion = rules.suggest_results(_result_achievements(values), setting, cap)
        result = suggestion.as_json()  # shown in the reader's (suggestion_sentences)
        result["reasons"] += [
            too_few_sentence(Truncator(v.iki.text).chars(70), v.cases, v.too_few)
            for v in values
            if v.too_few is not None
        ]
    result["cap"] = str(cap)
    result["basis"] = "achievement"
    result["case_minimum"] = setting.case_minimum
    result["indicators_detail"] = [
        {"iki": v.iki.pk, "iki_text": Truncator(v.iki.text).chars(70),
         "value": str(v.value) if v.value is not None else None,
         "achievement": str(v.achievement) if v.achievement is not None else None,
         "source": v.source, "cases": v.cases, "too_few": v.too_few is not None}
        for v in values
    ]  # fmt: skip
    head = head_rating(skp, period, setting)
    if head is not None and head.rating is not None:
        result["rating"] = head.rating
        result["basis"] = "organisation"
        result["org_predicate"] = head.org_predicate
        with translation.override(settings.LANGUAGE_CODE):  # kept in the region's language
            result["reasons"] = [head.reason]
    return result


# --- The unit head's results rating -----------------------------------------------------------


@dataclass(frozen=True)
class HeadRating:
    """The results rating of a unit head: the one the year's mapping gives for the unit's
    organisation predicate of the period (``None`` while the predicate is not set or the
    mapping has no row for it)."""

    unit: Unit
    period: Period
    org_predicate: str | None
    rating: str | None

    @property
    def reason(self) -> str:
        if self.org_predicate is None:
            return _("Set the organisation predicate of %(unit)s for %(period)s first.") % {
                "unit": self.unit.name,
                "period": self.period.label,
            }
        if self.rating is None:
            return _(
                "The year's table gives no results rating for the organisation predicate %(org)s."
            ) % {"org": self.org_predicate}
        return _(
            "The results follow the organisation predicate of %(unit)s: %(org)s → %(rating)s."
        ) % {
            "unit": self.unit.name,
            "org": OrgPredicate(self.org_predicate).label
            if self.org_predicate in OrgPredicate.values
            else self.org_predicate,
            "rating": Rating(self.rating).label,
        }


def head_rating(skp: Skp, period: Period, setting=None) -> HeadRating | None:
    """The unit head's results rating for ``period``, or ``None`` when the plan's employee
    does not head the plan's unit (two queries)."""
    head = unit_head(skp.unit)
    if head is None or head.pk != skp.employee_id:
        return None
    setting = setting if setting is not None else rules.evaluation_setting(skp.year)
    org = (
        OrgEvaluation.objects.filter(unit=skp.unit, period=str(period))
        .values_list("predicate", flat=True)
        .first()
    )
    rating = rules.head_results_rating(org, setting) if org is not None else None
    return HeadRating(skp.unit, period, org, rating)


def head_results_required(skp: Skp, period: Period, results_rating: str) -> None:
    """A unit head's results rating is the one the organisation predicate gives
    (domain.md §3.1): no predicate yet is a conflict (rate after it is set); another rating
    is an error on ``results_rating`` that says why. Nothing for anyone else."""
    head = head_rating(skp, period)
    if head is None:
        return
    if head.rating is None:
        raise ValidationError({"org_predicate": head.reason})
    if results_rating != head.rating:
        raise ValidationError(
            {
                "results_rating": _(
                    "%(name)s heads %(unit)s, so the results rating is %(rating)s: it follows "
                    "the unit's organisation predicate %(org)s for %(period)s."
                )
                % {
                    "name": skp.employee.name,
                    "unit": head.unit.name,
                    "rating": Rating(head.rating).label,
                    "org": head.org_predicate,
                    "period": period.label,
                }
            }
        )


# --- The curve ---------------------------------------------------------------------------------


@dataclass
class UnitCurve:
    unit: Unit
    period: str
    org_predicate: str | None
    counts: dict[str, int]
    total: int
    warnings: list = field(default_factory=list)


def unit_curve(unit: Unit, period: str, *, curve_rules: dict | None = None) -> UnitCurve:
    """How the unit's employee predicates of ``period`` are distributed, and which rules of
    the curve (for the unit's organisation predicate) they break. Three queries."""
    parsed = parse_period(period, kinds=ALL_KINDS)
    counts = Counter(
        Evaluation.objects.filter(skp__unit=unit, period=str(parsed)).values_list(
            "predicate", flat=True
        )
    )
    org = (
        OrgEvaluation.objects.filter(unit=unit, period=str(parsed))
        .values_list("predicate", flat=True)
        .first()
    )
    warnings = []
    if org is not None:
        curve_rules = curve_rules if curve_rules is not None else rules.curve_rules(parsed.year)
        majority = rules.evaluation_setting(parsed.year).curve_majority
        warnings = rules.curve_warnings(org, dict(counts), curve_rules, majority)
    return UnitCurve(unit, str(parsed), org, dict(counts), sum(counts.values()), warnings)


# --- Completion monitor ------------------------------------------------------------------------


@dataclass
class CompletionRow:
    employee: Employee
    skp: Skp | None
    rated: bool


def completion(employees, year: int, period: str) -> list[CompletionRow]:
    """Who has not planned, submitted, approved or been rated for ``period`` yet."""
    employees = list(employees)
    plans = {
        p.employee_id: p
        for p in Skp.objects.filter(employee__in=employees, year=year, ends_on__isnull=True)
    }
    rated = set(
        Evaluation.objects.filter(skp__in=plans.values(), period=period).values_list(
            "skp_id", flat=True
        )
    )
    return [
        CompletionRow(e, plans.get(e.pk), plans.get(e.pk) is not None and plans[e.pk].pk in rated)
        for e in employees
    ]


# --- Threads of feedback ---------------------------------------------------------------------


@dataclass
class Thread:
    root: Feedback
    replies: list[Feedback] = field(default_factory=list)


def feedback_of(skp: Skp) -> list[Feedback]:
    """Every message on the plan, oldest first, with its author (one query)."""
    return list(
        Feedback.objects.filter(skp=skp).select_related("author").order_by("created_at", "pk")
    )


def root_of(item: Feedback, by_pk: dict[int, Feedback]) -> Feedback:
    """The message that started ``item``'s thread (among ``by_pk``)."""
    seen = set()
    while item.parent_id is not None and item.parent_id in by_pk and item.pk not in seen:
        seen.add(item.pk)
        item = by_pk[item.parent_id]
    return item


def threads_of(feedback: list[Feedback]) -> tuple[dict, dict]:
    """Threads keyed by result id and by value id; a reply joins the thread of its root."""
    by_pk = {f.pk: f for f in feedback}
    roots: dict[int, Thread] = {f.pk: Thread(f) for f in feedback if f.parent_id is None}
    for item in feedback:
        if item.parent_id is None:
            continue
        root = root_of(item, by_pk)
        if root.pk in roots:
            roots[root.pk].replies.append(item)
    by_rhk, by_value = defaultdict(list), defaultdict(list)
    for thread in roots.values():
        if thread.root.rhk_id:
            by_rhk[thread.root.rhk_id].append(thread)
        elif thread.root.value_id:
            by_value[thread.root.value_id].append(thread)
    return by_rhk, by_value


# --- Coaching ----------------------------------------------------------------------------------


def coaching_items_to_act(user: Actor | None) -> QuerySet[CoachingItem]:
    """The open coaching items ``user`` must answer — those about the plans they rate — the
    earliest due first; each has ``due_on`` and opens at ``evaluations:coaching`` [pk]. (The
    rater's superior may answer them too, but is not asked to.)"""
    me = scope_for(user).employee_id
    if me is None:
        return CoachingItem.objects.none()
    return (
        CoachingItem.objects.filter(state=CoachingState.OPEN, skp__rater_id=me)
        .exclude(skp__employee_id=me)
        .select_related("skp__employee", "iki")
        .order_by("due_on", "pk")
    )


def coaching_support_for(plans: list[Skp]) -> list[CoachingItem]:
    """The support offered to the employee on ``plans``: items the rater answered with
    feedback or a development action (never an open item, a draft, nor a dismissed one),
    newest first."""
    return list(
        CoachingItem.objects.filter(skp__in=plans, state__in=SHOWN_TO_EMPLOYEE)
        .select_related("skp", "acted_by__employee", "feedback", "development_action__plan")
        .order_by("-acted_at", "-pk")
    )
