"""In-app notifications: a message to one person, shown on their notifications page with an
unread count in the menu (service-data alerts today; the SKP's reminders later).

Notifications are personal messages, not domain data: writing or reading them is not recorded
in the audit trail (what caused them is). E-mail, where there is one, is the caller's: it goes
out after the commit, so that a slow mail server never holds a transaction open.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Notification
from .texts import Text, text_for

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    from .actors import Actor


def safe_link(link: str) -> str:
    """Only a path of this site: a notification never sends anyone elsewhere."""
    link = (link or "").strip()
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link[:300]
    return ""


@transaction.atomic
def notify(
    *,
    users: Iterable[_User | None],
    title: str | Text,
    body: str | Text = "",
    link: str = "",
    once_unread: bool = False,
) -> list[Notification]:
    """One notification per distinct user (inactive accounts are skipped); a :class:`Text`
    title or body is written in each recipient's language (:mod:`kinerja.core.texts`).
    ``once_unread``: not to those who have not read an earlier notification with the same link
    yet (value after value entered for the same page tells the person once)."""
    users = list(users)
    seen: set[int] = set()
    if once_unread and safe_link(link):
        seen = set(
            Notification.objects.filter(
                recipient__in=[u.pk for u in users if u is not None],
                link=safe_link(link),
                read_at__isnull=True,
            ).values_list("recipient_id", flat=True)
        )
    rows = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                title=text_for(title, user)[:200],
                body=text_for(body, user),
                link=safe_link(link),
            )
        )
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def notifications_mark_read(*, by: Actor, notification: Notification | None = None) -> int:
    """Mark one of ``by``'s own notifications, or all of them, as read; how many changed.
    Nobody marks another person's (the one door, ``visible_to``, holds only one's own)."""
    qs = Notification.objects.visible_to(by).unread()
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


def unread_count(user: Actor | None) -> int:
    return Notification.objects.visible_to(user).unread().count()
