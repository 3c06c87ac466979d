"""Coaching when a measure slips (issue 11): an item for the rater when an indicator's value of
a period falls below what meets expectation, or when a service-data alert breaches for the
cases of a unit someone heads. Imported by :mod:`.models` and reached through it.

The item keeps the data it was opened on (``data``: the indicator, period, target, value,
achievement and where the value comes from; or the alert, its threshold and values), so that
what the rater saw and what the employee is shown stay on record even when the numbers move.
Its life: ``open`` → ``feedback_sent`` | ``development_added`` | ``dismissed`` (the rater acts,
:mod:`.services.coaching_actions`) or ``resolved`` (the value came back, or the breach ended,
before anyone acted: :mod:`.services.coaching`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.skp.models import Iki, Skp
from kinerja.streams.models import AlertBreach

if TYPE_CHECKING:
    from kinerja.core.actors import Actor


class CoachingKind(models.TextChoices):
    INDICATOR = "indicator", _("an indicator below expectation")
    ALERT = "alert", _("a service-data alert")


class CoachingState(models.TextChoices):
    OPEN = "open", _("open")
    FEEDBACK_SENT = "feedback_sent", _("feedback sent")
    DEVELOPMENT_ADDED = "development_added", _("development action added")
    DISMISSED = "dismissed", _("dismissed")
    RESOLVED = "resolved", _("resolved by the data")


#: The states the employee sees: the rater reached out (never an open item, a draft).
SHOWN_TO_EMPLOYEE = (CoachingState.FEEDBACK_SENT, CoachingState.DEVELOPMENT_ADDED)


class CoachingItemQuerySet(models.QuerySet["CoachingItem"]):
    def visible_to(self, user: Actor | None) -> CoachingItemQuerySet:
        """Seen with the plan it is about (``Skp.objects.visible_to``); what each one may do
        with it is :func:`kinerja.evaluations.permissions.may_coach`."""
        return self.filter(skp__in=Skp.objects.visible_to(user).values("pk"))


class CoachingItem(models.Model):
    """One slip, for the rater of ``skp`` to answer: one per (plan, indicator, period) or
    (breach, plan) while open (the constraints)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="coaching_items")
    kind = models.CharField(max_length=10, choices=CoachingKind.choices)
    iki = models.ForeignKey(
        Iki, null=True, blank=True, on_delete=models.CASCADE, related_name="coaching_items"
    )
    breach = models.ForeignKey(
        AlertBreach, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    #: what the item was opened on (see the module's docstring), updated while it is open
    data = models.JSONField(default=dict)
    state = models.CharField(
        max_length=20, choices=CoachingState.choices, default=CoachingState.OPEN
    )
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(auto_now_add=True)
    #: who answered it, when, and with what (feedback, development action or a reason)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    feedback = models.ForeignKey(
        "evaluations.Feedback", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    development_action = models.ForeignKey(
        "evaluations.DevelopmentAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CoachingItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("coaching item")
        constraints = [
            models.UniqueConstraint(
                fields=["skp", "iki", "period"],
                condition=Q(state="open", kind="indicator"),
                name="one_open_coaching_per_indicator_period",
            ),
            models.UniqueConstraint(
                fields=["breach", "skp"],
                condition=Q(state="open", kind="alert"),
                name="one_open_coaching_per_breach",
            ),
        ]

    def __str__(self) -> str:
        # data, not words: the audit trail keeps it whatever language the writer reads
        return f"{self.period}: {self.subject}"[:200]

    @property
    def audit_key(self) -> str:
        return f"{self.skp.audit_key}/coaching/{self.pk}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code

    @property
    def period_label(self) -> str:
        return parse_period(self.period, kinds=ALL_KINDS).label

    @property
    def subject(self) -> str:
        """What slipped: the indicator, or the alert."""
        return str(self.data.get("indicator") or self.data.get("alert") or "")

    @property
    def is_open(self) -> bool:
        return self.state == CoachingState.OPEN
