"""Coaching when a measure slips (issue 11): the operations that open a coaching item for the
rater, keep its data current while it is open, and resolve it when the data come back. What
the rater does with an item is :mod:`.coaching_actions`.

When a measure slips
    An indicator's value of a period *slips* when its achievement is below the year's
    ``EvaluationSetting.suggest_meets_from`` (default 90 %) — the point under which the
    regulation's suggestion reads a result as below expectation (domain.md §3.1), so that a
    value a hair under target (99 %) does not ask the rater for a conversation. Only values
    that count are looked at: a typed value once verified, a service-data value of an ended
    period resting on at least the year's minimum of cases. The value back at or above the
    threshold resolves an open item ("resolved by the data"); an answered item stays answered.

Why signals and a sweep (and not one of them)
    skp and streams sit below evaluations and may not import it. A typed value counts at one
    known moment — its verification — so skp sends ``skp.signals.realisation_counted`` after
    the commit and :mod:`kinerja.evaluations.receivers` checks that one indicator and period at
    once (the rater finds the item while the value is fresh). An alert breach opens and ends
    at one known moment too (``streams.signals.breach_changed``). A service-data value has no
    such moment: it moves with every event, and only an ended period's value is final, so
    indicators bound to a stream are checked by a sweep, :func:`coaching_refresh`, run for an
    ended period by ``kinerja evaluations coaching --period 2026-Q3`` (daily from cron) and by
    the demo loader. The sweep also checks typed values, so a missed signal is caught up.
    Every operation is idempotent: one open item per (plan, indicator, period) and per
    (breach, plan) — also a constraint — and an answered item is never opened again.

Who gets the item
    An indicator's item: the rater of the employee's plan. A breach of an alert rule on a unit:
    the rater of the unit's head (``streams.alerts.unit_heads``: the Plt/Plh, else the holder),
    about the unit's head — the head answers for the unit's cases and was already told by the
    alert itself; the one above is who can help. A rule on the whole stream names the agency
    head, whose rater is the head of region: no item (none to act in Kinerja). Alert rules
    name a unit, not an officer; a person's own cases reach coaching through the indicators
    bound to their service data (:func:`coaching_check`). Either way the rater's superior may
    answer too (:func:`kinerja.evaluations.permissions.may_coach`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.notifications import notify
from kinerja.core.periods import Period
from kinerja.core.texts import Text
from kinerja.organizations.models import Agency
from kinerja.skp.models import IkiRealisation, Skp, SkpState
from kinerja.skp.selectors import IkiValue, iki_values
from kinerja.skp.services import users_of
from kinerja.streams.alerts import unit_heads
from kinerja.streams.models import AlertBreach, AlertMetric

from .. import permissions
from ..models import CoachingItem, CoachingKind, CoachingState
from ..rules import evaluation_setting

#: Days the rater has to answer a coaching item (its ``due_on`` in the worklist).
COACHING_DAYS = 14

#: Plans whose employee is being measured (feedback on them is possible).
COACHED_STATES = (SkpState.APPROVED, SkpState.EVALUATING, SkpState.RATED, SkpState.OBJECTED)


@dataclass
class CoachingCount:
    opened: int = 0
    resolved: int = 0

    def add(self, other: CoachingCount) -> None:
        self.opened += other.opened
        self.resolved += other.resolved


def slips(achievement: Decimal | None, threshold: Decimal) -> bool | None:
    """Whether an achievement slips below ``threshold``; ``None``: not measured, no verdict."""
    return None if achievement is None else achievement < threshold


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _verifier(realisation_id: int | None) -> dict[str, str]:
    if realisation_id is None:
        return {}
    row = (
        IkiRealisation.objects.filter(pk=realisation_id)
        .select_related("verified_by__employee")
        .first()
    )
    if row is None or row.verified_by is None:
        return {}
    person = getattr(row.verified_by, "employee", None)
    at = timezone.localdate(row.verified_at) if row.verified_at else None
    return {
        "verified_by": person.name if person is not None else row.verified_by.username,
        "verified_on": at.isoformat() if at else "",
    }


def indicator_data(value: IkiValue, period: Period) -> dict[str, object]:
    """What an indicator item shows: the indicator, its result, the period's target (or
    range), the value, the achievement and where the value comes from."""
    iki = value.iki
    target, low, high = iki.target_for_months(len(period.months))
    data: dict[str, object] = {
        "indicator": iki.text,
        "result": iki.rhk.text,
        "unit": iki.unit_of_measure,
        "target": _plain(target),
        "target_low": _plain(low),
        "target_high": _plain(high),
        "lower_is_better": iki.lower_is_better,
        "value": _plain(value.value),
        "achievement": _plain(value.achievement),
        "source": value.source,
    }
    if value.source == "stream":
        data.update(stream=iki.binding.stream.name if iki.binding else "", cases=value.cases)
    else:
        data.update(_verifier(value.realisation_id))
    return data


def _notify_rater(item: CoachingItem) -> None:
    title = Text(
        gettext_lazy("Coaching: %(name)s may need your support"), name=item.skp.employee.name
    )
    body = Text(
        gettext_lazy("%(what)s, %(period)s. Send feedback or agree a development action."),
        what=item.subject[:200],
        period=item.period_label,
    )
    notify(
        users=users_of(item.skp.rater),
        title=title,
        body=body,
        link=reverse("evaluations:coaching", args=[item.pk]),
    )


def _open(
    skp: Skp, kind: str, period: str, data: dict[str, object], **target: object
) -> CoachingItem:
    item = CoachingItem.objects.create(
        skp=skp, kind=kind, period=period, data=data,
        due_on=timezone.localdate() + timedelta(days=COACHING_DAYS), **target,
    )  # fmt: skip
    audit.record("create", item, after={"kind": kind, "period": period, "data": data})
    _notify_rater(item)
    return item


def _resolve(item: CoachingItem, data: dict[str, object] | None = None) -> None:
    item.state, item.acted_at = CoachingState.RESOLVED, timezone.now()
    if data is not None:
        item.data = data
    item.save(update_fields=["state", "acted_at", "data"])
    audit.record(
        "transition",
        item,
        before={"state": CoachingState.OPEN},
        after={"state": item.state, "data": item.data},
    )


def _check_value(
    skp: Skp, period: Period, value: IkiValue, items: list[CoachingItem], threshold: Decimal
) -> CoachingCount:
    count = CoachingCount()
    verdict = slips(value.achievement, threshold)
    if verdict is None:
        return count
    mine = [i for i in items if i.iki_id == value.iki.pk]
    current = next((i for i in mine if i.is_open), None)
    data = indicator_data(value, period)
    if not verdict:
        if current is not None:
            _resolve(current, data)
            count.resolved += 1
        return count
    if current is not None:
        if current.data != data:
            current.data = data
            current.save(update_fields=["data"])
        return count
    if any(i.state != CoachingState.RESOLVED for i in mine):
        return count  # answered already: one item per slip
    _open(skp, CoachingKind.INDICATOR, str(period), data, iki=value.iki)
    count.opened += 1
    return count


@transaction.atomic
def coaching_check(
    *, skp: Skp, period: Period, by: Actor, iki_ids: set[int] | None = None
) -> CoachingCount:
    """Open, update or resolve the indicator items of ``skp`` for ``period`` (only the
    indicators ``iki_ids`` when given); see the module's docstring."""
    permissions.require(
        permissions.runs_the_year(by, skp.unit.agency), _("You may not run coaching.")
    )
    count = CoachingCount()
    if skp.state not in COACHED_STATES or skp.rater_id is None or period.year != skp.year:
        return count
    setting = evaluation_setting(skp.year)
    ended = period.end < timezone.localdate()
    items = list(CoachingItem.objects.filter(skp=skp, period=str(period), kind="indicator"))
    # An officer's own service data are seen by the officer and the rater chain only
    # (streams.access): read them as the rater, for whom the item is.
    viewer = next(iter(users_of(skp.rater)), None) or by
    for value in iki_values(skp, period, viewer=viewer, case_minimum=setting.case_minimum):
        if iki_ids is not None and value.iki.pk not in iki_ids:
            continue
        if value.source == "stream" and not ended:
            continue  # a running period's service data are not the period's value yet
        count.add(_check_value(skp, period, value, items, setting.suggest_meets_from))
    return count


