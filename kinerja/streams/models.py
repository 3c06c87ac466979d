"""Service data (domain.md §4, service-data-api.md): streams of events about cases.

``Event`` rows are what service applications sent, never changed. ``Case`` rows are derived
from a case's events by the rule of the contract (``cases.py``) and recomputed whenever one of
its events arrives, so that metrics read one indexed row per case and stay exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.models import Agency, Unit
from kinerja.organizations.scope import scope_for

if TYPE_CHECKING:
    from kinerja.accounts.models import ApiToken
    from kinerja.core.actors import Actor

stream_code_validator = RegexValidator(
    r"^[a-z0-9-]{2,40}$", _("2–40 small letters, digits or '-', e.g. ktp-el")
)
stage_validator = RegexValidator(
    r"^[a-z0-9_-]{1,40}$", _("1–40 small letters, digits, '_' or '-', e.g. diverifikasi")
)


class SlaUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORKING_HOURS = "working_hours", _("working hours")


SLA_UNIT_MS: dict[str, int] = {
    SlaUnit.MINUTES: 60_000,
    SlaUnit.HOURS: 3_600_000,
    SlaUnit.DAYS: 86_400_000,
    SlaUnit.WORKING_HOURS: 3_600_000,
}


class StreamQuerySet(models.QuerySet["Stream"]):
    """The doors to streams (``access.py`` tells the whole story of who sees what)."""

    def visible_to(self, user: Actor | None) -> StreamQuerySet:
        """A stream is seen by the people of its agency and the region's readers."""
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(agency_id__in=scope.agencies_seen)

    def editable_by(self, user: Actor | None) -> StreamQuerySet:
        """Definitions are changed by the region's administrator (Admin BKPSDM)."""
        scope = scope_for(user)
        return self.all() if scope.region_write else self.none()

    def managed_by(self, user: Actor | None) -> StreamQuerySet:
        """Streams whose excluded cases and alert rules ``user`` manages: Admin BKPSDM every
        one, the Pengelola Kinerja of an agency those of the agency."""
        scope = scope_for(user)
        if scope.region_write:
            return self.all()
        return self.filter(agency_id__in=scope.agencies_managed)

    def of_token(self, token: ApiToken) -> StreamQuerySet:
        """The streams a service application's token was given: it sends events to them and
        reads their metrics. A personal token has none."""
        return self.filter(tokens=token)


