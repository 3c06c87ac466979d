"""Through the year: what an indicator reached in a period, and the evidence for it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.core.periods import ALL_KINDS, PeriodError, parse_period
from kinerja.strategy.evidence_files import EvidenceFileError, check_evidence_file

from .. import permissions
from ..models import Iki, IkiRealisation, Skp, SkpEvidence, SkpState
from .common import clean_text

LIVE_STATES = {SkpState.APPROVED, SkpState.EVALUATING, SkpState.RATED}


def _check_realisation_period(skp: Skp, period: str) -> str:
    try:
        parsed = parse_period(period, kinds=ALL_KINDS)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if parsed.year != skp.year:
        raise ValidationError({"period": _("The plan is for %(year)s.") % {"year": skp.year}})
    if parsed.start > timezone.localdate():
        raise ValidationError({"period": _("This period has not begun yet.")})
    return str(parsed)


@transaction.atomic
def realisation_record(
    *, iki: Iki, period: str, value: object, note: str = "", by: Actor
) -> IkiRealisation:
    """What an indicator reached in a period, entered by the employee (or the administrator)."""
    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_report(by, skp), _("You may not report on this plan."))
    if skp.state not in LIVE_STATES:
        raise ValidationError({"state": _("Realisations are entered once the plan is approved.")})
    if iki.binding_id is not None:
        raise ValidationError({"value": _("This indicator fills itself from service data.")})
    period = _check_realisation_period(skp, period)
    try:
        number = to_decimal(value)
    except NumberError as exc:
        raise ValidationError({"value": str(exc)}) from None
    note = clean_text(note, "note", required=False)
    current = IkiRealisation.objects.filter(iki=iki, period=period).first()
    before = {"value": audit.to_json(current.value), "note": current.note} if current else None
    realisation, _created = IkiRealisation.objects.update_or_create(
        iki=iki, period=period, defaults={"value": number, "note": note, "recorded_by": user_of(by)}
    )
    after = {"value": audit.to_json(realisation.value), "note": note}
    if before != after:
        audit.record("update" if before else "create", realisation, before=before, after=after)
    return realisation


@transaction.atomic
def evidence_add(
    *, iki: Iki, period: str, upload: UploadedFile, description: str = "", by: Actor
) -> SkpEvidence:
    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_report(by, skp), _("You may not report on this plan."))
    if skp.state not in LIVE_STATES:
        raise ValidationError({"state": _("Evidence is added once the plan is approved.")})
    period = _check_realisation_period(skp, period)
    try:
        checked = check_evidence_file(upload)
    except EvidenceFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    evidence = SkpEvidence(
        skp=skp, iki=iki, period=period, original_name=(upload.name or "bukti")[-200:],
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        description=clean_text(description, "description", required=False, limit=200),
        uploaded_by=user_of(by),
    )  # fmt: skip
    evidence.file.save(checked.sha256, upload, save=False)
    evidence.save()
    audit.record(
        "create",
        evidence,
        after={"file": evidence.original_name, "sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence
