"""Organisational performance (SAKIP side, domain.md §2): the region's vision and missions,
each agency's goals, strategic targets and indicators, the yearly performance agreement with
its targets, and the monthly realisations with their evidence.

Scoped data has one door per model: ``visible_to(user)`` and ``editable_by(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.models import Agency, Position, Region, Unit
from kinerja.organizations.scope import scope_for

if TYPE_CHECKING:
    from kinerja.core.actors import Actor

indicator_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{0,39}$",
    _("Use capital letters, digits, '.', '_' or '-' (for example IKU-01)."),
)
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
#: A model scoped by its agency (see :class:`AgencyScopedQuerySet`).
_Scoped = TypeVar("_Scoped", bound=models.Model)


def _visible_agencies(user: Actor | None) -> Q | None:
    """``None``: every agency; otherwise a filter on the agencies this person may read."""
    scope = scope_for(user)
    if scope.region_read:
        return None
    return Q(pk__in=scope.agencies_seen)


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Actor | None) -> PlanQuerySet:
        """The region's plan is public inside the application: everyone signed in reads it."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()


class Plan(models.Model):
    """The region's medium-term plan (RPJMD): a five-year period with its vision."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(
        _("title"), max_length=200, help_text=_("e.g. RPJMD Kota Palembang 2024–2029")
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    vision = models.TextField(
        _("vision"), help_text=_("e.g. Palembang Emas Darussalam: maju, sejahtera, berkelanjutan")
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("regional plan")
        constraints = [
            models.UniqueConstraint(fields=["region", "start_year"], name="one_plan_per_start"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_key(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Mission(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="missions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(
        _("mission"), help_text=_("e.g. Meningkatkan kualitas pelayanan publik")
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("mission")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_mission_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def audit_key(self) -> str:
        return f"{self.plan.start_year}/M{self.number}"


class AgencyScopedQuerySet(models.QuerySet[_Scoped]):
    """Goals, strategic targets and indicators: read by the agency's people and the region's
    readers; changed by the agency's Pengelola Kinerja and Admin BKPSDM."""

    agency_path = "agency"

    def visible_to(self, user: Actor | None) -> Self:
        condition = _visible_agencies(user)
        if condition is None:
            return self.all()
        scope = scope_for(user)
        return self.filter(**{f"{self.agency_path}_id__in": scope.agencies_seen})

    def editable_by(self, user: Actor | None) -> Self:
        scope = scope_for(user)
        if scope.region_write:
            return self.all()
        return self.filter(**{f"{self.agency_path}_id__in": scope.agencies_managed})


class Goal(models.Model):
    """A goal (tujuan) of an agency, serving one of the region's missions."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="goals")
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="goals")
    code = models.CharField(
        _("code"), max_length=40, validators=[indicator_code_validator], help_text=_("e.g. T1")
    )
    text = models.TextField(
        _("goal"), help_text=_("e.g. Meningkatnya derajat kesehatan masyarakat")
    )

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = _("goal")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_goal_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def audit_key(self) -> str:
        return f"{self.agency.code}/{self.code}"

    def audit_agency_code(self) -> str:
        return self.agency.code


class StrategicTarget(models.Model):
    """A strategic target (sasaran) under a goal."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="strategic_targets")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    code = models.CharField(
        _("code"), max_length=40, validators=[indicator_code_validator], help_text=_("e.g. S1.1")
    )
    text = models.TextField(
        _("strategic target"),
        help_text=_("e.g. Meningkatnya mutu pelayanan kegawatdaruratan"),
    )

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = _("strategic target")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unique_strategic_target_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def audit_key(self) -> str:
        return f"{self.agency.code}/{self.code}"

    def audit_agency_code(self) -> str:
        return self.agency.code


class Polarity(models.TextChoices):
    HIGHER = "higher_is_better", _("higher is better")
    LOWER = "lower_is_better", _("lower is better")
    RANGE = "range", _("target range")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum of the months")
    AVERAGE = "average", _("average of the months")
    LAST = "last", _("last value")


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class DataSource(models.TextChoices):
    MANUAL = "manual", _("entered by hand, with evidence")
    FORMULA = "formula", _("formula over other indicators")
    STREAM = "stream", _("a service-data stream metric")


class LowerFormula(models.TextChoices):
    STANDARD = "standard", _("(2 − R/T) × 100")
    INVERSE = "inverse", _("T/R × 100")


class RangeAbove(models.TextChoices):
    PENALIZE = "penalize", _("above the range counts as lower is better")
    FULL = "full", _("above the range still counts 100 %")