class Stream(models.Model):
    """A kind of service whose application reports events: the stages of its cases, which stage
    opens and which completes a case, and its service level (SLA)."""

    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[stream_code_validator]
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Penerbitan KTP-el"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="streams")
    stages = models.JSONField(
        _("stages"), help_text=_("In order, e.g. diajukan, diverifikasi, dicetak, diserahkan")
    )
    start_stage = models.CharField(_("start stage"), max_length=40)
    end_stage = models.CharField(_("end stage"), max_length=40)
    sla_limit = models.DecimalField(
        _("service level"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("e.g. 8"),
    )
    sla_unit = models.CharField(_("measured in"), max_length=16, choices=SlaUnit.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Cases follow the events asynchronously: events up to ``last_event_pk`` are stored, those
    # up to ``cases_through_pk`` are merged into cases; reading metrics first catches up.
    last_event_pk = models.BigIntegerField(default=0, editable=False)
    cases_through_pk = models.BigIntegerField(default=0, editable=False)

    objects = StreamQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("stream")
        verbose_name_plural = _("streams")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def audit_key(self) -> str:
        return self.code

    def audit_agency_code(self) -> str:
        return self.agency.code

    @property
    def sla_limit_ms(self) -> int:
        return int(self.sla_limit * SLA_UNIT_MS[self.sla_unit])


class Event(models.Model):
    """One event exactly as received (the contract's fields), plus a digest of its content to
    tell a harmless duplicate from a conflicting one."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: every index of the table starts with the stream.
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="+", db_index=False)
    event_id = models.CharField(max_length=128)
    case_key = models.CharField(max_length=128)
    stage = models.CharField(max_length=40)
    at = models.DateTimeField()
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.CharField(max_length=18, blank=True)
    attributes = models.JSONField(null=True, blank=True)
    digest = models.CharField(max_length=32)
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("event")
        constraints = [
            models.UniqueConstraint(fields=["stream", "event_id"], name="unique_event_per_stream")
        ]
        indexes = [
            models.Index(fields=["stream", "case_key"], name="event_case_idx"),
            models.Index(fields=["stream", "stage", "at"], name="event_stage_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.stage} {self.at}"


class CaseQuerySet(models.QuerySet["Case"]):
    def counted(self) -> CaseQuerySet:
        """Cases that have started: the only ones any figure counts."""
        return self.filter(started_at__isnull=False)


class Case(models.Model):
    """A case as the contract defines it, derived from its events (see ``cases.py``)."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: every index of the table starts with the stream.
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="+", db_index=False)
    case_key = models.CharField(max_length=128)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.CharField(max_length=18, blank=True)
    # Which events gave the unit and the officer (the rule's tie-breaks need them to merge).
    unit_event_at = models.DateTimeField(null=True)
    unit_event_id = models.CharField(max_length=128, blank=True)
    officer_event_at = models.DateTimeField(null=True)
    officer_event_id = models.CharField(max_length=128, blank=True)
    started_at = models.DateTimeField(null=True)
    started_on = models.DateField(null=True)  # the region's local date
    completed_at = models.DateTimeField(null=True)
    completed_on = models.DateField(null=True)
    duration_ms = models.BigIntegerField(null=True)  # completed − started, consistent cases
    sla_ms = models.BigIntegerField(null=True)  # the duration in the SLA's measure
    within_sla = models.BooleanField(null=True)
    inconsistent = models.BooleanField(default=False)
    excluded = models.BooleanField(default=False)
    events = models.PositiveIntegerField(default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(fields=["stream", "case_key"], name="unique_case_per_stream")
        ]
        indexes = [
            models.Index(fields=["stream", "started_on"], name="case_started_idx"),
            models.Index(fields=["stream", "completed_on"], name="case_completed_idx"),
            # A unit's figures of a range (metrics.py) read only these two indexes (index-only
            # scans): the started cases with what the counts and the open backlog need, and
            # the completed, counted cases with their durations. The open backlog at the end
            # of a range scans the unit's whole history up to it, so reading the table's rows
            # instead would cost a random page read per case (bench/README.md, metrics).
            models.Index(
                fields=[
                    "stream",
                    "unit",
                    "started_on",
                    "completed_on",
                    "excluded",
                    "inconsistent",
                    "id",
                ],
                condition=Q(started_at__isnull=False),
                name="case_unit_started_cover_idx",
            ),
            models.Index(
                fields=["stream", "unit", "completed_on", "within_sla", "duration_ms", "id"],
                condition=Q(started_at__isnull=False, excluded=False, inconsistent=False),
                name="case_unit_completed_cover_idx",
            ),
            models.Index(
                fields=["stream", "officer", "started_on"], name="case_officer_started_idx"
            ),
            models.Index(
                fields=["stream", "officer", "completed_on"], name="case_officer_completed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stream_id}/{self.case_key}"


class CaseExclusionQuerySet(models.QuerySet["CaseExclusion"]):
    def visible_to(self, user: Actor | None) -> CaseExclusionQuerySet:
        """The excluded cases of the streams a person may see."""
        return self.filter(stream__in=Stream.objects.visible_to(user))


class CaseExclusion(models.Model):
    """An administrator's decision to leave a case out of the metrics, with its reason."""

    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="exclusions")
    case_key = models.CharField(_("case"), max_length=128)
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("e.g. the printer was out of order for the whole day (outage)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("excluded case")
        verbose_name_plural = _("excluded cases")
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "case_key"],
                condition=Q(ended_at__isnull=True),
                name="one_active_exclusion_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream.code}/{self.case_key}"

    @property
    def audit_key(self) -> str:
        return f"{self.stream.code}/{self.case_key}"

    def audit_agency_code(self) -> str:
        return self.stream.agency.code


# --- Indicators that fill themselves (bindings.py) ----------------------------------------------


class Metric(models.TextChoices):
    """The figures of the contract an indicator can take as its realisation."""

    CASES_STARTED = "cases_started", _("cases started")
    CASES_COMPLETED = "cases_completed", _("cases completed")
    OPEN_CASES_AT_END = "open_cases_at_end", _("open cases at the end of the period")
    DURATION_MEDIAN = "duration_median", _("duration, median")
    DURATION_P90 = "duration_p90", _("duration, 90th percentile")
    DURATION_MEAN = "duration_mean", _("duration, mean")
    WITHIN_SLA_PCT = "within_sla_pct", _("share completed within the service level (%)")


DURATION_METRICS = {Metric.DURATION_MEDIAN, Metric.DURATION_P90, Metric.DURATION_MEAN}
COUNT_METRICS = {Metric.CASES_STARTED, Metric.CASES_COMPLETED, Metric.OPEN_CASES_AT_END}


class DurationUnit(models.TextChoices):
    """Elapsed (calendar) time, as the contract's ``duration_seconds``."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


DURATION_UNIT_SECONDS = {
    DurationUnit.MINUTES: 60,
    DurationUnit.HOURS: 3600,
    DurationUnit.DAYS: 86400,
}


class MetricBinding(models.Model):
    """A stream metric, with a filter, that fills an indicator's realisation: an agency's
    indicator (IKU) today, an individual indicator (IKI) of an SKP later — each points to its
    own binding (one to one), so the rules and the computation live here, once.

    The value of a period is ``metrics.compute`` over that period's days (see ``bindings.py``);
    nothing is stored: it follows new events."""

    stream = models.ForeignKey(
        Stream, verbose_name=_("stream"), on_delete=models.PROTECT, related_name="bindings"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only the unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.CharField(_("only the officer (NIP)"), max_length=18, blank=True)
    from_stage = models.CharField(_("from stage"), max_length=40, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=40, blank=True)
    duration_unit = models.CharField(
        _("durations in"), max_length=10, choices=DurationUnit.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric binding")
        verbose_name_plural = _("metric bindings")

    def __str__(self) -> str:
        return f"{self.stream.code}:{self.metric}"

    def audit_agency_code(self) -> str:
        return self.stream.agency.code

    @property
    def is_duration(self) -> bool:
        return self.metric in DURATION_METRICS

    @property
    def individual(self) -> bool:
        """Filtered to one officer: seen only by the officer and their rater chain."""
        return bool(self.officer)


# --- Alerts (alerts.py) -----------------------------------------------------------------------


class AlertMetric(models.TextChoices):
    P90_DURATION = "p90_duration", _("duration, 90th percentile")
    MEDIAN_DURATION = "median_duration", _("duration, median")
    WITHIN_SLA_PCT = "within_sla_pct", _("share within the service level (%)")
    OPEN_CASES = "open_cases", _("open cases at the end of the period")


class Comparison(models.TextChoices):
    ABOVE = "above", _("above")
    BELOW = "below", _("below")


class AlertWindow(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week")


class AlertRuleQuerySet(models.QuerySet["AlertRule"]):
    def visible_to(self, user: Actor | None) -> AlertRuleQuerySet:
        """Rules of the streams a person may see."""
        return self.filter(stream__in=Stream.objects.visible_to(user))

    def editable_by(self, user: Actor | None) -> AlertRuleQuerySet:
        """The rules of the streams ``user`` manages (``Stream.objects.managed_by``)."""
        return self.filter(stream__in=Stream.objects.managed_by(user))


class AlertRule(models.Model):
    """A condition on a stream metric that the unit head should hear about: e.g. the p90
    duration above 8 hours two days running, or the SLA share below 90 % this week."""

    stream = models.ForeignKey(
        Stream, verbose_name=_("stream"), on_delete=models.PROTECT, related_name="alert_rules"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. KTP-el p90 above the target two days running")
    )
    metric = models.CharField(_("metric"), max_length=20, choices=AlertMetric.choices)
    comparison = models.CharField(_("when it is"), max_length=5, choices=Comparison.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Durations in the stream's service-level unit (e.g. 8 for 8 hours), a share in "
            "percent (e.g. 90), open cases as a number (e.g. 50)"
        ),
    )
    window = models.CharField(_("period"), max_length=5, choices=AlertWindow.choices)
    consecutive = models.PositiveSmallIntegerField(
        _("periods running"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text=_("e.g. 2: two days (or weeks) running"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only the unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertRuleQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return f"{self.stream.code}/{self.pk}"

    def audit_agency_code(self) -> str:
        return self.stream.agency.code


class AlertBreach(models.Model):
    """A time a rule's condition held: opened (and the unit head notified, once) when it
    starts to hold, ended when it stops; a later breach is a new row and notifies again."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="breaches")
    started_at = models.DateTimeField()
    periods = models.JSONField(default=list)  # the period labels that made it, oldest first
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)  # of the latest one
    ended_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("alert breach")
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=Q(ended_at__isnull=True), name="one_open_breach_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.started_at:%Y-%m-%d}"
