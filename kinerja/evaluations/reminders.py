"""Deadline reminders of the SKP cycle (issue 5, "Workflow and deadlines"), for a daily cron
(``kinerja skp remind``): what is due here; sending it once is the operation
:func:`kinerja.evaluations.services.reminders_send`.

What is reminded, and when
    Every deadline comes from the year's SKP calendar (``skp.rules``; [param]); a reminder is
    due from ``reminder_days`` (default 7) days before the deadline up to the deadline itself,
    and never after it.

    * **plan** — before the plan deadline (31 January): each active employee with a position
      whose plan of the year has not yet reached the rater: no plan, a draft or a returned
      plan. Once per employee and year.
    * **approve** — before the plan deadline: each rater with plans *submitted* to them and
      not yet approved. Once per plan; a rater gets one message listing the new ones.
    * **rate** — before the deadline of a periodic evaluation (the ``periodic_deadline_day``
      of the month after the period; the periods follow the agency's rhythm: monthly,
      quarterly or per semester) and before the annual evaluation's deadline: each rater with
      approved plans (approved or under evaluation) that have no rating for the period. Once
      per plan and period; one message per rater and period. Only while the period is open
      for rating (:mod:`.lifecycle`): no reminder to rate a period that is still running.

    Those who are done get nothing: an approved plan, a plan already submitted (for the
    employee: the rater's turn), a rating already recorded.

How
    In the app (``core.notifications.notify``) for people with an active account, and by
    e-mail to ``Employee.email`` when there is one; the e-mails go out after the commit
    (``transaction.on_commit``), so that a slow mail server never holds the transaction and a
    failed run sends nothing. Each reminder is recorded in ``evaluations.Reminder`` under a
    unique key (``skp-plan:2026:<employee>``, ``skp-approve:<plan>``,
    ``skp-rate:<plan>:<period>``): a second run the same day, or the next day, sends nothing
    again, and two runs at once send it once (the second one's insert fails on the key). A
    person with neither an account nor an e-mail address is not recorded, so that the
    reminder reaches them once they have one.

    The texts are written in the region's language (``settings.LANGUAGE_CODE``), dates as
    dd/mm/yyyy. Each links to where the work is done: the plan (or the page that starts one),
    the plan to approve or the period to rate when there is one, else the worklist ("Tugas
    saya", ``portal:tasks``) that lists them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core.periods import Period
from kinerja.organizations.models import Agency, Employee
from kinerja.skp.models import Skp, SkpCalendar, SkpState
from kinerja.skp.rhythm import periods_of, rhythm_of
from kinerja.skp.rules import plan_deadline, skp_calendar

from .lifecycle import window
from .models import Evaluation, Reminder

#: An employee's plan in one of these states is with the rater or beyond: nothing to remind.
PLAN_DONE = {
    SkpState.SUBMITTED, SkpState.APPROVED, SkpState.EVALUATING, SkpState.RATED,
    SkpState.OBJECTED, SkpState.FINAL,
}  # fmt: skip
#: A plan in one of these states waits for its ratings.
TO_RATE = {SkpState.APPROVED, SkpState.EVALUATING}
#: How many names a message lists before "and n more".
NAMES_SHOWN = 10


@dataclass
class Message:
    employee: Employee
    keys: list[str]
    title: str
    body: str
    link: str


def _window(deadline: date, cal: SkpCalendar, today: date) -> bool:
    return deadline - timedelta(days=cal.reminder_days) <= today <= deadline


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _names(employees: list[Employee]) -> str:
    names = sorted(e.name for e in employees)
    text = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        text += " " + _("and %(count)d more") % {"count": len(names) - NAMES_SHOWN}
    return text


def _sent(prefix: str) -> set[str]:
    return set(Reminder.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def _scoped(queryset, agencies: list[Agency] | None, path: str):
    return queryset.filter(**{f"{path}__in": agencies}) if agencies is not None else queryset


# --- Where a reminder leads: the exact page of one task, the worklist of several -----------------


def _approve_link(waiting: list[Skp]) -> str:
    if len(waiting) == 1:
        return reverse("skp:detail", args=[waiting[0].pk])
    return reverse("portal:tasks")


def _rate_link(waiting: list[Skp], period: Period) -> str:
    if len(waiting) == 1:
        return reverse("evaluations:rate", args=[waiting[0].pk, str(period)])
    return reverse("portal:tasks")


# --- What is due -------------------------------------------------------------------------------


def _plan_messages(year: int, deadline: date, agencies) -> list[Message]:
    sent = _sent(f"skp-plan:{year}:")
    done = Skp.objects.filter(
        employee=OuterRef("pk"), year=year, ends_on__isnull=True, state__in=PLAN_DONE
    )
    employees = _scoped(
        Employee.objects.filter(active=True, position__isnull=False), agencies, "unit__agency"
    ).exclude(Exists(done))
    drafts = {
        employee_id: (state, pk)
        for employee_id, state, pk in Skp.objects.filter(
            year=year, ends_on__isnull=True, employee__in=employees
        ).values_list("employee_id", "state", "pk")
    }
    messages = []
    for employee in employees.order_by("pk"):
        key = f"skp-plan:{year}:{employee.pk}"
        if key in sent:
            continue
        args = {"year": year, "date": _day(deadline)}
        title = _("Your %(year)s plan (SKP) must be approved by %(date)s") % args
        state, plan = drafts.get(employee.pk, (None, None))
        if state == SkpState.RETURNED:
            body = _(
                "Your rater returned your %(year)s plan. Correct it and submit it again before "
                "%(date)s."
            )
        elif state == SkpState.DRAFT:
            body = _(
                "Your %(year)s plan is still a draft. Complete it and submit it to your rater "
                "before %(date)s."
            )
        else:
            body = _(
                "You have no plan for %(year)s yet. Draft it and submit it to your rater "
                "before %(date)s."
            )
        # the plan itself (where it is submitted), or the page that starts one
        link = reverse("skp:detail", args=[plan]) if plan else reverse("skp:start")
        messages.append(Message(employee, [key], title, body % args, link))
    return messages


def _approve_messages(year: int, deadline: date, agencies) -> list[Message]:
    sent = _sent("skp-approve:")
    plans = _scoped(
        Skp.objects.filter(year=year, state=SkpState.SUBMITTED, rater__isnull=False),
        agencies,
        "unit__agency",
    ).select_related("employee", "rater")
    by_rater: dict[int, list[Skp]] = defaultdict(list)
    for skp in plans.order_by("pk"):
        if f"skp-approve:{skp.pk}" not in sent:
            by_rater[skp.rater_id].append(skp)
    messages = []
    for waiting in by_rater.values():
        count = len(waiting)
        args = {"count": count, "year": year, "date": _day(deadline)}
        title = (
            ngettext(
                "%(count)d plan for %(year)s awaits your approval",
                "%(count)d plans for %(year)s await your approval",
                count,
            )
            % args
        )
        body = _("Approve or return them before %(date)s. Waiting: %(names)s") % {
            **args, "names": _names([s.employee for s in waiting]),
        }  # fmt: skip
        messages.append(
            Message(
                waiting[0].rater,
                [f"skp-approve:{s.pk}" for s in waiting],
                title,
                body,
                _approve_link(waiting),
            )
        )
    return messages


def _rate_messages(
    year: int, period: Period, deadline: date, agencies: list[Agency]
) -> list[Message]:
    """Raters of the plans of ``agencies`` (whose rhythm asks for ``period``) not yet rated."""
    sent = _sent("skp-rate:")
    rated = Evaluation.objects.filter(skp=OuterRef("pk"), period=str(period))
    plans = (
        Skp.objects.filter(
            year=year, state__in=TO_RATE, rater__isnull=False, unit__agency__in=agencies,
            starts_on__lte=period.end,
        )
        .exclude(Exists(rated))
        .select_related("employee", "rater")
    )  # fmt: skip
    by_rater: dict[int, list[Skp]] = defaultdict(list)
    for skp in plans.order_by("pk"):
        if f"skp-rate:{skp.pk}:{period}" not in sent:
            by_rater[skp.rater_id].append(skp)
    messages = []
    for waiting in by_rater.values():
        count = len(waiting)
        args = {"count": count, "period": period.label, "date": _day(deadline)}
        title = (
            ngettext(
                "%(count)d employee to rate for %(period)s",
                "%(count)d employees to rate for %(period)s",
                count,
            )
            % args
        )
        body = _("Rate them before %(date)s. Not rated yet: %(names)s") % {
            **args, "names": _names([s.employee for s in waiting]),
        }  # fmt: skip
        keys = [f"skp-rate:{s.pk}:{period}" for s in waiting]
        messages.append(Message(waiting[0].rater, keys, title, body, _rate_link(waiting, period)))
    return messages


def due_messages(today: date, agency: Agency | None = None) -> list[tuple[str, Message]]:
    """(kind, message) of every reminder due on ``today`` and not sent yet."""
    agencies = [agency] if agency is not None else list(Agency.objects.order_by("code"))
    scope = [agency] if agency is not None else None
    found: list[tuple[str, Message]] = []
    for year in sorted({today.year - 1, today.year, today.year + 1}):
        cal = skp_calendar(year)
        deadline = plan_deadline(year, cal)
        if _window(deadline, cal, today):
            found += [("plan", m) for m in _plan_messages(year, deadline, scope)]
            found += [("approve", m) for m in _approve_messages(year, deadline, scope)]
        if year > today.year:
            continue
        # Periodic: the agencies grouped by rhythm, the periods whose deadline is near.
        by_rhythm: dict[str, list[Agency]] = defaultdict(list)
        for item in agencies:
            by_rhythm[rhythm_of(item, year)].append(item)
        for rhythm, group in sorted(by_rhythm.items()):
            for period in periods_of(rhythm, year):
                win = window(period, cal, today)
                if win.is_open and _window(win.deadline, cal, today):
                    found += [
                        ("rate", m) for m in _rate_messages(year, period, win.deadline, group)
                    ]
        win = window(Period(year), cal, today)
        if win.is_open and _window(win.deadline, cal, today):
            found += [
                ("rate", m) for m in _rate_messages(year, Period(year), win.deadline, agencies)
            ]
    return found
