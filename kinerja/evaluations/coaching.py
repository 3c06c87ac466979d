"""Reading a coaching item in the viewer's language: its facts with their provenance (what
the rater and, once sent, the employee see) and the feedback message and development action
it proposes (pre-filled, editable). The numbers are shown as the rest of Kinerja shows them
(at most two decimals, in the language's format); the item itself keeps plain numbers
(:func:`kinerja.evaluations.services.coaching.indicator_data`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from kinerja.core.templatetags.numbers import angka
from kinerja.streams.models import AlertMetric, AlertWindow, Comparison, SlaUnit

from .models import CoachingItem, CoachingKind

#: Days from today for a proposed development action.
ACTION_DAYS = 30


def number(text: object) -> str:
    """A stored plain number as the page shows numbers (``12,3``, ``1.200``); ``—`` for none."""
    try:
        return angka(Decimal(str(text))) if text not in (None, "") else "—"
    except InvalidOperation:
        return str(text)


def _day(text: object) -> str:
    try:
        return formats.date_format(date.fromisoformat(str(text)), "SHORT_DATE_FORMAT")
    except ValueError:
        return ""


def target_text(data: dict) -> str:
    unit = data.get("unit", "")
    if data.get("target_low") is not None and data.get("target_high") is not None:
        return f"{number(data['target_low'])}–{number(data['target_high'])} {unit}".strip()
    if data.get("target") is None:
        return "—"
    if data.get("lower_is_better"):
        return _("at most %(target)s") % {"target": f"{number(data['target'])} {unit}".strip()}
    return f"{number(data['target'])} {unit}".strip()


def source_text(data: dict) -> str:
    """Where the value comes from: service data with its case count, or the verified value."""
    if data.get("source") == "stream":
        return _("service data %(stream)s, %(cases)s cases") % {
            "stream": data.get("stream", ""),
            "cases": number(data.get("cases")),
        }
    if data.get("verified_by"):
        return _("the realisation entered, verified by %(name)s on %(date)s") % {
            "name": data["verified_by"],
            "date": _day(data.get("verified_on")),
        }
    return _("the realisation entered")


def _label(choices, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _measure(data: dict) -> str:
    measure = data.get("measure", "")
    return measure if measure == "%" else _label(SlaUnit, measure)


def condition_text(data: dict) -> str:
    measure = _measure(data)
    return _("%(metric)s %(comparison)s %(threshold)s %(measure)s per %(window)s") % {
        "metric": _label(AlertMetric, data.get("metric")),
        "comparison": _label(Comparison, data.get("comparison")),
        "threshold": number(data.get("threshold")),
        "measure": measure,
        "window": _label(AlertWindow, data.get("window")),
    }


def facts(item: CoachingItem) -> list[tuple[str, str]]:
    """The data behind the item, as (label, text) rows."""
    data = item.data
    if item.kind == CoachingKind.ALERT:
        return [
            (_("Alert"), data.get("alert", "")),
            (_("Service data"), data.get("stream", "")),
            (_("Unit"), data.get("unit", "")),
            (_("Condition"), condition_text(data)),
            (_("Latest value"), f"{number(data.get('value'))} {_measure(data)}".strip()),
            (_("Since"), _day(data.get("started_on"))),
        ]
    return [
        (_("Indicator"), data.get("indicator", "")),
        (_("Result"), data.get("result", "")),
        (_("Period"), item.period_label),
        (_("Target"), target_text(data)),
        (_("Value"), f"{number(data.get('value'))} {data.get('unit', '')}".strip()),
        (_("Achievement"), f"{number(data.get('achievement'))} %"),
        (_("Where the value comes from"), source_text(data)),
    ]


def proposed_message(item: CoachingItem) -> str:
    """The feedback the item proposes, with the data and their provenance."""
    data = item.data
    if item.kind == CoachingKind.ALERT:
        return _(
            "The alert “%(alert)s” on %(stream)s for %(unit)s holds since %(date)s: "
            "%(condition)s (latest value %(value)s). I would like to help the team get back "
            "within the service level: what is holding it up, and what do you need from me?"
        ) % {
            "alert": data.get("alert", ""),
            "stream": data.get("stream", ""),
            "unit": data.get("unit", ""),
            "date": _day(data.get("started_on")),
            "condition": condition_text(data),
            "value": f"{number(data.get('value'))} {_measure(data)}".strip(),
        }
    return _(
        "%(indicator)s in %(period)s: %(value)s %(unit)s against a target of %(target)s "
        "(achievement %(achievement)s %%; source: %(source)s). I would like to help you get "
        "back on track: what is holding it up, and what do you need from me?"
    ) % {
        "indicator": data.get("indicator", ""),
        "period": item.period_label,
        "value": number(data.get("value")),
        "unit": data.get("unit", ""),
        "target": target_text(data),
        "achievement": number(data.get("achievement")),
        "source": source_text(data),
    }


@dataclass
class ProposedAction:
    goal: str
    description: str
    owner: str
    due_on: date


def proposed_action(item: CoachingItem, today: date) -> ProposedAction:
    """The development action the item proposes: a coaching session with the rater."""
    what = item.data.get("indicator") or item.data.get("alert") or ""
    rater = item.skp.rater.name if item.skp.rater else ""
    return ProposedAction(
        goal=_("Back on target: %(what)s") % {"what": what},
        description=_(
            "Coaching with the rater on %(what)s: what holds it up, what helps, and a check "
            "of the next period's value"
        )
        % {"what": what},
        owner=rater,
        due_on=today + timedelta(days=ACTION_DAYS),
    )
