"""Operations on stream definitions: load a file's definitions, save one (the edit form),
derive a stream's cases again. Each runs in one transaction, checks that ``by`` may define
streams (``permissions.may_define_streams``: Admin BKPSDM, ``SYSTEM`` in commands) and writes
its own audit record; the rules of a definition live in :mod:`kinerja.streams.definitions`.

Changing a definition keeps the cases exact:

* a new **service level** (limit or unit) re-derives every case's figures from its stored
  state (``rederive_stream``) — the events are not read again;
* a new **start or end stage** changes when cases start and complete, so every case is rebuilt
  from all its events (``rebuild_cases``);
* a **removed stage** leaves the events that use it stored (events are never changed); new
  events of that stage are refused from then on. If it was the start or end stage, that is a
  change of start or end as above.

The definition and the cases change in the same transaction, so nobody reads the new rule with
the old figures. A stream that a file does not mention is left alone, never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor

from .. import permissions
from ..definitions import StreamDefinition, limit_text
from ..ingest import catch_up, rebuild_cases, rederive_stream
from ..models import Case, Event, Stream

REBUILD_KEYS = 5000  # case keys per rebuild step: bounds the events held in memory


# --- Stream definitions --------------------------------------------------------------------------


@dataclass
class StreamChange:
    """What loading one definition did (or, in a dry run, would do)."""

    code: str
    action: str  # "create" | "update" | "unchanged"
    before: dict[str, Any] | None = None  # the changed fields only
    after: dict[str, Any] | None = None
    sla_changed: bool = False
    ends_changed: bool = False  # the start or the end stage
    #: stages no longer in the definition, with the number of stored events that use them
    removed_stages_in_use: dict[str, int] = field(default_factory=dict)
    cases_rederived: int = 0
    cases_rebuilt: int = 0
    cases: int = 0  # the stream's cases (what a dry run would re-derive or rebuild)


def stream_snapshot(stream: Stream) -> dict[str, Any]:
    """The definition of a stored stream, in the file's terms (for the audit trail)."""
    return {
        "name": stream.name,
        "agency": stream.agency.code,
        "stages": list(stream.stages),
        "start": stream.start_stage,
        "end": stream.end_stage,
        "sla_limit": limit_text(stream.sla_limit),
        "sla_unit": stream.sla_unit,
    }


def _definition_snapshot(definition: StreamDefinition) -> dict[str, Any]:
    return {
        "name": definition.name,
        "agency": definition.agency_code,
        "stages": list(definition.stages),
        "start": definition.start,
        "end": definition.end,
        "sla_limit": limit_text(definition.sla_limit),
        "sla_unit": definition.sla_unit,
    }


def _require_may_define(by: Actor) -> None:
    permissions.require(
        permissions.may_define_streams(by),
        _("Only a regional administrator may define streams."),
    )


def streams_load(
    *, definitions: Sequence[StreamDefinition], by: Actor, dry_run: bool = False
) -> list[StreamChange]:
    """Create or update the streams of checked definitions (``definitions.check_file``), all
    in one transaction. The same definitions twice change nothing and record nothing. With
    ``dry_run`` nothing is written; the changes say what would happen."""
    _require_may_define(by)
    with transaction.atomic():
        changes = [_apply(definition, dry_run=dry_run) for definition in definitions]
        if dry_run:
            transaction.set_rollback(True)
    return changes


def stream_save(*, definition: StreamDefinition, by: Actor) -> StreamChange:
    """One definition (the administrator's edit form): as ``streams_load``."""
    return streams_load(definitions=[definition], by=by)[0]


def _apply(definition: StreamDefinition, *, dry_run: bool) -> StreamChange:
    stream = (
        Stream.objects.select_for_update()
        .select_related("agency")
        .filter(code=definition.code)
        .first()
    )
    after = _definition_snapshot(definition)
    if stream is None:
        change = StreamChange(definition.code, "create", None, after)
        if not dry_run:
            stream = Stream(code=definition.code)
            _assign(stream, definition)
            stream.full_clean()
            stream.save()
            audit.record("create", stream, after={"code": stream.code, **after})
        return change

    before, changed = audit.changed(stream_snapshot(stream), after)
    if not changed:
        return StreamChange(definition.code, "unchanged")
    change = StreamChange(
        definition.code,
        "update",
        before,
        changed,
        sla_changed=bool({"sla_limit", "sla_unit"} & set(changed)),
        ends_changed=bool({"start", "end"} & set(changed)),
    )
    removed = [s for s in stream.stages if s not in definition.stages]
    if removed:
        change.removed_stages_in_use = dict(
            Event.objects.filter(stream=stream, stage__in=removed)
            .values_list("stage")
            .annotate(n=Count("pk"))
            .values_list("stage", "n")
        )
    if dry_run:
        if change.sla_changed or change.ends_changed:
            change.cases = Case.objects.filter(stream=stream).count()
        return change

    _assign(stream, definition)
    stream.full_clean()
    stream.save()
    if change.ends_changed:
        change.cases_rebuilt = _rebuild_all(stream)
    elif change.sla_changed:
        catch_up(stream)
        change.cases_rederived = rederive_stream(stream)
    audit.record("update", stream, before=before, after=changed, note=_note(change))
    return change


def _assign(stream: Stream, definition: StreamDefinition) -> None:
    stream.name = definition.name
    stream.agency_id = definition.agency_id
    stream.stages = list(definition.stages)
    stream.start_stage = definition.start
    stream.end_stage = definition.end
    stream.sla_limit = definition.sla_limit
    stream.sla_unit = definition.sla_unit


def _rebuild_all(stream: Stream) -> int:
    """Every case of the stream derived again from all its events, with the new rule."""
    catch_up(stream)
    stream.refresh_from_db(fields=["cases_through_pk", "last_event_pk"])
    keys = list(
        Case.objects.filter(stream=stream).order_by("pk").values_list("case_key", flat=True)
    )
    done = 0
    for start in range(0, len(keys), REBUILD_KEYS):
        done += rebuild_cases(stream, keys[start : start + REBUILD_KEYS])
    return done


def _note(change: StreamChange) -> str:
    parts = []
    if change.cases_rebuilt:
        parts.append(_("%(n)d case(s) rebuilt from their events") % {"n": change.cases_rebuilt})
    elif change.cases_rederived:
        parts.append(_("%(n)d case(s) re-derived") % {"n": change.cases_rederived})
    for stage, n in sorted(change.removed_stages_in_use.items()):
        parts.append(
            _("removed stage %(stage)s is used by %(n)d stored event(s)") % {"stage": stage, "n": n}
        )
    return "; ".join(parts)


def stream_rederive(*, stream: Stream, by: Actor, rebuild: bool = False) -> int:
    """Bring the stream's cases up to date, then derive them again: their figures from their
    stored state, or (``rebuild``) every case from all its events. For a change of the
    working calendar, or a repair."""
    _require_may_define(by)
    with transaction.atomic():
        if rebuild:
            return _rebuild_all(stream)
        catch_up(stream)
        return rederive_stream(stream)
