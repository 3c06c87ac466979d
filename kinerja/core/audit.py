"""Recording changes: who, when, what (before and after), through which door.

Operations (``services.py`` of each app) call :func:`record` inside their transaction. The door
and the actor come from a context variable that the web middleware, the API authentication,
management commands and the import runner set with :func:`door`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditRecord, Channel

if TYPE_CHECKING:
    from django.contrib.auth.models import _AnyUser, _User
    from typing_extensions import Unpack

GENESIS = "0" * 64


@dataclass(frozen=True)
class Door:
    channel: str
    actor_resolver: Callable[[], _AnyUser | None] | None = None
    label: str = ""

    def actor(self) -> _User | None:
        user = self.actor_resolver() if self.actor_resolver else None
        if user is not None and user.is_authenticated:
            return user
        return None


SYSTEM_DOOR = Door(Channel.SYSTEM, None, "")
_door: ContextVar[Door] = ContextVar("kinerja_audit_door")


@contextmanager
def door(
    channel: str,
    actor: _AnyUser | None = None,
    *,
    label: str = "",
    resolver: Callable[[], _AnyUser | None] | None = None,
) -> Iterator[None]:
    """Run the block with changes attributed to ``actor`` through ``channel``."""
    if resolver is None and actor is not None:

        def resolver() -> _AnyUser | None:
            return actor

    token = _door.set(Door(channel, resolver, label))
    try:
        yield
    finally:
        _door.reset(token)


def set_door(channel: str, actor: _AnyUser | None = None, *, label: str = "") -> None:
    """Switch the door for the rest of the current context (used by API authentication)."""
    _door.set(Door(channel, (lambda: actor) if actor is not None else None, label))


def current_door() -> Door:
    return _door.get(SYSTEM_DOOR)


def to_json(value: Any) -> Any:
    """A JSON-safe, exactly reproducible form of a field value (decimals stay strings)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``instance``; foreign keys by their natural code where they have one."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = getattr(value, "audit_key", value.pk)
        data[name] = to_json(value)
    return data


def changed(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Keep only the keys whose values differ (both sides), for a readable record."""
    if before is None or after is None:
        return before, after
    keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass
class Entry:
    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str = ""
    agency_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class EntryDetails(TypedDict, total=False):
    """The keyword arguments of :func:`entry_for` (and :func:`record`)."""

    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str
    object_type: str
    object_id: str
    object_repr: str


def entry_for(
    action: str,
    instance: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> Entry:
    agency_code = ""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(getattr(instance, "audit_key", instance.pk))
        object_repr = object_repr or str(instance)[:200]
        agency = getattr(instance, "audit_agency_code", "")
        agency_code = agency() if callable(agency) else agency
    return Entry(
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=before,
        after=after,
        note=note,
        agency_code=agency_code or "",
    )


def record(
    action: str, instance: models.Model | None = None, **details: Unpack[EntryDetails]
) -> AuditRecord:
    """Append one record for a change; call it inside the operation's transaction."""
    return record_many([entry_for(action, instance, **details)])[0]


def _digest(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(rec: AuditRecord) -> dict[str, Any]:
    return {
        "seq": rec.seq,
        "at": rec.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": rec.actor_id,
        "actor_label": rec.actor_label,
        "channel": rec.channel,
        "action": rec.action,
        "object_type": rec.object_type,
        "object_id": rec.object_id,
        "object_repr": rec.object_repr,
        "agency_code": rec.agency_code,
        "before": rec.before,
        "after": rec.after,
        "note": rec.note,
        "prev_hash": rec.prev_hash,
    }


def compute_hash(rec: AuditRecord) -> str:
    return _digest(_hashed_fields(rec))


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Only after the table was emptied (a fresh database, a test flush).
        last = AuditRecord.objects.order_by("-seq").first()
        head, _ = AuditChainHead.objects.get_or_create(
            pk=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else ""}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def record_many(entries: list[Entry]) -> list[AuditRecord]:
    """Append records in one step: used by imports that change thousands of rows at once."""
    if not entries:
        return []
    current = current_door()
    actor = current.actor()
    label = actor.get_username() if actor is not None else (current.label or current.channel)
    now = timezone.now()
    with transaction.atomic():
        head = _lock_head()
        prev = head.hash or GENESIS
        seq = head.seq
        records = []
        for e in entries:
            seq += 1
            rec = AuditRecord(
                seq=seq,
                at=now,
                actor=actor,
                actor_label=label[:150],
                channel=current.channel,
                action=e.action,
                object_type=e.object_type,
                object_id=str(e.object_id)[:64],
                object_repr=e.object_repr[:200],
                agency_code=e.agency_code[:30],
                before=to_json(e.before),
                after=to_json(e.after),
                note=e.note,
                prev_hash=prev,
            )
            rec.hash = compute_hash(rec)
            prev = rec.hash
            records.append(rec)
        AuditRecord.objects.bulk_create(records, batch_size=500)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return records


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def verify(*, progress: Callable[[int], None] | None = None) -> Verdict:
    """Walk the chain from the first record; name the first record that does not fit."""
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for rec in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if rec.seq != expected_seq:
            return Verdict(
                False, checked, expected_seq, f"record #{expected_seq} is missing (removed)"
            )
        if rec.prev_hash != prev:
            return Verdict(
                False,
                checked,
                rec.seq,
                f"record #{rec.seq} does not follow record #{rec.seq - 1} "
                "(a record before it was altered or removed)",
            )
        if compute_hash(rec) != rec.hash:
            return Verdict(
                False, checked, rec.seq, f"record #{rec.seq} was altered after it was written"
            )
        prev = rec.hash
        expected_seq += 1
        checked += 1
        if progress and checked % 2000 == 0:
            progress(checked)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq > checked:
        return Verdict(
            False,
            checked,
            checked + 1,
            f"the chain ends at record #{checked} but record #{head.seq} was written "
            "(the newest records were removed)",
        )
    if head is not None and checked and head.seq == checked and head.hash != prev:
        # The newest record was altered and its hash recomputed: only the head still knows.
        return Verdict(
            False, checked, checked, f"record #{checked} was altered after it was written"
        )
    return Verdict(True, checked)