@transaction.atomic
def coaching_refresh(*, period: Period, by: Actor, agency: Agency | None = None) -> CoachingCount:
    """The sweep: :func:`coaching_check` for every measured plan of the period's year (of
    ``agency`` when given), for an ended period."""
    permissions.require(permissions.runs_the_year(by, agency), _("You may not run coaching."))
    if period.end >= timezone.localdate():
        raise ValidationError({"period": _("Coaching looks at ended periods only.")})
    plans = Skp.objects.filter(year=period.year, state__in=COACHED_STATES, rater__isnull=False)
    if agency is not None:
        plans = plans.filter(unit__agency=agency)
    count = CoachingCount()
    for skp in plans.select_related("employee", "unit__agency", "rater").order_by("pk"):
        count.add(coaching_check(skp=skp, period=period, by=by))
    return count


def alert_data(breach: AlertBreach) -> dict[str, object]:
    """What an alert item shows: the rule, the unit, the threshold and the values that broke
    it, period by period."""
    rule = breach.rule
    return {
        "alert": rule.name,
        "stream": rule.stream.name,
        "unit": rule.unit.name if rule.unit is not None else "",
        "metric": rule.metric,
        "comparison": rule.comparison,
        "threshold": _plain(rule.threshold),
        "measure": "%" if rule.metric == AlertMetric.WITHIN_SLA_PCT else rule.stream.sla_unit,
        "value": _plain(breach.value),
        "periods": list(breach.periods),
        "window": rule.window,
        "started_on": timezone.localdate(breach.started_at).isoformat(),
    }


