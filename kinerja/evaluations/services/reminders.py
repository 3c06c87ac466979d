"""Sending the deadline reminders of the SKP cycle that are due, once each (what is due:
:mod:`kinerja.evaluations.reminders`): in the app for people with an active account, by
e-mail to ``Employee.email`` after the commit, each recorded under its unique key in
``evaluations.Reminder`` so that no run sends it again."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TypeAlias

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.notifications import notify
from kinerja.organizations.models import Agency

from .. import permissions
from ..models import Reminder
from ..reminders import Message, due_messages

logger = logging.getLogger(__name__)
#: A message someone can receive: (kind, message, account or None, e-mail address or "").
Reachable: TypeAlias = tuple[str, Message, User | None, str]


@dataclass
class ReminderOutcome:
    plan: int = 0  # employees reminded of their plan
    approve: int = 0  # messages to raters about plans to approve
    rate: int = 0  # messages to raters about periods to rate
    notifications: int = 0  # in-app notifications written
    mails: int = 0  # e-mails queued, sent after the commit
    skipped: int = 0  # people with neither an account nor an e-mail address
    sent_keys: list[str] = field(default_factory=list)


def _send(mails: list[tuple[str, str, str]]) -> None:
    for address, title, body in mails:
        try:
            send_mail(title, body, None, [address])
        except Exception:  # a mail server that is down must not stop the others
            logger.exception("reminder e-mail to %s failed", address)


def _in_readers_languages(
    due: list[tuple[str, Message]], today: date, agency: Agency | None
) -> list[tuple[str, Message]]:
    """Each message in its reader's saved language: ``due`` is in the region's; the messages
    of people who chose another language are written again in theirs (and e-mailed so)."""
    ids = {m.employee.pk for _kind, m in due}
    chosen = dict(
        User.objects.filter(employee_id__in=ids, is_active=True)
        .exclude(language=settings.LANGUAGE_CODE)
        .values_list("employee_id", "language")
    )
    for language in sorted(set(chosen.values())):
        with translation.override(language):
            again = {tuple(m.keys): m for _kind, m in due_messages(today, agency)}
        due = [
            (kind, again.get(tuple(m.keys), m) if chosen.get(m.employee.pk) == language else m)
            for kind, m in due
        ]
    return due


def _reachable(
    due: list[tuple[str, Message]], mail: bool, outcome: ReminderOutcome
) -> list[Reachable]:
    """(kind, message, account, address) of the messages someone can receive; the others are
    counted as skipped (and not recorded, so that they go out once the person can get them)."""
    ids = {m.employee.pk for _kind, m in due}
    users = {u.employee_id: u for u in User.objects.filter(employee_id__in=ids, is_active=True)}
    reachable: list[Reachable] = []
    for kind, message in due:
        user = users.get(message.employee.pk)
        address = message.employee.email if mail else ""
        if user is None and not address:
            outcome.skipped += 1
        else:
            reachable.append((kind, message, user, address))
    return reachable


def _record_all(reachable: list[Reachable]) -> bool:
    """Record every key at once; ``False`` when another run recorded some of them a moment
    ago (then each message takes its own chance: the first run sends, the second skips)."""
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(
                [Reminder(key=k) for _k, m, _u, _a in reachable for k in m.keys],
                batch_size=1000,
            )
    except IntegrityError:
        return False
    return True


def _record_one(message: Message) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create([Reminder(key=k) for k in message.keys])
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


def _deliver(
    reachable: list[Reachable], recorded: bool, outcome: ReminderOutcome
) -> list[tuple[str, str, str]]:
    """Notify in the app and collect the e-mails of every message recorded by this run."""
    mails: list[tuple[str, str, str]] = []
    for kind, message, user, address in reachable:
        if not recorded and not _record_one(message):
            continue
        if user is not None:
            outcome.notifications += len(
                notify(users=[user], title=message.title, body=message.body, link=message.link)
            )
        if address:
            mails.append((address, message.title, f"{message.body}\n\n{message.link}"))
        setattr(outcome, kind, getattr(outcome, kind) + 1)
        outcome.sent_keys += message.keys
    return mails


@transaction.atomic
def reminders_send(
    *, by: Actor, today: date | None = None, agency: Agency | None = None, mail: bool = True
) -> ReminderOutcome:
    """Send every reminder due on ``today`` (default: today in the region's time) once, for
    the region or for ``agency``; ``mail=False``: in the app only. ``by`` is the region's
    administrator or :data:`~kinerja.core.actors.SYSTEM` (the daily cron), or for one agency
    also its performance administrator (:func:`~kinerja.evaluations.permissions.runs_the_year`).
    A run that sends anything is recorded in the audit trail with its counts."""
    permissions.require(
        permissions.runs_the_year(by, agency),
        _("Only the region's administrator sends the reminders; an agency's performance "
          "administrator sends their own agency's."),
    )  # fmt: skip
    today = today or timezone.localdate()
    outcome = ReminderOutcome()
    with translation.override(settings.LANGUAGE_CODE):
        due = _in_readers_languages(due_messages(today, agency), today, agency)
    reachable = _reachable(due, mail, outcome)
    mails = _deliver(reachable, _record_all(reachable), outcome)
    outcome.mails = len(mails)
    if mails:
        transaction.on_commit(partial(_send, mails))
    if outcome.sent_keys:
        audit.record(
            "remind",
            object_type=Reminder._meta.label_lower,
            object_id=today.isoformat(),
            object_repr=f"{today:%d/%m/%Y} {agency.code if agency else ''}".strip(),
            after={
                "plan": outcome.plan, "approve": outcome.approve, "rate": outcome.rate,
                "notifications": outcome.notifications, "mails": outcome.mails,
            },
        )  # fmt: skip
    return outcome
