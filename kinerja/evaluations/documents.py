"""The evaluation's official documents (domain.md §3.1–3.3, issue 5 "Documents"):

* the **Dokumen Evaluasi Kinerja Pegawai** of one periodic or annual rating, in the format of
  PermenPANRB 6/2022 Anak Lampiran 4 (identities of the employee, the rater and the rater's
  superior, the period, "Capaian Kinerja Organisasi", "Pola Distribusi" — the unit's
  predicates of the period against the curve of its organisation predicate —, results with
  target, realisation, achievement and the column "Umpan Balik Berkelanjutan Berdasarkan Bukti
  Dukung" (the rater's feedback on each result and each core value, up to the rating), the
  ratings, the predicate, a functional employee's credit-point entries (:func:`_credit_rows`),
  the objection) —
  :func:`evaluation_document` → :func:`evaluation_html` →
  :func:`kinerja.skp.documents.render_pdf`;
* the **XLSX export** of a unit's ratings, one row per evaluation (:func:`write_ratings_xlsx`,
  through the safe sheet of :mod:`kinerja.skp.documents.xlsx`).

They are built on the plan's documents (:mod:`kinerja.skp.documents`): written in Indonesian
whatever the reader's language, the regulation's own terms — the rating names, the predicate
(:class:`~kinerja.evaluations.models.Predicate`), the objection's outcome — as the regulation
writes them. Data is read through the one door (``Evaluation.objects.visible_to``) by the
callers; the functions here take what the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from kinerja.core.periods import ALL_KINDS, ROMAN, Period, parse_period
from kinerja.organizations.models import Region, Unit
from kinerja.skp.documents.common import (
    ASPECT_NAMES,
    DASH,
    DOCUMENT_LANGUAGE,
    BehaviourLine,
    IkiLine,
    Person,
    RhkGroup,
    SignedDocument,
    behaviour_lines,
    local_day,
    long_date,
    place_date,
    place_of,
    printed,
    rater_person,
    result_groups,
    safe_filename,
    target_text,
)
from kinerja.skp.documents.xlsx import Sheet, info_sheet
from kinerja.skp.models import Rhk, Skp
from kinerja.skp.selectors import IkiValue
from kinerja.strategy.report import decimal_text

from .models import (
    CreditEntry,
    Evaluation,
    Feedback,
    FeedbackRole,
    ObjectionOutcome,
    OrgEvaluation,
    Predicate,
)
from .rules import (
    curve_majority_text,
    curve_rule_text,
    curve_rules,
    evaluation_setting,
)
from .selectors import rating_values, unit_curve

# --- The regulation's own words --------------------------------------------------------------

RATING_NAMES = {
    "above": "Di Atas Ekspektasi",
    "meets": "Sesuai Ekspektasi",
    "below": "Di Bawah Ekspektasi",
}
EVALUATION_STATE_NAMES = {"rated": "Dinilai", "objected": "Keberatan", "final": "Final"}
OBJECTION_NAMES = {
    "": "Diajukan, belum diputuskan",
    ObjectionOutcome.UPHELD: "Ditolak (predikat tetap)",
    ObjectionOutcome.CHANGED: "Diterima (predikat diubah)",
}


# --- The evaluation document -----------------------------------------------------------------


@dataclass
class CreditLine:
    period: str
    level: str
    months: int
    percent: Decimal | None
    coefficient: Decimal | None
    result: Decimal

    @property
    def percent_text(self) -> str:
        return f"{decimal_text(self.percent)} %" if self.percent is not None else DASH

    @property
    def coefficient_text(self) -> str:
        return decimal_text(self.coefficient)

    @property
    def result_text(self) -> str:
        return decimal_text(self.result, places=2)


@dataclass
class ObjectionLine:
    reason: str
    evidence: str
    filed_on: str
    decider: Person | None
    outcome: str  # the outcome's name, or "pending"
    decided: bool
    decision_reason: str
    decided_on: str
    before_predicate: str
    before_results: str
    before_behaviour: str


@dataclass
class DistributionLine:
    predicate: str
    count: int
    share: str


@dataclass
class CurveRuleLine:
    text: str
    broken: bool
    message: str


@dataclass
class Distribution:
    """ "Pola Distribusi": the unit's predicates of the period against the curve."""

    unit: str
    org_predicate: str
    total: int
    lines: list[DistributionLine]
    rules: list[CurveRuleLine]
    majority_text: str