class Indicator(models.Model):
    """A performance indicator (IKU) of an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="indicators")
    strategic_target = models.ForeignKey(
        StrategicTarget,
        verbose_name=_("strategic target"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[indicator_code_validator],
        help_text=_("Unique in the agency, e.g. IKU-01"),
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("e.g. Rata-rata waktu penerbitan KTP-el"),
    )
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=40, help_text=_("e.g. jam, menit, %, orang")
    )
    polarity = models.CharField(_("polarity"), max_length=20, choices=Polarity.choices)
    aggregation = models.CharField(
        _("how months combine"), max_length=10, choices=Aggregation.choices
    )
    period_type = models.CharField(
        _("reporting period"), max_length=10, choices=PeriodType.choices, default="monthly"
    )
    data_source = models.CharField(
        _("data source"), max_length=10, choices=DataSource.choices, default="manual"
    )
    lower_formula = models.CharField(
        _("lower-is-better formula"),
        max_length=10,
        choices=LowerFormula.choices,
        default=LowerFormula.STANDARD,
    )
    range_above = models.CharField(
        _("above the range"), max_length=10, choices=RangeAbove.choices, default="penalize"
    )
    formula = models.CharField(
        _("formula"),
        max_length=500,
        blank=True,
        help_text=_("For formula indicators, e.g. {IKU-01} / {IKU-02} * 100"),
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    owner_position = models.ForeignKey(
        Position,
        verbose_name=_("owning position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Its holder enters the realisations; the holder's rater verifies them"),
    )
    active = models.BooleanField(_("active"), default=True)
    # For the data source "stream": which stream metric fills the realisation (streams app).
    metric_binding = models.OneToOneField(
        "streams.MetricBinding",
        verbose_name=_("stream metric"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def audit_key(self) -> str:
        return f"{self.agency.code}/{self.code}"

    def audit_agency_code(self) -> str:
        return self.agency.code

    @property
    def is_range(self) -> bool:
        return self.polarity == Polarity.RANGE


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the head")
    AGREED = "agreed", _("agreed")
    RETURNED = "returned", _("returned")


class AgreementQuerySet(AgencyScopedQuerySet["PerformanceAgreement"]):
    pass


class PerformanceAgreement(models.Model):
    """The yearly performance agreement (Perjanjian Kinerja) of an agency: its indicators'
    targets, drafted by the Pengelola Kinerja and agreed by the agency head."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    state = models.CharField(
        _("state"), max_length=10, choices=AgreementState.choices, default="draft"
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-year"]
        verbose_name = _("performance agreement")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_agreement_per_year")
        ]

    def __str__(self) -> str:
        return f"PK {self.agency.code} {self.year}"

    @property
    def audit_key(self) -> str:
        return f"{self.agency.code}/{self.year}"

    def audit_agency_code(self) -> str:
        return self.agency.code

    @property
    def editable(self) -> bool:
        return self.state in {AgreementState.DRAFT, AgreementState.RETURNED}


class AgreementEvent(models.Model):
    """One step of an agreement's history, with the targets as they stood."""

    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=10, choices=AgreementState.choices)
    to_state = models.CharField(max_length=10, choices=AgreementState.choices)
    note = models.TextField(blank=True)
    targets = models.JSONField(default=dict)

    class Meta:
        ordering = ["agreement", "at", "pk"]
        verbose_name = _("agreement step")

    def __str__(self) -> str:
        return f"{self.agreement}: {self.from_state} → {self.to_state}"


class IndicatorTarget(models.Model):
    """The yearly target of an indicator, and its quarterly (TW I–IV) targets.

    For a range indicator ``low``/``high`` hold the range; otherwise ``value``. Quarterly
    targets are the target of that quarter alone, compared with the quarter's combined
    realisation."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    low = models.DecimalField(
        _("lower bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        _("upper bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class QuarterTarget(models.Model):
    target = models.ForeignKey(IndicatorTarget, on_delete=models.CASCADE, related_name="quarters")
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    low = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["target", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["target", "quarter"], name="one_target_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.target} TW{self.quarter}"


class RealisationState(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned for correction")


class RealisationQuerySet(models.QuerySet["Realisation"]):
    def visible_to(self, user: Actor | None) -> RealisationQuerySet:
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(indicator__agency_id__in=scope.agencies_seen)

    def current(self) -> RealisationQuerySet:
        return self.filter(superseded_at__isnull=True)


class Realisation(models.Model):
    """A measured value of an indicator for one month, with what helped and what hindered.

    A correction never overwrites: it supersedes the current value with a new one, so the
    history of every period is kept."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="realisations")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value = models.DecimalField(_("realisation"), max_digits=20, decimal_places=4)
    note = models.TextField(
        _("note"), blank=True, help_text=_("e.g. counted from the queue system's daily report")
    )
    supporting = models.TextField(
        _("what helped"), blank=True, help_text=_("e.g. a second printer at the counter")
    )
    hindering = models.TextField(
        _("what hindered"), blank=True, help_text=_("e.g. the blanko stock ran out for a week")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RealisationState.choices, default="submitted"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = RealisationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "month", "-entered_at"]
        verbose_name = _("realisation")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_realisation_per_month",
            )
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="realisation_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d}: {self.value}"

    @property
    def audit_key(self) -> str:
        return f"{self.indicator.agency.code}/{self.indicator.code}/{self.year}-{self.month:02d}"

    def audit_agency_code(self) -> str:
        return self.indicator.agency.code


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, user: Actor | None) -> EvidenceQuerySet:
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(indicator__agency_id__in=scope.agencies_seen)


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name says nothing about the content; the original name is kept in a field.
    return f"evidence/{instance.indicator.agency_id}/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """A supporting document (bukti dukung) for an indicator's month, kept across corrections."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="evidence")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("e.g. Rekap loket Oktober")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "month", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_key(self) -> str:
        period = f"{self.year}-{self.month:02d}"
        return f"{self.indicator.agency.code}/{self.indicator.code}/{period}/{self.sha256[:12]}"

    def audit_agency_code(self) -> str:
        return self.indicator.agency.code
