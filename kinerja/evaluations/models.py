"""Evaluation of individual performance (domain.md §3.1–3.3): continuous feedback,
self-assessment, periodic and annual ratings with their predicate, the organisation predicate
and the distribution curve, objections, development plans and credit points.

The rules are year-versioned tables (architecture.md rule 3) loaded by migration; the
functions that read them live in :mod:`.rules`.

Scoped data has one door per model; everything belonging to a plan is reached through
``Skp.objects.visible_to(user)``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.organizations.models import Employee, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import BehaviourValue, Rhk, Skp

from .rule_models import (  # the rules and their choices, in their own module
    PREDICATE_ORDER,
    AgencyRhythm,
    CreditCoefficient,
    CreditPercent,
    CreditRequirement,
    CurveCheck,
    CurveMajority,
    CurveRule,
    EvaluationSetting,
    OrgPredicate,
    Predicate,
    QuadrantCell,
    Rating,
)

if TYPE_CHECKING:
    from kinerja.core.actors import Actor


# --- Feedback and self-assessment ------------------------------------------------------------


class FeedbackTag(models.TextChoices):
    APPRECIATION = "appreciation", _("appreciation")
    IMPROVEMENT = "improvement", _("improvement")


class FeedbackRole(models.TextChoices):
    RATER = "rater", _("rater")
    PEER = "peer", _("peer")
    SUBORDINATE = "subordinate", _("subordinate")
    EMPLOYEE = "employee", _("the employee")
    OTHER = "other", _("other leader")


class Feedback(models.Model):
    """A message in the continuous feedback on a result or a core value; a reply points to
    the message it answers."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="feedback")
    rhk = models.ForeignKey(
        Rhk, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    value = models.ForeignKey(
        BehaviourValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=12, choices=FeedbackRole.choices)
    tag = models.CharField(_("kind"), max_length=12, choices=FeedbackTag.choices, blank=True)
    text = models.TextField(
        _("feedback"), help_text=_("e.g. Antrean pagi lebih tertib sejak nomor antrean daring")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback")

    def __str__(self) -> str:
        return self.text[:80]

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


class SelfAssessment(models.Model):
    """The employee's own account of a period, written before the rating."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="self_assessments")
    period = models.CharField(_("period"), max_length=8)
    results_rating = models.CharField(
        _("my results"), max_length=5, choices=Rating.choices, blank=True
    )
    behaviour_rating = models.CharField(
        _("my behaviour"), max_length=5, choices=Rating.choices, blank=True
    )
    text = models.TextField(
        _("self-assessment"),
        help_text=_("e.g. Target KTP-el tercapai; saya perlu belajar verifikasi data ganda"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="unique_self_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.skp_id} {self.period}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


# --- Ratings -----------------------------------------------------------------------------------


class EvaluationState(models.TextChoices):
    RATED = "rated", _("rated")
    OBJECTED = "objected", _("under objection")
    FINAL = "final", _("final")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, user: Actor | None) -> EvaluationQuerySet:
        return self.filter(skp__in=Skp.objects.visible_to(user).values("pk"))


class Evaluation(models.Model):
    """A periodic (``2026-Q1``, ``2026-03``, ``2026-S1``) or annual (``2026``) rating.

    Both the rater's results rating and the suggested one (with the numbers it came from) are
    kept; the predicate follows from the quadrant of the year."""

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="evaluations")
    period = models.CharField(_("period"), max_length=8)
    annual = models.BooleanField(default=False)
    results_rating = models.CharField(_("results"), max_length=5, choices=Rating.choices)
    behaviour_rating = models.CharField(_("behaviour"), max_length=5, choices=Rating.choices)
    suggested_results = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    suggestion = models.JSONField(default=dict, blank=True)
    predicate = models.CharField(_("predicate"), max_length=20, choices=Predicate.choices)
    note = models.TextField(_("note to the employee"), blank=True)
    state = models.CharField(
        max_length=10, choices=EvaluationState.choices, default=EvaluationState.RATED
    )
    #: the rater; empty when the head of region rated (a JPT), recorded by an administrator
    rated_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: who recorded the rating (the rater's account, or the administrator for the head of region)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()
    #: when the employee received the predicate: the objection period starts here
    delivered_at = models.DateTimeField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=12)
    credit_points = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["skp", "period"]
        verbose_name = _("evaluation")
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="unique_evaluation_period")
        ]

    def __str__(self) -> str:
        return f"{self.skp} {self.period}: {self.predicate}"

    @property
    def audit_key(self) -> str:
        return f"{self.skp.audit_key}/{self.period}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code

    @property
    def period_label(self) -> str:
        """How people write the period: 'TW I 2026', 'Semester II 2026', '03/2026', '2026'."""
        return parse_period(self.period, kinds=ALL_KINDS).label


class EvaluationCorrection(models.Model):
    """A correction of a recorded rating, on record: the ratings, predicate and credit points
    before and after, the reason, who corrected (the rater, or the rater's superior after the
    period's deadline; empty for the head of region) and who recorded it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="corrections")
    #: {"results", "behaviour", "predicate", "credit_points"} before and after
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["evaluation", "at", "pk"]
        verbose_name = _("correction of a rating")

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.at:%Y-%m-%d}"


class OrgEvaluationQuerySet(models.QuerySet["OrgEvaluation"]):
    def visible_to(self, user: Actor | None) -> OrgEvaluationQuerySet:
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(unit__agency_id__in=scope.agencies_seen)


class OrgEvaluation(models.Model):
    """A unit's organisation predicate for a period, set by the leader above it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="org_evaluations")
    period = models.CharField(_("period"), max_length=8)
    predicate = models.CharField(_("predicate"), max_length=20, choices=OrgPredicate.choices)
    reason = models.TextField(
        _("basis"), blank=True, help_text=_("e.g. Capaian PK TW I 96 %, rencana aksi 11 dari 12")
    )
    set_by = models.ForeignKey(Employee, null=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    objects = OrgEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unique_org_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}: {self.predicate}"

    def audit_agency_code(self) -> str:
        return self.unit.agency.code


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld (the predicate stands)")
    CHANGED = "changed", _("changed")


class ObjectionQuerySet(models.QuerySet["Objection"]):
    def visible_to(self, user: Actor | None) -> ObjectionQuerySet:
        """Seen with the evaluation objected to (through its plan)."""
        return self.filter(evaluation__in=Evaluation.objects.visible_to(user).values("pk"))


class Objection(models.Model):
    """An employee's objection (keberatan) to the annual predicate; one per evaluation."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="objection"
    )
    reason = models.TextField(
        _("reasons"), help_text=_("e.g. Realisasi Desember belum dihitung karena server gangguan")
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("e.g. Rekap loket Desember"))
    filed_at = models.DateTimeField()
    decider = models.ForeignKey(Employee, null=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=8, choices=ObjectionOutcome.choices, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    #: the head of region decides (a JPT's objection), recorded by the region's administrator
    for_region_head = models.BooleanField(default=False)
    #: who recorded the decision (the decider's account, or the administrator for the head)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The rater's explanation, asked by the decider (PP 30/2019 Ps. 59)
    explanation_requested_at = models.DateTimeField(null=True, blank=True)
    explanation_due = models.DateField(null=True, blank=True)
    explanation = models.TextField(_("the rater's explanation"), blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    explained_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")

    def __str__(self) -> str:
        """Kept in the audit trail: in the region's language, whoever files or decides."""
        with translation.override(settings.LANGUAGE_CODE):
            state = self.get_outcome_display() if self.outcome else _("pending")
            return f"{self.evaluation_id}: {state}"

    @property
    def audit_key(self) -> str:
        return self.evaluation.audit_key

    def audit_agency_code(self) -> str:
        return self.evaluation.skp.unit.agency.code

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def explanation_requested(self) -> bool:
        return self.explanation_requested_at is not None

    @property
    def explained(self) -> bool:
        return self.explained_at is not None

    def awaits_explanation(self, today: date) -> bool:
        """An explanation was asked, not given, and its due date (inclusive) not past."""
        return (
            self.explanation_requested
            and not self.explained
            and self.explanation_due is not None
            and today <= self.explanation_due
        )

    @property
    def explained_late(self) -> bool:
        return (
            self.explained_at is not None
            and self.explanation_due is not None
            and timezone.localtime(self.explained_at).date() > self.explanation_due
        )


class DevelopmentState(models.TextChoices):
    DRAFT = "draft", _("draft")
    AGREED = "agreed", _("agreed")
    CLOSED = "closed", _("followed up")


class DevelopmentPlanQuerySet(models.QuerySet["DevelopmentPlan"]):
    def visible_to(self, user: Actor | None) -> DevelopmentPlanQuerySet:
        return self.filter(skp__in=Skp.objects.visible_to(user).values("pk"))


class DevelopmentPlan(models.Model):
    """Actions that help an employee improve, agreed by employee and rater and followed up at
    the next evaluation. Opened by a predicate below Baik, or by anyone who wants one."""

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="development_plans")
    opened_by_evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.TextField(
        _("what to develop"), help_text=_("e.g. Ketelitian verifikasi berkas kependudukan")
    )
    state = models.CharField(
        max_length=8, choices=DevelopmentState.choices, default=DevelopmentState.DRAFT
    )
    employee_agreed_at = models.DateTimeField(null=True, blank=True)
    rater_agreed_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        ordering = ["skp", "created_at"]
        verbose_name = _("development plan")

    def __str__(self) -> str:
        return self.goal[:80]

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


class ActionKind(models.TextChoices):
    TRAINING = "training", _("training (pelatihan)")
    MENTORING = "mentoring", _("mentoring")
    COACHING = "coaching", _("coaching")


class DevelopmentAction(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=10, choices=ActionKind.choices)
    description = models.TextField(
        _("action"), help_text=_("e.g. Pelatihan verifikasi dokumen kependudukan, 3 hari")
    )
    owner = models.CharField(_("owner"), max_length=200, help_text=_("e.g. Kepala Seksi Pelayanan"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class Reminder(models.Model):
    """A reminder already sent, so that a daily run sends each one once."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


# The credit-point ledger's tables (CreditEntry, CreditBase) live in their own module; they
# are imported here so that they belong to this app and are reached as ``models.CreditEntry``.
# Coaching when a measure slips: its table in its own module, reached as ``models.CoachingItem``.
from .coaching_models import CoachingItem, CoachingKind, CoachingState  # noqa: E402
from .ledger_models import CreditBase, CreditEntry  # noqa: E402

__all__ = [
    "PREDICATE_ORDER",
    "AgencyRhythm",
    "CoachingItem",
    "CoachingKind",
    "CoachingState",
    "CreditBase",
    "CreditCoefficient",
    "CreditEntry",
    "CreditPercent",
    "CreditRequirement",
    "CurveCheck",
    "CurveMajority",
    "CurveRule",
    "EvaluationSetting",
    "OrgPredicate",
    "Predicate",
    "QuadrantCell",
    "Rating",
]

# The answers to the signals of the apps below (coaching when a measure slips), connected once
# this app's models exist: a module-level import, as the house rules want every import.
from . import receivers  # noqa: E402

receivers.connect()