@dataclass
class EvaluationDocument(SignedDocument):
    evaluation: Evaluation
    skp: Skp
    region: Region
    place: str
    period_label: str
    period_text: str
    annual: bool
    employee: Person
    rater: Person | None
    superior: Person | None
    groups: list[RhkGroup]
    behaviour: list[BehaviourLine]
    results_rating: str
    behaviour_rating: str
    suggested_rating: str
    suggested_mean: str
    predicate: str
    org_predicate: str
    distribution: Distribution
    functional: bool
    credit_rows: list[CreditLine]
    note: str
    objection: ObjectionLine | None
    signed_on: str
    delivered_on: str
    printed_at: datetime

    @property
    def filename(self) -> str:
        stem = f"evaluasi-{self.evaluation.period}-{self.skp.employee.nip}-{self.evaluation.pk}"
        return safe_filename(stem, "pdf")

    @property
    def credit(self) -> CreditLine | None:
        """The entry of the evaluation itself (the last of :attr:`credit_rows`)."""
        return self.credit_rows[-1] if self.credit_rows else None

    @property
    def delivered_text(self) -> str:
        return place_date(self.place, self.delivered_on)

    @property
    def objection_text(self) -> str:
        return place_date(self.place, self.objection.decided_on) if self.objection else ""


def document_evaluations(queryset):
    """Evaluations with what their document prints (one query)."""
    return queryset.select_related(
        "rated_by__unit",
        "rated_by__position",
        "objection__decider__unit",
        "objection__decider__position",
        "skp__employee__unit",
        "skp__employee__position",
        "skp__unit__agency__region",
        "skp__rater_superior__unit",
        "skp__rater_superior__position",
        "skp__rater__unit",
        "skp__rater__position",
    )


def _objection(evaluation: Evaluation) -> ObjectionLine | None:
    try:
        objection = evaluation.objection
    except Evaluation.objection.RelatedObjectDoesNotExist:
        return None
    before = objection.before or {}
    return ObjectionLine(
        reason=objection.reason,
        evidence=objection.evidence,
        filed_on=long_date(objection.filed_at),
        decider=Person.of(objection.decider),
        outcome=OBJECTION_NAMES.get(objection.outcome, objection.outcome),
        decided=objection.decided,
        decision_reason=objection.decision_reason,
        decided_on=long_date(objection.decided_at),
        before_predicate=before.get("predicate", ""),
        before_results=RATING_NAMES.get(before.get("results", ""), ""),
        before_behaviour=RATING_NAMES.get(before.get("behaviour", ""), ""),
    )


def _credit_rows(evaluation: Evaluation) -> list[CreditLine]:
    """The credit-point entries the document prints, from the ledger
    (:mod:`kinerja.evaluations.ledger`): a periodic evaluation's own entry; on the annual
    evaluation every entry of the plan's year (periodic ones and the annual one's months), so
    the document adds up to the year's credit points."""
    entries = CreditEntry.objects.filter(skp=evaluation.skp)
    if not evaluation.annual:
        entries = entries.filter(evaluation=evaluation)
    return [
        CreditLine(
            period=period_label(parse_period(entry.period, kinds=ALL_KINDS)),
            level=entry.get_level_display(),
            months=entry.months,
            percent=entry.percent,
            coefficient=entry.coefficient,
            result=entry.points,
        )
        for entry in entries.order_by("first_month", "period")
    ]


def _with_feedback(evaluation: Evaluation, groups: list[RhkGroup], behaviour: list[BehaviourLine]):
    """ "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung": the rater's feedback (not the
    replies) on each result and each core value, given up to the rating."""
    feedback = Feedback.objects.filter(
        skp=evaluation.skp, author_role=FeedbackRole.RATER, parent__isnull=True,
        created_at__lte=evaluation.rated_at,
    ).order_by("created_at", "pk")  # fmt: skip
    by_rhk: dict[int, list[str]] = {}
    by_value: dict[int, list[str]] = {}
    for item in feedback:
        if item.rhk_id is not None:
            by_rhk.setdefault(item.rhk_id, []).append(item.text)
        elif item.value_id is not None:
            by_value.setdefault(item.value_id, []).append(item.text)
    for group in groups:
        for row in group.rows:
            row.feedback = by_rhk.get(row.rhk_id or 0, [])
    for line in behaviour:
        line.feedback = by_value.get(line.value_id or 0, [])


