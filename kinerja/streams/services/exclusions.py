"""Operations on excluded cases: leave a case out of the metrics with a reason, and count it
again. Admin BKPSDM and the Pengelola Kinerja of the stream's agency
(``permissions.may_manage_stream``); each in one transaction, with its audit record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of

from .. import permissions
from ..ingest import catch_up
from ..models import Case, CaseExclusion, Stream

MAX_CASE_KEY = 128
MAX_REASON = 300


def _require_may_manage(by: Actor, stream: Stream) -> None:
    permissions.require(
        permissions.may_manage_stream(by, stream),
        _("You may not exclude cases of stream %(code)s.") % {"code": stream.code},
    )


@transaction.atomic
def exclusion_add(*, stream: Stream, case_key: str, reason: str, by: Actor) -> CaseExclusion:
    """Leave a case out of the metrics, with a reason: it then counts only in
    ``excluded_cases``. The case must exist (it has at least one event)."""
    _require_may_manage(by, stream)
    case_key = (case_key or "").strip()
    reason = " ".join((reason or "").split())
    errors = {}
    if not case_key:
        errors["case_key"] = _("Give the case, e.g. KTP-2026-000123.")
    elif len(case_key) > MAX_CASE_KEY:
        errors["case_key"] = _("At most %(n)d characters.") % {"n": MAX_CASE_KEY}
    if not reason:
        errors["reason"] = _("Give the reason, e.g. the printer was out of order all day.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("At most %(n)d characters.") % {"n": MAX_REASON}
    if errors:
        raise ValidationError(errors)
    catch_up(stream)  # a case whose events just arrived exists only after the catch-up
    case = Case.objects.select_for_update().filter(stream=stream, case_key=case_key).first()
    if case is None:
        raise ValidationError(
            {
                "case_key": _("Stream %(stream)s has no case %(case)s.")
                % {"stream": stream.code, "case": case_key}
            }
        )
    if CaseExclusion.objects.filter(stream=stream, case_key=case_key, ended_at=None).exists():
        raise ValidationError(
            {"case_key": _("Case %(case)s is excluded already.") % {"case": case_key}}
        )
    try:
        with transaction.atomic():
            exclusion = CaseExclusion.objects.create(
                stream=stream, case_key=case_key, reason=reason, created_by=user_of(by)
            )
    except IntegrityError:  # excluded at the same moment by someone else
        raise ValidationError(
            {"case_key": _("Case %(case)s is excluded already.") % {"case": case_key}}
        ) from None
    Case.objects.filter(pk=case.pk).update(excluded=True)
    audit.record("create", exclusion, after={"case": case_key, "reason": reason})
    return exclusion


@transaction.atomic
def exclusion_end(*, exclusion: CaseExclusion, by: Actor) -> CaseExclusion:
    """Count the case in the metrics again (a case has at most one active exclusion)."""
    exclusion = (
        CaseExclusion.objects.select_for_update()
        .select_related("stream__agency")
        .get(pk=exclusion.pk)
    )
    _require_may_manage(by, exclusion.stream)
    if exclusion.ended_at is not None:
        raise ValidationError(
            _("The exclusion of case %(case)s has ended already.") % {"case": exclusion.case_key}
        )
    exclusion.ended_at = timezone.now()
    exclusion.ended_by = user_of(by)
    exclusion.save(update_fields=["ended_at", "ended_by"])
    Case.objects.filter(stream=exclusion.stream, case_key=exclusion.case_key).update(excluded=False)
    audit.record(
        "end",
        exclusion,
        before={"case": exclusion.case_key, "reason": exclusion.reason},
        after={"ended_at": exclusion.ended_at},
    )
    return exclusion
