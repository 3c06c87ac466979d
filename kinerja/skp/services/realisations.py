"""Through the year: what an indicator reached in a period — entered by the employee (or the
administrator), verified by the plan's rater — and the evidence for it. Only a verified value
counts in achievement (:mod:`kinerja.skp.selectors`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.core.periods import ALL_KINDS, PeriodError, parse_period
from kinerja.core.texts import Text
from kinerja.strategy.evidence_files import EvidenceFileError, check_evidence_file

from .. import permissions
from ..models import Iki, IkiRealisation, Skp, SkpEvidence, SkpState
from ..signals import realisation_counted, send_after_commit
from ..verification import IkiRealisationState
from .common import clean_text, users_of

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
    """What an indicator reached in a period, entered by the employee (or the administrator).
    A new or changed value waits for the rater's verification (a returned value sent again
    goes back to the rater); one entered by the plan's rater himself is verified at once."""
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
    before = _snapshot(current) if current else None
    if (
        current is not None
        and (current.value, current.note) == (number, note)
        and current.state != IkiRealisationState.RETURNED
    ):
        return current  # sent twice; a returned value sent again goes back to the rater
    by_rater = permissions.rates_plan(by, skp)
    realisation, _created = IkiRealisation.objects.update_or_create(
        iki=iki,
        period=period,
        defaults={
            "value": number,
            "note": note,
            "recorded_by": user_of(by),
            "state": IkiRealisationState.VERIFIED if by_rater else IkiRealisationState.SUBMITTED,
            "verified_by": user_of(by) if by_rater else None,
            "verified_at": timezone.now() if by_rater else None,
            "verification_note": "",
        },
    )
    audit.record(
        "update" if before else "create", realisation, before=before, after=_snapshot(realisation)
    )
    if by_rater:  # verified at once: it counts from now
        send_after_commit(realisation_counted, IkiRealisation, realisation=realisation)
    else:
        notify(
            users=users_of(skp.rater),
            title=Text(
                gettext_lazy("%(name)s's values await your verification"), name=skp.employee.name
            ),
            link=f"/skp/{skp.pk}/realisasi/",
            once_unread=True,
        )
    return realisation


def _snapshot(realisation: IkiRealisation) -> dict[str, object]:
    return {
        "value": audit.to_json(realisation.value),
        "note": realisation.note,
        "state": realisation.state,
    }


@transaction.atomic
def realisation_verify(
    *, realisation: IkiRealisation, by: Actor, accept: bool, note: str = ""
) -> IkiRealisation:
    """The plan's rater accepts the value, so that it counts, or returns it with a reason;
    the employee is told of a returned value."""
    realisation = (
        IkiRealisation.objects.select_for_update(of=("self",))
        .select_related("iki__rhk__skp__employee")
        .get(pk=realisation.pk)
    )
    skp = realisation.iki.rhk.skp
    permissions.require(
        permissions.rates_plan(by, skp), _("Only the plan's rater verifies its realisations.")
    )
    if realisation.state != IkiRealisationState.SUBMITTED:
        raise ValidationError(
            _("This value is %(state)s already.") % {"state": realisation.get_state_display()}
        )
    if not accept and not (note or "").strip():
        raise ValidationError({"note": _("Say what needs correcting.")})
    note = clean_text(note, "note", required=False)
    realisation.state = IkiRealisationState.VERIFIED if accept else IkiRealisationState.RETURNED
    realisation.verified_by, realisation.verified_at = user_of(by), timezone.now()
    realisation.verification_note = note
    realisation.save(update_fields=["state", "verified_by", "verified_at", "verification_note"])
    audit.record(
        "verify" if accept else "return",
        realisation,
        before={"state": IkiRealisationState.SUBMITTED},
        after={"state": realisation.state},
        note=note,
    )
    if accept:
        send_after_commit(realisation_counted, IkiRealisation, realisation=realisation)
    else:
        notify(
            users=users_of(skp.employee),
            title=Text(
                gettext_lazy("Your realisation of %(period)s was returned"),
                period=realisation.period,
            ),
            body=note[:300],
            link=f"/skp/{skp.pk}/realisasi/",
        )
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