def _distribution(evaluation: Evaluation) -> Distribution:
    """ "Pola Distribusi": the unit's employee predicates of the period (counts and shares)
    against the curve of its organisation predicate, the rules in words."""
    skp = evaluation.skp
    curve = unit_curve(skp.unit, evaluation.period)
    lines = [
        DistributionLine(
            p,
            curve.counts.get(p, 0),
            decimal_text(Decimal(curve.counts.get(p, 0) * 100) / curve.total, places=1)
            if curve.total
            else DASH,
        )
        for p in Predicate.values
    ]
    year = parse_period(evaluation.period, kinds=ALL_KINDS).year
    majority = evaluation_setting(year).curve_majority
    broken = {(w.predicates, w.rule, w.value): w.message for w in curve.warnings}
    rules = []
    for rule in curve_rules(year).get(curve.org_predicate or "", []):
        key = (tuple(rule.predicate_list), rule.rule, rule.value)
        rules.append(
            CurveRuleLine(curve_rule_text(rule, majority), key in broken, broken.get(key, ""))
        )
    return Distribution(
        unit=skp.unit.name, org_predicate=curve.org_predicate or "", total=curve.total,
        lines=lines, rules=rules, majority_text=curve_majority_text(majority),
    )  # fmt: skip


def period_label(period: Period) -> str:
    """``Tahunan 2026``, ``Triwulan I 2026``, ``Semester II 2026``, ``Maret 2026``."""
    if period.kind == "year":
        return f"Tahunan {period.year}"
    if period.kind == "quarter":
        return f"Triwulan {ROMAN[period.index]} {period.year}"
    if period.kind == "semester":
        return f"Semester {ROMAN[period.index]} {period.year}"
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.date_format(date(period.year, period.index, 1), "F Y")


def _measured_lines(values: dict[int, IkiValue]):
    """The lines of a result's indicators with what each reached in the period (``values``
    by indicator): service data the viewer may not see is marked, never printed."""

    def lines_of(rhk: Rhk) -> list[IkiLine]:
        lines = []
        for i in sorted(rhk.indicators.all(), key=lambda i: i.number):
            line = IkiLine(i.number, ASPECT_NAMES.get(i.aspect, i.aspect), i.text, target_text(i))
            value = values.get(i.pk)
            if value is not None and value.hidden:
                line.realisation = _("not shown to you")
                line.achievement = DASH
            elif value is not None:
                line.realisation = decimal_text(value.value)
                line.achievement = decimal_text(value.achievement, places=2)
                line.source = value.source
            else:
                line.realisation = line.achievement = DASH
            lines.append(line)
        return lines

    return lines_of


def _org_predicate(evaluation: Evaluation) -> str:
    skp = evaluation.skp
    org = (
        OrgEvaluation.objects.filter(unit=skp.unit, period=evaluation.period)
        .values_list("predicate", flat=True)
        .first()
    )
    return org or ""


def evaluation_document(
    evaluation: Evaluation, *, viewer, now: datetime | None = None
) -> EvaluationDocument:
    """What the Dokumen Evaluasi Kinerja Pegawai prints, for an evaluation loaded with
    :func:`document_evaluations`. The realisations are those ``viewer`` may see
    (:func:`kinerja.skp.selectors.iki_values`): individual service data the viewer may not
    see is marked, never printed."""
    skp = evaluation.skp
    region = skp.unit.agency.region
    period = parse_period(evaluation.period, kinds=ALL_KINDS)
    start = max(period.start, skp.starts_on)
    end = min(period.end, skp.ends_on or period.end)
    values = {v.iki.pk: v for v in rating_values(skp, period, viewer=viewer)}
    mean = (evaluation.suggestion or {}).get("mean_pct")
    groups, behaviour = result_groups(skp, _measured_lines(values)), behaviour_lines(skp)
    with translation.override(DOCUMENT_LANGUAGE):
        distribution = _distribution(evaluation)
    _with_feedback(evaluation, groups, behaviour)
    return EvaluationDocument(
        evaluation=evaluation,
        skp=skp,
        region=region,
        place=place_of(region),
        period_label=period_label(period),
        period_text=f"{long_date(start)} s.d. {long_date(end)}",
        annual=evaluation.annual,
        employee=Person.of(skp.employee, position=skp.position_name, unit=skp.unit.name),
        rater=rater_person(skp, evaluation.rated_by),
        superior=Person.of(skp.rater_superior),
        groups=groups,
        behaviour=behaviour,
        results_rating=RATING_NAMES.get(evaluation.results_rating, ""),
        behaviour_rating=RATING_NAMES.get(evaluation.behaviour_rating, ""),
        suggested_rating=RATING_NAMES.get(evaluation.suggested_results, ""),
        suggested_mean=decimal_text(Decimal(mean), places=2) if mean else "",
        predicate=evaluation.predicate,
        org_predicate=_org_predicate(evaluation),
        distribution=distribution,
        functional=skp.position_kind == "jf",
        credit_rows=_credit_rows(evaluation),
        note=evaluation.note,
        objection=_objection(evaluation),
        signed_on=long_date(evaluation.rated_at),
        delivered_on=long_date(evaluation.delivered_at),
        printed_at=now or timezone.now(),
    )


