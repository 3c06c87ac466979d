"""Alerts on service data (issue 4, "Alerts"): rules on a stream metric notify the unit head in
the app and by e-mail — once per breach, not once per event.

How a rule is evaluated (``rule_verdict``)
    The rule's metric is computed exactly (``metrics.compute``, with the rule's unit filter)
    for each period of its window, from one query grouped by day or ISO week:

    * **day**: complete days only — yesterday and before (region time). Today's part of a day
      is too early to judge: a p90 at 08:30 over three cases says nothing.
    * **week**: "this week" counts as it stands — Monday up to now — followed by the complete
      weeks before it. Waiting for Monday to learn that this week is bad would be too late.

    The condition holds when the last ``consecutive`` periods **that have a value** all
    compare with the threshold (above: strictly greater; below: strictly less). A period
    without cases for the metric (a weekend with no completion: no p90, no share) neither
    makes nor breaks a run; open cases always have a value. Periods are looked for at most
    ``LOOKBACK`` periods further back.

Units of the threshold
    Durations are in the stream's service-level unit (minutes, hours, days; "working hours"
    read as hours), compared with the contract's durations — elapsed time; the share within
    the service level (which does count working time) in percent; open cases as a number.

Breaches (``evaluate_alerts``)
    When the condition holds and the rule has no open breach, a breach opens and the unit
    head is notified (once); while it keeps holding nothing more is sent; when it no longer
    holds the breach ends; a later breach notifies again. A unique constraint keeps one open
    breach per rule even when two evaluations run at once (the second one sends nothing).

Who is notified (``unit_heads``)
    For a rule on a unit: whoever leads that unit — the acting official (Plt/Plh) of its most
    senior structural position (JPT > Administrator > Pengawas) when there is one, otherwise
    its holder; a unit without such a position, or with nobody in it, passes the alert up to
    its parent unit. For a rule on the whole stream, and at the top of the tree: the head of
    the stream's agency. In the app when the person has an account, and by e-mail to
    ``Employee.email`` when there is one.

When it runs
    After each catch-up of a stream's cases (``tasks.catch_up_task``), at most once a minute
    per stream (``evaluate_alerts_throttled``, a cache key), and from cron with ``kinerja
    alerts check [--stream CODE]``.

Rules themselves are set by the operations ``services.alert_rule_save`` and
``alert_rule_deactivate``, which check who may.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinerja.core.models import Notification
from kinerja.core.notifications import notify
from kinerja.core.texts import in_language_of
from kinerja.organizations.heads import unit_leaders
from kinerja.organizations.models import Employee, Unit

from .ingest import catch_up
from .metrics import MetricsQuery, compute
from .models import (
    SLA_UNIT_MS,
    AlertBreach,
    AlertMetric,
    AlertRule,
    AlertWindow,
    Comparison,
    Stream,
)
from .signals import breach_changed, send_after_commit

logger = logging.getLogger(__name__)

LOOKBACK = {AlertWindow.DAY: 14, AlertWindow.WEEK: 4}  # periods beyond the run itself
THROTTLE_SECONDS = 60


# --- The condition -----------------------------------------------------------------------------


def rule_value(figures: dict, rule: AlertRule) -> Decimal | None:
    """The rule's metric out of ``compute``'s answer (or a series row), in the threshold's
    terms."""
    if rule.metric == AlertMetric.OPEN_CASES:
        return Decimal(figures["open_cases_at_end"])
    if rule.metric == AlertMetric.WITHIN_SLA_PCT:
        pct = figures["within_sla_pct"]
        return None if pct is None else Decimal(str(pct))
    durations = figures["duration_seconds"]
    key = "p90" if rule.metric == AlertMetric.P90_DURATION else "median"
    seconds = None if durations is None else durations[key]
    if seconds is None:
        return None
    return Decimal(str(seconds)) * 1000 / SLA_UNIT_MS[rule.stream.sla_unit]


def compares(value: Decimal | None, rule: AlertRule) -> bool:
    if value is None:
        return False
    if rule.comparison == Comparison.ABOVE:
        return value > rule.threshold
    return value < rule.threshold


def rule_range(rule: AlertRule, today: date) -> tuple[date, date, str]:
    """First and last day to compute, and the grouping (see the module's docstring)."""
    periods = rule.consecutive + LOOKBACK[rule.window]
    if rule.window == AlertWindow.DAY:
        end = today - timedelta(days=1)
        return end - timedelta(days=periods - 1), end, "day"
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=periods - 1), today, "week"


@dataclass(frozen=True)
class Verdict:
    holds: bool
    periods: list[tuple[str, Decimal]]  # the run looked at (label, value), oldest first


def rule_verdict(rule: AlertRule, now: datetime) -> Verdict:
    """Whether the rule's condition holds at ``now`` (one ``compute``; catch up first)."""
    start, end, group = rule_range(rule, timezone.localdate(now))
    figures = compute(
        MetricsQuery(
            stream=rule.stream,
            start=start,
            end=end,
            unit_id=rule.unit_id,
            unit_code=rule.unit.code if rule.unit_id else None,
            group=group,
        )
    )
    measured = [
        (row["period"], value)
        for row in figures["series"]
        if (value := rule_value(row, rule)) is not None
    ]
    run = measured[-rule.consecutive :]
    holds = len(run) == rule.consecutive and all(compares(value, rule) for _label, value in run)
    return Verdict(holds, run)


# --- Who is told ---------------------------------------------------------------------------------


def unit_heads(*, unit: Unit | None, stream: Stream) -> list[Employee]:
    """Whoever leads ``unit`` (see the module's docstring); the agency head without one."""
    return unit_leaders(unit, agency_head_position_id=stream.agency.head_position_id)


