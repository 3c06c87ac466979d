"""The verification of a value the employee typed in (an IKI realisation), as an
organisation's realisation is verified (``strategy.RealisationState``): it counts in
achievement only once the plan's rater verified it; returned, it carries the rater's note."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IkiRealisationState(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned for correction")


class Verification(models.Model):
    """The verification fields of :class:`kinerja.skp.models.IkiRealisation` (abstract)."""

    state = models.CharField(
        _("state"),
        max_length=10,
        choices=IkiRealisationState.choices,
        default=IkiRealisationState.SUBMITTED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        abstract = True