def evaluation_html(document: EvaluationDocument) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("evaluations/documents/evaluation.html", {"doc": document})


# --- A unit's ratings ------------------------------------------------------------------------

RATING_COLUMNS = [
    ("NIP", 21),
    (gettext_noop("Name"), 30),
    (gettext_noop("Position"), 28),
    (gettext_noop("Work unit"), 28),
    (gettext_noop("Period"), 16),
    (gettext_noop("Period code"), 10),
    (gettext_noop("Results rating"), 20),
    (gettext_noop("Behaviour rating"), 20),
    (gettext_noop("Suggested results rating"), 20),
    (gettext_noop("Mean achievement (%)"), 12),
    (gettext_noop("Predicate"), 18),
    (gettext_noop("State"), 12),
    (gettext_noop("Rated on"), 12),
    (gettext_noop("Months"), 8),
    (gettext_noop("Credit points"), 10),
    (gettext_noop("Objection"), 26),
    (gettext_noop("Predicate before the objection"), 18),
]


RATING_FIELDS = [
    "pk",
    "skp__employee__nip",
    "skp__employee__name",
    "skp__position_name",
    "skp__unit__name",
    "period",
    "annual",
    "results_rating",
    "behaviour_rating",
    "suggested_results",
    "suggestion",
    "predicate",
    "state",
    "rated_at",
    "months",
    "credit_points",
    "objection__pk",
    "objection__outcome",
    "objection__before",
]


def rating_rows(evaluations):
    return (
        evaluations.order_by(
            "skp__employee__name", "skp__employee__nip", "skp__starts_on", "annual", "period"
        )
        .values(*RATING_FIELDS)
        .iterator(chunk_size=2000)
    )


def _mean(suggestion) -> Decimal | None:
    mean = (suggestion or {}).get("mean_pct")
    try:
        return Decimal(mean) if mean is not None else None
    except (ArithmeticError, ValueError, TypeError):
        return None


def _rating_line(row: dict) -> list:
    """The sheet's row of one evaluation."""
    objected = row["objection__pk"] is not None
    before = (row["objection__before"] or {}) if objected else {}
    return [
        row["skp__employee__nip"],
        row["skp__employee__name"],
        row["skp__position_name"],
        row["skp__unit__name"],
        period_label(parse_period(row["period"], kinds=ALL_KINDS)),
        row["period"],
        RATING_NAMES.get(row["results_rating"], ""),
        RATING_NAMES.get(row["behaviour_rating"], ""),
        RATING_NAMES.get(row["suggested_results"], ""),
        _mean(row["suggestion"]),
        row["predicate"],
        EVALUATION_STATE_NAMES.get(row["state"], row["state"]),
        local_day(row["rated_at"]),
        row["months"] if row["annual"] else None,
        row["credit_points"],
        OBJECTION_NAMES.get(row["objection__outcome"] or "", "") if objected else "",
        before.get("predicate", "") if row["objection__outcome"] == "changed" else "",
    ]


def write_ratings_xlsx(
    evaluations, out: IO[bytes], *, unit: Unit, year: int, period: str = ""
) -> None:
    """The unit's ratings, one row per evaluation, into ``out``."""
    with translation.override(DOCUMENT_LANGUAGE):
        workbook = Workbook(write_only=True)
        sheet = Sheet(workbook, "Penilaian", RATING_COLUMNS)
        for row in rating_rows(evaluations):
            sheet.append(_rating_line(row))
        shown = period_label(parse_period(period, kinds=ALL_KINDS)) if period else _("all")
        info_sheet(
            workbook,
            [
                (_("Unit"), f"{unit.code} {unit.name}"),
                (_("Year"), year),
                (_("Period"), shown),
                (_("Printed"), printed(timezone.now())),
            ],
        )
        workbook.save(out)
