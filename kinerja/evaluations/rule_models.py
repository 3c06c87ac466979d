"""The year-versioned rules of individual evaluation (domain.md §3.1–3.3, architecture.md
rule 3) and the choices they speak in: the rating, the employee and organisation predicates,
the quadrant, the distribution curve, credit points and their requirements, the evaluation's
other parameters and each agency's rhythm. Loaded by migration; read by :mod:`.rules`.
Imported by :mod:`.models` (import them from there)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.models import Agency, PositionLevel
from kinerja.skp.rhythm import Rhythm  # the rhythm's choices are the plan's


class Rating(models.TextChoices):
    ABOVE = "above", _("Above expectation (Di Atas Ekspektasi)")
    MEETS = "meets", _("Meets expectation (Sesuai Ekspektasi)")
    BELOW = "below", _("Below expectation (Di Bawah Ekspektasi)")


class Predicate(models.TextChoices):
    """The employee predicate; the values are the regulation's own words (and the API's)."""

    SANGAT_BAIK = "Sangat Baik", _("Sangat Baik")
    BAIK = "Baik", _("Baik")
    BUTUH_PERBAIKAN = "Butuh Perbaikan", _("Butuh Perbaikan")
    KURANG = "Kurang/Misconduct", _("Kurang/Misconduct")
    SANGAT_KURANG = "Sangat Kurang", _("Sangat Kurang")


#: Best first; the order of the curve monitor's columns.
PREDICATE_ORDER = [p.value for p in Predicate]


class OrgPredicate(models.TextChoices):
    ISTIMEWA = "Istimewa", _("Istimewa")
    BAIK = "Baik", _("Baik")
    BUTUH_PERBAIKAN = "Butuh Perbaikan", _("Butuh Perbaikan")
    KURANG = "Kurang", _("Kurang")
    SANGAT_KURANG = "Sangat Kurang", _("Sangat Kurang")


# --- Rule tables -----------------------------------------------------------------------------


class QuadrantCell(models.Model):
    """One cell of the predicate quadrant (domain.md §3.1)."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    results = models.CharField(_("results rating"), max_length=5, choices=Rating.choices)
    behaviour = models.CharField(_("behaviour rating"), max_length=5, choices=Rating.choices)
    predicate = models.CharField(_("predicate"), max_length=20, choices=Predicate.choices)

    class Meta:
        ordering = ["valid_from", "results", "behaviour"]
        verbose_name = _("quadrant cell")
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from", "results", "behaviour"], name="unique_quadrant_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.results}×{self.behaviour} → {self.predicate}"


class CurveCheck(models.TextChoices):
    MOST = "most", _("the most frequent predicate")
    MAX_PCT = "max_pct", _("at most this share (%)")
    MIN_PCT = "min_pct", _("at least this share (%)")
    MIN_COUNT = "min_count", _("at least this many employees")
    MAX_COUNT = "max_count", _("at most this many employees")


class CurveMajority(models.TextChoices):
    """How the curve's "sebagian besar" (CurveCheck.MOST) is read."""

    MORE_THAN_HALF = "more_than_half", _("more than half of the unit's employees")
    MOST_FREQUENT = "most_frequent", _("more frequent than any other predicate")


class CurveRule(models.Model):
    """One constraint of the distribution curve (domain.md §3.2): for a unit with
    ``org_predicate``, the employees whose predicate is one of ``predicates`` must satisfy
    ``rule`` with ``value``."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    org_predicate = models.CharField(max_length=20, choices=OrgPredicate.choices)
    predicates = models.CharField(
        max_length=80, help_text=_("Employee predicates, separated by '|'")
    )
    rule = models.CharField(max_length=10, choices=CurveCheck.choices)
    value = models.DecimalField(max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["valid_from", "org_predicate", "pk"]
        verbose_name = _("distribution rule")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.org_predicate} {self.predicates} {self.rule} {self.value}"

    @property
    def predicate_list(self) -> list[str]:
        return [p for p in self.predicates.split("|") if p]


class CreditPercent(models.Model):
    """The predicate's percentage in the credit-point rule (domain.md §3.3)."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    predicate = models.CharField(max_length=20, choices=Predicate.choices)
    percent = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["valid_from", "-percent"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "predicate"], name="unique_credit_pct")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.predicate} {self.percent} %"


class CreditCoefficient(models.Model):
    """The yearly credit-point coefficient of a functional jenjang (domain.md §3.3)."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    level = models.CharField(max_length=20, choices=PositionLevel.choices)
    coefficient = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["valid_from", "coefficient"]
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from", "level"], name="unique_credit_coefficient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.level} {self.coefficient}"


class CreditRequirement(models.Model):
    """The cumulative credit points a jenjang needs for the next rank (pangkat) and for the
    next jenjang (PermenPANRB 1/2023, PerBKN 3/2023); empty where there is no next one."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    level = models.CharField(max_length=20, choices=PositionLevel.choices)
    for_rank = models.DecimalField(_("for the next rank"), max_digits=7, decimal_places=2)
    for_level = models.DecimalField(
        _("for the next jenjang"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["valid_from", "for_rank"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "level"], name="unique_credit_need")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.level} {self.for_rank}/{self.for_level}"


class EvaluationSetting(models.Model):
    """The evaluation's other parameters: the suggested results rating from measured
    achievement (the thresholds of a result above / meeting expectation, the share of main
    results that may be below for 'meets', the minimum number of cases behind a value from
    service data), and the unit head's results rating from the organisation predicate."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"), unique=True)
    suggest_above_from = models.DecimalField(
        _("suggest 'above' from achievement (%)"), max_digits=6, decimal_places=2, default=110
    )
    suggest_meets_from = models.DecimalField(
        _("suggest 'meets' from achievement (%)"), max_digits=6, decimal_places=2, default=90
    )
    suggest_below_max_share = models.DecimalField(
        _("'meets' allows main results below expectation up to (%)"),
        max_digits=5,
        decimal_places=2,
        default=25,
        help_text=_(
            "The 'small part' of the main results that may be below expectation for a "
            "suggested 'meets', e.g. 25"
        ),
    )
    case_minimum = models.PositiveIntegerField(
        _("minimum number of cases"),
        default=20,
        help_text=_(
            "A value from service data resting on fewer cases is not used for the "
            "suggestion, e.g. 20"
        ),
    )
    head_rating_by_org = models.JSONField(
        default=dict, help_text=_("Organisation predicate → the unit head's results rating")
    )
    objection_explanation_days = models.PositiveSmallIntegerField(
        _("days for the rater's explanation of an objection"), default=5
    )
    curve_majority = models.CharField(
        _("reading of 'sebagian besar' in the curve"),
        max_length=16,
        choices=CurveMajority.choices,
        default=CurveMajority.MORE_THAN_HALF,
    )

    class Meta:
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return str(self.valid_from)


class AgencyRhythm(models.Model):
    """How often an agency evaluates during the year (the default is quarterly)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="rhythms")
    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    rhythm = models.CharField(_("rhythm"), max_length=10, choices=Rhythm.choices)

    class Meta:
        ordering = ["agency", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "valid_from"], name="unique_agency_rhythm")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.valid_from}: {self.rhythm}"

    def audit_agency_code(self) -> str:
        return self.agency.code
