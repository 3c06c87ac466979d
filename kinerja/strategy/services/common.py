"""What the operations of organisational performance share: the model checks with their
errors keyed by field, and the refusal of those who do not manage an agency."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from kinerja.core.actors import Actor
from kinerja.organizations.models import Agency

from .. import permissions
from ..models import Goal, Indicator, StrategicTarget

#: The rows an agency numbers with codes of its own.
CodedRow = Goal | StrategicTarget | Indicator


def full_clean(instance: Model, *, unique_on: str | None = None) -> None:
    """The model's own checks (fields, uniqueness, constraints). A uniqueness rule over
    several fields is reported on ``unique_on`` (the field a person can change), not above
    the form."""
    try:
        instance.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        if unique_on is None or not hasattr(exc, "error_dict"):
            raise
        errors: dict[str, list[ValidationError]] = {}
        for key, items in exc.error_dict.items():
            for item in items:
                moved = key == NON_FIELD_ERRORS and getattr(item, "code", "") == "unique_together"
                errors.setdefault(unique_on if moved else key, []).append(item)
        raise ValidationError(errors) from None


def unique_code(model: type[CodedRow], agency: Agency, code: str, instance: CodedRow) -> None:
    clash = model.objects.filter(agency=agency, code=code)
    if instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("The code %(code)s is already used in this agency.") % {"code": code}}
        )


def require_manager(by: Actor, agency_id: int) -> None:
    """Refuse unless ``by`` manages the agency's performance data (its Pengelola Kinerja,
    Admin BKPSDM, or the installation itself)."""
    permissions.require(
        permissions.can_manage(by, agency_id),
        _("Only the agency's performance administrators may do this."),
    )
