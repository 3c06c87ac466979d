"""The demo's own operations: the few writes of the demo that no other app has an operation for.

Everything else the loader writes goes through the owning app's operations. These are here
because they belong to the demo alone or because the data is history written in bulk:

* ``service_account_create``: the two accounts that are not employees (``admin``,
  ``auditor``); accounts has an operation only for an employee's account.
* ``demo_password_set``: the published demo password on every account without one — one
  argon2 hash for all of them, because argon2 is slow on purpose and the password is the same.
* ``iki_history_add``: the earlier quarters' realisations of the employees' indicators, one
  bulk write audited as ``realisation_record`` audits each value (skp has no bulk operation).
* ``story_notices_clear``: the notifications the plans' story sent months before the load are
  not news (notifications are not audited: they are personal messages, not domain data).
* ``calendar_rating_opens_early``: the demo region opens the year's last periods for rating in
  December (``SkpCalendar.rating_opens_days_before``, a rule table without a page of its own),
  as many regions do so that the annual evaluation is done before the holidays.

Each runs in one transaction, only in demo mode and only for the loader
(:func:`.permissions.may_load_demo`), and writes its own audit records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.models import Notification
from kinerja.core.rules import row_in_force
from kinerja.skp.models import Iki, IkiRealisation, SkpCalendar
from kinerja.skp.verification import IkiRealisationState

from .permissions import may_load_demo


def _check(by: Actor) -> None:
    if not may_load_demo(by):
        raise PermissionDenied("Only the demo loader, in demo mode, may do this.")


@cache
def demo_password_hash() -> str:
    """One argon2 hash of the demo password for every account (argon2 is slow on purpose)."""
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def service_account_create(
    *, username: str, first_name: str, last_name: str, by: Actor
) -> tuple[User, bool]:
    """The account ``username`` that is not an employee's, created without a usable password
    when missing; whether it was created."""
    _check(by)
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    audit.record("create", user, after={"username": username, "employee": None})
    return user, True


@transaction.atomic
def demo_password_set(*, users: Iterable[User], by: Actor) -> int:
    """The demo password on every one of ``users`` that has no usable password; how many."""
    _check(by)
    without_password = [u for u in users if not u.has_usable_password()]
    if not without_password:
        return 0
    hashed = demo_password_hash()
    for user in without_password:
        user.password = hashed
    User.objects.bulk_update(without_password, ["password"], batch_size=500)
    with translation.override(settings.LANGUAGE_CODE):  # the audit trail's notes: the region's
        note = _("Demo password set.")
    audit.record_many(
        [audit.entry_for("password_reset", user, note=note) for user in without_password]
    )
    return len(without_password)


@transaction.atomic
def iki_history_add(*, values: Sequence[tuple[Iki, str, Decimal, User]], by: Actor) -> int:
    """Realisations of past periods, ``(iki, period, value, recorded_by)`` each, in one bulk
    write, each audited as ``realisation_record`` audits a value; how many. They are the
    year's history, verified long ago: they count."""
    _check(by)
    now = timezone.now()
    rows = [
        IkiRealisation(
            iki=iki, period=period, value=value, recorded_by=recorded_by,
            state=IkiRealisationState.VERIFIED, verified_at=now,
        )
        for iki, period, value, recorded_by in values
    ]  # fmt: skip
    IkiRealisation.objects.bulk_create(rows, batch_size=500)
    audit.record_many(
        [
            audit.entry_for(
                "create",
                row,
                after={"value": audit.to_json(row.value), "note": row.note, "state": row.state},
            )
            for row in rows
        ]
    )
    return len(rows)


@transaction.atomic
def story_notices_clear(
    *, after: int, keep_link_prefix: str = "", keep_links: Iterable[str] = (), by: Actor
) -> int:
    """Remove the notifications newer than ``after`` (a notification's id) except those whose
    link starts with ``keep_link_prefix`` or is one of ``keep_links``; how many."""
    _check(by)
    notices = Notification.objects.filter(pk__gt=after).exclude(link__in=list(keep_links))
    if keep_link_prefix:
        notices = notices.exclude(link__startswith=keep_link_prefix)
    deleted, _by_model = notices.delete()
    return deleted


@transaction.atomic
def calendar_rating_opens_early(*, year: int, days: int, by: Actor) -> SkpCalendar:
    """In ``year`` only, rating opens ``days`` days before a period ends: the row in force is
    copied for ``year`` with that one change, and for ``year + 1`` unchanged (unless the next
    year has a row of its own). The same value again changes nothing."""
    _check(by)
    current = row_in_force(SkpCalendar, year)
    if current is not None and current.rating_opens_days_before == days:
        return current
    fields = {
        f.name: getattr(current, f.name)
        for f in SkpCalendar._meta.concrete_fields
        if current is not None and f.name not in ("id", "valid_from")
    }
    if not SkpCalendar.objects.filter(valid_from=year + 1).exists():
        following = SkpCalendar.objects.create(valid_from=year + 1, **fields)
        audit.record("create", following, after={"valid_from": year + 1})
    row, _created = SkpCalendar.objects.update_or_create(
        valid_from=year, defaults={**fields, "rating_opens_days_before": days}
    )
    audit.record("update", row, after={"rating_opens_days_before": days})
    return row
