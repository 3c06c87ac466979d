"""Helpers shared by several test modules of core: notifications, the audit trail."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from kinerja.core import audit
from kinerja.core.models import AuditRecord


def read_url(item) -> str:
    """The address that marks the notification ``item`` read."""
    return reverse("core:notification_read", args=[item.pk])


def append(count: int = 1, **kwargs) -> list[AuditRecord]:
    """Append ``count`` records about a made-up object, each with a distinct payload."""
    base = AuditRecord.objects.count()
    return audit.record_many(
        [
            audit.Entry(
                action="update",
                object_type="test.thing",
                object_id=str(base + i + 1),
                object_repr=f"Thing {base + i + 1}",
                before={"value": "1.50", "n": i},
                after={"value": "2.75", "n": i + 1},
                note=kwargs.get("note", ""),
                agency_code="DINKES",
            )
            for i in range(count)
        ]
    )


def bypass_append_only() -> None:
    """Remove the database's guard for the rest of the test's transaction (rolled back after).

    Tampering needs direct database access anyway; this is what an attacker with it would do.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the rows just written must run before the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE core_auditrecord DISABLE TRIGGER core_auditrecord_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER core_auditrecord_append_only")


def rows(seq: int):
    return AuditRecord.objects.filter(seq=seq)


def seq_of(n: int) -> int:
    """The sequence number of the n-th record appended in this test (1-based)."""
    first = AuditRecord.objects.order_by("seq").values_list("seq", flat=True).first()
    return first + n - 1
