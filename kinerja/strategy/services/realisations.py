"""Realisations of an indicator month by month — entered by those who manage the agency or
the holder of the owning position, verified by the owner's superior — and the evidence
files that support them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.texts import Text

from .. import permissions
from ..evidence_files import EvidenceFileError, check_evidence_file
from ..models import (
    DataSource,
    Evidence,
    Indicator,
    PeriodType,
    Realisation,
    RealisationState,
)

PERIOD_MONTHS: dict[str, set[int]] = {
    PeriodType.MONTHLY: set(range(1, 13)),
    PeriodType.QUARTERLY: {3, 6, 9, 12},
    PeriodType.YEARLY: {12},
}
REALISATION_FIELDS = ["value", "note", "supporting", "hindering", "state"]


def _check_period(indicator: Indicator, year: int, month: int) -> None:
    if month not in PERIOD_MONTHS[indicator.period_type]:
        raise ValidationError(
            {
                "period": _("This indicator reports %(kind)s; give one of the months %(months)s.")
                % {
                    "kind": indicator.get_period_type_display(),
                    "months": ", ".join(
                        f"{m:02d}" for m in sorted(PERIOD_MONTHS[indicator.period_type])
                    ),
                }
            }
        )
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError({"period": _("The period lies in the future.")})


def _check_entry(indicator: Indicator, year: int, month: int) -> None:
    if indicator.data_source != DataSource.MANUAL:
        raise ValidationError(
            _("This indicator is computed (%(source)s); its realisations are not entered.")
            % {"source": indicator.get_data_source_display()}
        )
    if not indicator.active:
        raise ValidationError(_("This indicator is no longer active."))
    _check_period(indicator, year, month)


def _store(realisation: Realisation, current: Realisation | None) -> None:
    """Supersede the month's current value (if any) by ``realisation``."""
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    try:
        with transaction.atomic():
            realisation.save()
    except IntegrityError:
        # Someone else recorded the first value of this month at the same moment.
        raise ValidationError(
            {"period": _("A value for this month was just entered by someone else; reload.")}
        ) from None


@transaction.atomic
def realisation_record(
    *,
    by: Actor,
    indicator: Indicator,
    year: int,
    month: int,
    value: Decimal,
    note: str = "",
    supporting: str = "",
    hindering: str = "",
) -> Realisation:
    """Record the value of a month. A second value for the same month is a correction: the
    earlier one is kept, marked as superseded, and the new one waits for verification. Those
    who manage the agency and the holder of the owning position may."""
    permissions.require(
        permissions.can_enter_realisation(by, indicator),
        _("You may not enter realisations of this indicator."),
    )
    _check_entry(indicator, year, month)
    note, supporting, hindering = note.strip(), supporting.strip(), hindering.strip()
    current: Realisation | None = (
        Realisation.objects.select_for_update()
        .filter(indicator=indicator, year=year, month=month, superseded_at=None)
        .first()
    )
    if (
        current is not None
        and (current.value, current.note, current.supporting, current.hindering)
        == (value, note, supporting, hindering)
        and current.state != RealisationState.RETURNED
    ):
        return current  # sent twice; a returned value sent again goes back to the verifier
    realisation = Realisation(
        indicator=indicator,
        year=year,
        month=month,
        value=value,
        note=note,
        supporting=supporting,
        hindering=hindering,
        entered_by=user_of(by),
    )
    realisation.full_clean(exclude=["entered_by"], validate_constraints=False)
    _store(realisation, current)
    audit.record(
        "create" if current is None else "correct",
        realisation,
        before=audit.snapshot(current, REALISATION_FIELDS) if current else None,
        after=audit.snapshot(realisation, REALISATION_FIELDS),
    )
    _tell_verifiers(realisation, by)
    return realisation


def _tell_verifiers(realisation: Realisation, by: Actor) -> None:
    """Those who verify the value learn that it waits (once while an earlier notice of the
    indicator's year is unread); never the person who entered it."""
    indicator = realisation.indicator
    author = user_of(by)
    verifiers = User.objects.filter(
        employee_id__in=permissions.verifiers(indicator), is_active=True
    )
    notify(
        users=verifiers.exclude(pk=author.pk) if author is not None else verifiers,
        title=Text(
            gettext_lazy("A value of %(code)s awaits your verification"), code=indicator.code
        ),
        link=f"{reverse('strategy:indicator', args=[indicator.pk])}?year={realisation.year}",
        once_unread=True,
    )


@transaction.atomic
def realisation_verify(
    *, realisation: Realisation, by: Actor, accept: bool, note: str = ""
) -> Realisation:
    """The owner's superior accepts the value, or returns it with a reason; never the one who
    entered it."""
    realisation = (
        Realisation.objects.select_for_update(of=("self",))
        .select_related("indicator__agency")
        .get(pk=realisation.pk)
    )
    permissions.require(
        permissions.can_verify(by, realisation), _("You may not verify this realisation.")
    )
    if realisation.superseded_at is not None:
        raise ValidationError(_("A newer value has been entered for this month; verify that."))
    if realisation.state != RealisationState.SUBMITTED:
        raise ValidationError(
            _("This value is %(state)s already.") % {"state": realisation.get_state_display()}
        )
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what needs correcting.")})
    realisation.state = RealisationState.VERIFIED if accept else RealisationState.RETURNED
    realisation.verified_by, realisation.verified_at = user_of(by), timezone.now()
    realisation.verification_note = note.strip()
    realisation.save()
    audit.record(
        "verify" if accept else "return",
        realisation,
        before={"state": RealisationState.SUBMITTED},
        after={"state": realisation.state},
        note=realisation.verification_note,
    )
    return realisation


@transaction.atomic
def evidence_add(
    *,
    by: Actor,
    indicator: Indicator,
    year: int,
    month: int,
    upload: File[bytes],
    description: str = "",
) -> Evidence:
    """Attach a document to an indicator's month; it stays through corrections of the value.
    Those who may enter the indicator's realisations may."""
    permissions.require(
        permissions.can_enter_realisation(by, indicator),
        _("You may not add evidence to this indicator."),
    )
    _check_period(indicator, year, month)
    try:
        checked = check_evidence_file(upload)
    except EvidenceFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    evidence = Evidence(
        indicator=indicator,
        year=year,
        month=month,
        original_name=(upload.name or "bukti")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip()[:200],
        uploaded_by=user_of(by),
    )
    evidence.file.save(checked.sha256, upload, save=False)
    evidence.save()
    audit.record(
        "create",
        evidence,
        after={
            "file": evidence.original_name,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "type": evidence.content_type,
        },
    )
    return evidence