# --- Breaches -------------------------------------------------------------------------------


@dataclass
class Outcome:
    rules: int = 0
    opened: list[AlertBreach] = field(default_factory=list)
    closed: list[AlertBreach] = field(default_factory=list)
    mails: int = 0
    notified: int = 0  # in-app notifications written


def _period_label(label: str) -> str:
    """A series period (a day, or the Monday a week starts) as the region writes dates."""
    try:
        return formats.date_format(date.fromisoformat(label), "SHORT_DATE_FORMAT")
    except ValueError:
        return label


def _describe(rule: AlertRule, verdict: Verdict) -> tuple[str, str]:
    unit_words = {
        AlertMetric.WITHIN_SLA_PCT: "%",
        AlertMetric.OPEN_CASES: _("cases"),
    }.get(rule.metric, rule.stream.get_sla_unit_display())
    where = rule.unit.name if rule.unit_id else _("the whole service")
    title = _("Alert: %(name)s") % {"name": rule.name}
    # In the reader's formats (the caller has set their language): "23/11/2026: 31,27 %".
    values = ", ".join(
        f"{_period_label(label)}: {formats.number_format(value.normalize())} {unit_words}"
        for label, value in verdict.periods
    )
    body = _(
        "%(stream)s (%(where)s): %(metric)s is %(comparison)s %(threshold)s %(unit)s in the last "
        "%(count)d period(s) of a %(window)s — %(values)s. You are told once; you will hear "
        "again only after it has recovered and breaks the threshold anew."
    ) % {
        "stream": rule.stream.name,
        "where": where,
        "metric": rule.get_metric_display(),
        "comparison": rule.get_comparison_display(),
        "threshold": formats.number_format(rule.threshold.normalize()),
        "unit": unit_words,
        "count": rule.consecutive,
        "window": rule.get_window_display(),
        "values": values,
    }
    return title, body


def _link(rule: AlertRule) -> str:
    url = reverse("streams:dashboard", args=[rule.stream.code])
    return f"{url}?unit={rule.unit.code}" if rule.unit_id else url


def _open(
    rule: AlertRule, verdict: Verdict, now: datetime, *, mail: bool = True
) -> tuple[AlertBreach, list, int] | None:
    """Open a breach and notify in the app; the e-mails to send after the commit (none
    without ``mail``) and the number of in-app notifications. ``None`` when another evaluation
    opened it first."""
    with transaction.atomic():
        breach = AlertBreach(
            rule=rule,
            started_at=now,
            periods=[label for label, _value in verdict.periods],
            value=verdict.periods[-1][1] if verdict.periods else None,
        )
        try:
            with transaction.atomic():
                breach.save()
        except IntegrityError:
            return None
        link = _link(rule)
        notes: list[Notification] = []
        mails: list[tuple[str, str, str]] = []
        for head in unit_heads(unit=rule.unit, stream=rule.stream):
            with in_language_of(head):  # each head reads it in their own language
                title, body = _describe(rule, verdict)
            notes += notify(users=[getattr(head, "user", None)], title=title, body=body, link=link)
            if mail and head.email:
                mails.append((head.email, title, body))
        if notes or mails:
            breach.notified_at = now
            breach.save(update_fields=["notified_at"])
    return breach, mails, len(notes)


def _send(mails: list[tuple[str, str, str]], link: str) -> int:
    sent = 0
    for address, title, body in mails:
        try:
            sent += send_mail(title, f"{body}\n\n{link}", None, [address])
        except Exception:  # a mail server that is down must not stop the evaluation
            logger.exception("alert e-mail to %s failed", address)
    return sent


def evaluate_alerts(stream: Stream, now: datetime | None = None, *, mail: bool = True) -> Outcome:
    """Evaluate every active rule of ``stream`` at ``now``: open breaches (notifying once) and
    end those whose condition no longer holds. ``mail=False`` notifies in the app only (the
    demo, whose e-mail addresses are invented)."""
    now = now or timezone.now()
    catch_up(stream)  # the figures must include every event stored so far
    outcome = Outcome()
    rules = list(
        AlertRule.objects.filter(stream=stream, active=True).select_related(
            "stream__agency", "unit__parent"
        )
    )
    open_breaches = {
        b.rule_id: b for b in AlertBreach.objects.filter(rule__in=rules, ended_at=None)
    }
    for rule in rules:
        outcome.rules += 1
        verdict = rule_verdict(rule, now)
        current = open_breaches.get(rule.pk)
        if verdict.holds and current is None:
            opened = _open(rule, verdict, now, mail=mail)
            if opened is not None:
                breach, mails, notified = opened
                outcome.opened.append(breach)
                send_after_commit(breach_changed, AlertBreach, breach=breach)
                outcome.notified += notified
                outcome.mails += _send(mails, _link(rule))
        elif not verdict.holds and current is not None:
            ended = AlertBreach.objects.filter(pk=current.pk, ended_at=None).update(ended_at=now)
            if ended:
                current.ended_at = now
                outcome.closed.append(current)
                send_after_commit(breach_changed, AlertBreach, breach=current)
    return outcome


def evaluate_alerts_throttled(stream: Stream) -> Outcome | None:
    """``evaluate_alerts`` at most once a minute per stream (the cache is shared by every
    process of an installation); ``None`` when skipped."""
    if not AlertRule.objects.filter(stream=stream, active=True).exists():
        return None
    if not cache.add(f"kinerja:alerts:{stream.pk}", 1, THROTTLE_SECONDS):
        return None
    return evaluate_alerts(stream)
