"""The portal in the API: the audit trail (Admin BKPSDM and Auditor only) and the caller's
worklist (``/me/tasks``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kinerja.core.api import COMMON_ERRORS, Paging, Text, bad_input, paginate
from kinerja.core.models import AuditRecord, Channel

from .selectors import audit_records_visible_to, day_start
from .tasks import KINDS, Task, tasks_for

router = Router(tags=["audit"])


class AuditRecordOut(Schema):
    seq: int
    at: str = Field(..., description="ISO 8601 with the region's UTC offset.")
    actor: str = Field(..., description="Username of the actor, or the console/system label.")
    channel: Channel
    action: str
    object_type: str
    object_id: str
    object_repr: str
    agency: str | None
    before: Any = None
    after: Any = None
    note: str
    hash: str
    prev_hash: str


def _audit_row(rec: AuditRecord) -> dict[str, Any]:
    return {
        "seq": rec.seq,
        "at": timezone.localtime(rec.at).isoformat(),
        "actor": rec.actor_label,
        "channel": rec.channel,
        "action": rec.action,
        "object_type": rec.object_type,
        "object_id": rec.object_id,
        "object_repr": rec.object_repr,
        "agency": rec.agency_code or None,
        "before": rec.before,
        "after": rec.after,
        "note": rec.note,
        "hash": rec.hash,
        "prev_hash": rec.prev_hash,
    }


class AuditFilters(Schema):
    object_type: Text | None = Field(None, description="e.g. organizations.employee")
    object_id: Text | None = Field(None, description="e.g. a NIP or a code")
    actor: Text | None = Field(None, description="Username or label of the actor")
    channel: Channel | None = None
    agency: Text | None = Field(None, description="Agency code")
    since: date | None = Field(None, description="First day (YYYY-MM-DD, WIB), inclusive.")
    until: date | None = Field(None, description="Last day (YYYY-MM-DD, WIB), inclusive.")


@router.get(
    "/audit",
    response={200: list[AuditRecordOut], **COMMON_ERRORS},
    summary="The audit trail (Admin BKPSDM and Auditor only)",
)
def audit_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[AuditFilters],
):
    """Every recorded change, newest first. ``since`` and ``until`` are days in the region's
    time zone, both inclusive."""
    try:
        records = audit_records_visible_to(request.auth).order_by("-seq")
    except PermissionDenied:
        raise HttpError(
            403, _("Only regional administrators and auditors may read the audit trail.")
        ) from None
    f = filters
    if f.since and f.until and f.until < f.since:
        raise bad_input("until", _("The last day is before the first day."))
    exact = {
        "object_type": f.object_type,
        "object_id": f.object_id,
        "actor_label__iexact": f.actor,
        "channel": f.channel,
        "agency_code": f.agency,
    }
    records = records.filter(**{key: value for key, value in exact.items() if value})
    if f.since:
        records = records.filter(at__gte=day_start(f.since))
    if f.until:
        records = records.filter(at__lt=day_start(f.until + timedelta(days=1)))
    return paginate(request, response, records, paging, _audit_row)


# --- The worklist -------------------------------------------------------------------------------

TaskKind = Literal[
    "plan_submit", "plan_approve", "realisation_verify", "period_rate", "objection_explain",
    "objection_decide", "development_action", "agreement_agree", "feedback_reply", "coaching",
]  # fmt: skip
KIND_HELP = "; ".join(f"`{kind}`: {meaning}" for kind, meaning in KINDS.items())


class TaskOut(Schema):
    kind: TaskKind = Field(..., description=f"What the task asks. {KIND_HELP}")
    title: str
    due: date | None = Field(..., description="Due date (YYYY-MM-DD), or null when none.")
    url: str = Field(..., description="Path of the page where the task is done.")
    object_id: str = Field(..., description="The object the task is on (read with `kind`).")


class TasksOut(Schema):
    items: list[TaskOut]
    count: int


def _task_row(item: Task) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": item.title,
        "due": item.due,
        "url": item.url,
        "object_id": item.object_id,
    }


@router.get(
    "/me/tasks",
    response={200: TasksOut, **COMMON_ERRORS},
    summary="My tasks (the worklist)",
    tags=["accounts"],
)
def my_tasks(request: HttpRequest):
    """Every pending action of the caller, from every part of Kinerja: overdue first, then by
    due date (those without one last), then by title. Each item links to the page where it is
    done; only what the caller may really do is listed."""
    items = tasks_for(request.auth)
    return {"items": [_task_row(item) for item in items], "count": len(items)}
