"""The employee's yearly plan (SKP, domain.md §3): results (RHK) with their indicators (IKI),
the behaviour expectations, the attachment, the realisations through the year and the
templates of the role-result matrix.

Scoped data has one door per model: ``Skp.objects.visible_to(user)``; everything inside a plan
(RHK, IKI, evidence: ``Rhk.objects.visible_to(user)`` …) is reached through its plan. A narrower
rule has its own named door: ``Skp.objects.reachable_for_feedback(user)``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.models import Employee, Position, RaterChain, Unit
from kinerja.organizations.scope import scope_for

from .verification import Verification

if TYPE_CHECKING:
    from kinerja.core.actors import Actor

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
#: A model of what lies inside a plan (see :class:`PlanPartQuerySet`).
_Part = TypeVar("_Part", bound=models.Model)


# --- Year-versioned settings (architecture.md rule 3) -----------------------------------------


class SkpCalendar(models.Model):
    """The SKP cycle's deadlines (domain.md §3, [param]), from ``valid_from`` to a later row."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"), unique=True)
    plan_deadline_month = models.PositiveSmallIntegerField(
        _("plan approved by (month)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    plan_deadline_day = models.PositiveSmallIntegerField(
        _("plan approved by (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    admin_draft_after_day = models.PositiveSmallIntegerField(
        _("administrator may draft after (day of January)"),
        default=14,
        help_text=_("The end of the second week of January: 14"),
    )
    periodic_deadline_day = models.PositiveSmallIntegerField(
        _("periodic evaluation by (day of the next month)"), default=5
    )
    annual_deadline_month = models.PositiveSmallIntegerField(
        _("annual evaluation by (month of the next year)"), default=1
    )
    annual_deadline_day = models.PositiveSmallIntegerField(
        _("annual evaluation by (day)"), default=31
    )
    objection_days = models.PositiveSmallIntegerField(
        _("days to object"), default=14, help_text=_("From receiving the annual predicate: 14")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before a deadline"), default=7
    )
    rating_opens_days_before = models.PositiveSmallIntegerField(
        _("rating opens this many days before the period ends"), default=0
    )

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("SKP calendar")

    def __str__(self) -> str:
        return f"{self.valid_from}"


class BehaviourValue(models.Model):
    """One of the seven BerAKHLAK core values with its three behaviour guides."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=30)
    name = models.CharField(_("value"), max_length=60)
    guides = models.TextField(_("behaviour guides"), help_text=_("One guide per line"))

    class Meta:
        ordering = ["valid_from", "order"]
        verbose_name = _("core value (BerAKHLAK)")
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "code"], name="unique_value_per_year")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def guide_list(self) -> list[str]:
        return [line.strip() for line in self.guides.splitlines() if line.strip()]


# --- The plan ----------------------------------------------------------------------------------


class Approach(models.TextChoices):
    QUANTITATIVE = "kuantitatif", _("quantitative")
    QUALITATIVE = "kualitatif", _("qualitative")


class SkpState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")
    #: at least one periodic evaluation recorded; the plan is in execution
    EVALUATING = "evaluating", _("under evaluation")
    #: the annual evaluation is recorded; the predicate may still be objected to
    RATED = "rated", _("rated")
    OBJECTED = "objected", _("under objection")
    FINAL = "final", _("final")
    #: a transfer, retirement or death ended this assignment (``end_reason``); the record is kept
    CLOSED = "closed", _("closed")


class EndReason(models.TextChoices):
    TRANSFER = "transfer", _("transfer")
    RETIREMENT = "retirement", _("retirement")
    DEATH = "death", _("death")
    OTHER = "other", _("other")


#: States in which the plan's content may still change.
EDITABLE_STATES = {SkpState.DRAFT, SkpState.RETURNED}


class SkpQuerySet(models.QuerySet["Skp"]):
    def visible_to(self, user: Actor | None) -> SkpQuerySet:
        """The employee, their rater and the rater's superior (recorded on the plan or by the
        current chain), the agency's head and performance administrators, and the region's
        administrators and auditors."""
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        condition = Q(unit__agency_id__in=scope.agencies_read)
        if scope.employee_id is not None:
            me = scope.employee_id
            condition |= (
                Q(employee_id=me)
                | Q(rater_id=me)
                | Q(rater_superior_id=me)
                | Q(employee__rater_chain__rater_id=me)
                | Q(employee__rater_chain__rater_superior_id=me)
            )
        return self.filter(condition).distinct()

    def reachable_for_feedback(self, user: Actor | None) -> SkpQuerySet:
        """The plans ``user`` may give feedback on: those they see (:meth:`visible_to`), and —
        without seeing the plan itself — the plans of peers (who share the user's rater) and
        of the user's rater (for a subordinate). Never the user's own plan through the second
        door."""
        visible = self.visible_to(user)
        me = scope_for(user).employee_id
        if me is None:
            return visible
        my_rater = (
            RaterChain.objects.filter(employee_id=me).values_list("rater_id", flat=True).first()
        )
        if my_rater is None:
            return visible
        standing = (
            Skp.objects.filter(Q(rater_id=my_rater) | Q(employee_id=my_rater))
            .exclude(employee_id=me)
            .values("pk")
        )
        return self.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=standing))


class PlanPartQuerySet(models.QuerySet[_Part]):
    """What lies inside a plan (results, indicators, evidence) is seen through its plan."""

    #: the path from the row to its plan
    plan_path = "skp"

    def visible_to(self, user: Actor | None) -> Self:
        return self.filter(**{f"{self.plan_path}__in": Skp.objects.visible_to(user).values("pk")})


class RhkQuerySet(PlanPartQuerySet["Rhk"]):
    plan_path = "skp"

    def supportable_for(self, skp: Skp) -> RhkQuerySet:
        """The results a result of ``skp`` may support: those of its rater's plans of the same
        year (what the employee chooses from, whether or not they may see the rater's plan)."""
        if skp.rater_id is None:
            return self.none()
        return self.filter(skp__employee_id=skp.rater_id, skp__year=skp.year)


class IkiQuerySet(PlanPartQuerySet["Iki"]):
    plan_path = "rhk__skp"


class Skp(models.Model):
    """One employee's plan for one year and one assignment (position).

    The rater and the rater's superior are recorded when the plan is created and refreshed
    while it is a draft; from submission on they stay what they were, so that who approved and
    who rated is the person the record names even after the tree changes."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position_name = models.CharField(_("position"), max_length=200)
    position_kind = models.CharField(max_length=20, blank=True)
    position_level = models.CharField(max_length=20, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans")
    rater = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="plans_rated"
    )
    rater_superior = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="plans_above"
    )
    approach = models.CharField(
        _("approach"), max_length=12, choices=Approach.choices, default=Approach.QUANTITATIVE
    )
    state = models.CharField(
        _("state"), max_length=12, choices=SkpState.choices, default=SkpState.DRAFT
    )
    starts_on = models.DateField(_("starts on (TMT)"))  # 1 January, or the TMT of the position
    tmt_sk_number = models.CharField(_("SK number of the TMT"), max_length=100, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    end_reason = models.CharField(_("ended by"), max_length=10, choices=EndReason, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    resources = models.TextField(
        _("resources (dukungan sumber daya)"), blank=True,
        help_text=_("e.g. Aplikasi SIAK, satu komputer loket, anggaran ATK"),
    )  # fmt: skip
    accountability = models.TextField(
        _("accountability scheme (skema pertanggungjawaban)"), blank=True,
        help_text=_("e.g. Laporan bulanan kepada Kepala Seksi setiap tanggal 5"),
    )  # fmt: skip
    consequences = models.TextField(
        _("consequences (konsekuensi)"), blank=True,
        help_text=_("e.g. Teguran tertulis bila target dua bulan berturut-turut tidak tercapai"),
    )  # fmt: skip
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = SkpQuerySet.as_manager()

    class Meta:
        ordering = ["year", "employee__name", "starts_on"]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKPs")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=Q(ends_on__isnull=True),
                name="one_open_skp_per_employee_year",
            )
        ]
        indexes = [models.Index(fields=["unit", "year"], name="skp_unit_year_idx")]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee.name}"

    @property
    def audit_key(self) -> str:
        return f"{self.employee.nip}/{self.year}/{self.pk}"

    def audit_agency_code(self) -> str:
        return self.unit.agency.code

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_jpt(self) -> bool:
        return self.position_kind == "jpt"


class SkpTransition(models.Model):
    """Who moved a plan from one state to another, when and why (also in the audit trail)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=SkpState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=SkpState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.skp_id}: {self.from_state} → {self.to_state}"


class RhkKind(models.TextChoices):
    MAIN = "utama", _("main (utama)")
    ADDITIONAL = "tambahan", _("additional (tambahan)")


class Perspective(models.TextChoices):
    """The four perspectives of a JPT's results (domain.md §3)."""

    CUSTOMERS = "penerima_layanan", _("Service recipients (Penerima Layanan)")
    PROCESS = "proses_bisnis", _("Business process (Proses Bisnis)")
    INTERNAL = "penguatan_internal", _("Internal strengthening (Penguatan Internal)")
    BUDGET = "anggaran", _("Budget (Anggaran)")


class Rhk(models.Model):
    """A planned work result (Rencana Hasil Kerja)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(
        _("group"), max_length=10, choices=RhkKind.choices, default=RhkKind.MAIN
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField(
        _("work result"), help_text=_("e.g. Terlaksananya pelayanan KTP-el tepat waktu")
    )
    supports = models.ForeignKey(
        "self", verbose_name=_("supports the superior's result"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supported_by",
    )  # fmt: skip
    indicator = models.ForeignKey(
        "strategy.Indicator", verbose_name=_("agency indicator (JPT)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="individual_results",
    )  # fmt: skip
    perspective = models.CharField(
        _("perspective (JPT)"), max_length=20, choices=Perspective.choices, blank=True
    )

    objects = RhkQuerySet.as_manager()

    class Meta:
        ordering = ["skp", "kind", "number"]
        verbose_name = _("work result (RHK)")
        verbose_name_plural = _("work results (RHK)")
        constraints = [
            models.UniqueConstraint(fields=["skp", "kind", "number"], name="unique_rhk_number")
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_key(self) -> str:
        return f"{self.skp.audit_key}/{self.kind}-{self.number}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


class Aspect(models.TextChoices):
    QUANTITY = "kuantitas", _("Quantity (Kuantitas)")
    QUALITY = "kualitas", _("Quality (Kualitas)")
    TIME = "waktu", _("Time (Waktu)")
    COST = "biaya", _("Cost (Biaya)")


class Iki(models.Model):
    """An individual indicator of a result: an aspect and a target (a value, or a range)."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField()
    aspect = models.CharField(_("aspect"), max_length=10, choices=Aspect.choices)
    text = models.TextField(_("indicator"), help_text=_("e.g. Jumlah KTP-el yang diterbitkan"))
    target = models.DecimalField(
        _("target"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("e.g. 1200"),
    )
    target_low = models.DecimalField(
        _("target from"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("For a range, e.g. 80 (of 80–90 %)"),
    )  # fmt: skip
    target_high = models.DecimalField(
        _("target to"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("For a range, e.g. 90 (of 80–90 %)"),
    )  # fmt: skip
    unit_of_measure = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. dokumen, %, hari")
    )
    lower_is_better = models.BooleanField(
        _("lower is better"), default=False, help_text=_("e.g. for a processing time in days")
    )
    yearly_total = models.BooleanField(
        _("the target is a yearly total"),
        default=False,
        help_text=_(
            "e.g. 1200 documents in the year: a quarter is then measured against 300. Off for "
            "a rate, a share or a time that holds in every period (e.g. 95 %, 3 days)."
        ),
    )
    binding = models.OneToOneField(
        "streams.MetricBinding",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iki",
    )

    objects = IkiQuerySet.as_manager()

    class Meta:
        ordering = ["rhk", "number"]
        verbose_name = _("individual indicator (IKI)")
        verbose_name_plural = _("individual indicators (IKI)")
        constraints = [models.UniqueConstraint(fields=["rhk", "number"], name="unique_iki_number")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_key(self) -> str:
        return f"{self.rhk.audit_key}/{self.number}"

    def audit_agency_code(self) -> str:
        return self.rhk.skp.unit.agency.code

    @property
    def has_range(self) -> bool:
        return self.target_low is not None and self.target_high is not None

    def target_for_months(
        self, months: int
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """The target, or range, that applies to a period of ``months`` months: a yearly total
        is shared out evenly (1200 a year → 300 a quarter); anything else applies as it is."""
        if not self.yearly_total or months == 12:
            return self.target, self.target_low, self.target_high
        share = Decimal(months) / 12

        def part(value: Decimal | None) -> Decimal | None:
            return None if value is None else value * share

        return part(self.target), part(self.target_low), part(self.target_high)


class BehaviourExpectation(models.Model):
    """The leader's special expectation (ekspektasi khusus pimpinan) for one core value."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="expectations")
    value = models.ForeignKey(BehaviourValue, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(
        _("special expectation"),
        blank=True,
        help_text=_("e.g. Menyelesaikan setiap pengaduan warga dalam 2 hari kerja"),
    )

    class Meta:
        verbose_name = _("behaviour expectation")
        constraints = [
            models.UniqueConstraint(fields=["skp", "value"], name="unique_expectation_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.skp_id} {self.value_id}"


class IkiRealisation(Verification):
    """What an indicator reached in a period of the agency's rhythm (``2026-03``, ``2026-Q1``,
    ``2026-S1``, ``2026``), entered by the employee with evidence; counted once verified."""

    iki = models.ForeignKey(Iki, on_delete=models.CASCADE, related_name="realisations")
    period = models.CharField(_("period"), max_length=8)
    value = models.DecimalField(_("realisation"), max_digits=20, decimal_places=4)
    note = models.TextField(
        _("note"), blank=True, help_text=_("e.g. 312 KTP-el; dua hari server SIAK gangguan")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["iki", "period"]
        verbose_name = _("realisation")
        constraints = [
            models.UniqueConstraint(fields=["iki", "period"], name="unique_iki_realisation")
        ]

    def __str__(self) -> str:
        return f"{self.iki_id} {self.period}: {self.value}"

    @property
    def audit_key(self) -> str:
        return f"{self.iki.audit_key}/{self.period}"

    def audit_agency_code(self) -> str:
        return self.iki.rhk.skp.unit.agency.code


def skp_evidence_path(instance: SkpEvidence, filename: str) -> str:
    # The stored name says nothing about the content; the original name is kept in a field.
    return f"skp-evidence/{instance.skp_id}/{instance.sha256[:2]}/{instance.sha256}"


class SkpEvidence(models.Model):
    """A supporting document (bukti dukung) for an indicator's period."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="evidence")
    iki = models.ForeignKey(Iki, on_delete=models.CASCADE, related_name="evidence")
    period = models.CharField(_("period"), max_length=8)
    file = models.FileField(upload_to=skp_evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("e.g. Rekap loket Maret")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["iki", "period", "uploaded_at"]
        verbose_name = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_key(self) -> str:
        return f"{self.iki.audit_key}/{self.period}/{self.sha256[:12]}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


# --- Role-result matrix templates ------------------------------------------------------------


class ResultTemplateQuerySet(models.QuerySet["ResultTemplate"]):
    def visible_to(self, user: Actor | None) -> ResultTemplateQuerySet:
        """A rater sees the templates of the positions that report to theirs; the agency's
        head and administrators see the agency's."""
        scope = scope_for(user)
        if scope.region_read:
            return self.all()
        condition = Q(position__unit__agency_id__in=scope.agencies_read)
        if scope.employee_id is not None:
            condition |= Q(owner_id=scope.employee_id)
        return self.filter(condition)


class ResultTemplate(models.Model):
    """A result a rater keeps for a subordinate position, to hand to all its holders at once.

    ``indicators`` is a list of ``{"aspect", "text", "target", "unit"}``."""

    owner = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="result_templates")
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="result_templates"
    )
    kind = models.CharField(
        _("group"), max_length=10, choices=RhkKind.choices, default=RhkKind.MAIN
    )
    text = models.TextField(_("work result"))
    indicators = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResultTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("result template")

    def __str__(self) -> str:
        return self.text[:80]

    def audit_agency_code(self) -> str:
        return self.position.unit.agency.code
