"""The agency's rhythm of periodic evaluation (monthly, quarterly or per semester), set from a
year on. Reading it is the plan's (:func:`kinerja.skp.rhythm.rhythm_of`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.organizations.models import Agency
from kinerja.skp.rhythm import Rhythm, rhythm_of

from .. import permissions
from ..models import AgencyRhythm


@transaction.atomic
def rhythm_set(*, agency: Agency, year: int, rhythm: str, by: Actor) -> AgencyRhythm:
    permissions.require(
        permissions.may_set_rhythm(by, agency),
        _("Only the agency's head or performance administrator sets the rhythm."),
    )
    if rhythm not in Rhythm.values:
        raise ValidationError({"rhythm": _("Choose monthly, quarterly or per semester.")})
    before = rhythm_of(agency, year)
    row, _created = AgencyRhythm.objects.update_or_create(
        agency=agency, valid_from=year, defaults={"rhythm": rhythm}
    )
    if before != rhythm:
        audit.record("update", row, before={"rhythm": before}, after={"rhythm": rhythm})
    return row