def _head_plan(employee_id: int, year: int) -> Skp | None:
    return (
        Skp.objects.filter(
            employee_id=employee_id, year=year, state__in=COACHED_STATES, rater__isnull=False
        )
        .select_related("employee", "unit__agency", "rater")
        .order_by("-starts_on", "-pk")
        .first()
    )


@transaction.atomic
def coaching_from_breach(*, breach: AlertBreach, by: Actor) -> CoachingCount:
    """An alert breach on a unit's cases: an item for the rater of the unit's head (opened
    once per breach); the breach ended resolves the items still open."""
    rule = breach.rule
    permissions.require(
        permissions.runs_the_year(by, rule.stream.agency), _("You may not run coaching.")
    )
    count = CoachingCount()
    items = CoachingItem.objects.filter(breach=breach, kind=CoachingKind.ALERT)
    if breach.ended_at is not None:
        for item in items.filter(state=CoachingState.OPEN).select_related("skp__unit__agency"):
            _resolve(item)
            count.resolved += 1
        return count
    if rule.unit_id is None:
        return count  # the whole stream: the agency head's, rated by the head of region
    started = timezone.localdate(breach.started_at)
    period = str(Period.of_month(started.year, started.month))
    for head in unit_heads(unit=rule.unit, stream=rule.stream):
        skp = _head_plan(head.pk, started.year)
        if skp is None or items.filter(skp=skp).exists():
            continue
        _open(skp, CoachingKind.ALERT, period, alert_data(breach), breach=breach)
        count.opened += 1
    return count


@transaction.atomic
def coaching_from_open_breaches(*, by: Actor) -> CoachingCount:
    """:func:`coaching_from_breach` for every breach still open (the sweep's part for alerts)."""
    count = CoachingCount()
    breaches = AlertBreach.objects.filter(ended_at=None, rule__active=True).select_related(
        "rule__stream__agency", "rule__unit__parent"
    )
    for breach in breaches.order_by("pk"):
        count.add(coaching_from_breach(breach=breach, by=by))
    return count
