"""Official documents of individual performance (domain.md §3, issue 5 "Documents"):

* the **SKP** in the form of PermenPANRB 6/2022 (identities, the results grouped A. Utama /
  B. Tambahan with their indicators and targets, the behaviour table, the attachment and the
  signature blocks) — :func:`skp_document` → :func:`render_pdf`;
* the **Dokumen Evaluasi Kinerja Pegawai** of one periodic or annual rating (identities of the
  employee, the rater and the rater's superior, results with target, realisation and
  achievement, the ratings, the predicate, the credit points, the objection) —
  :func:`evaluation_document` → :func:`render_pdf`;
* the **XLSX exports** of a unit's plans (one row per IKI, :func:`write_plans_xlsx`) and
  ratings (one row per evaluation, :func:`write_ratings_xlsx`).

The documents are official, so they are written in Indonesian whatever the reader's language
(``DOCUMENT_LANGUAGE``), with Indonesian number and date formats. The regulation's own terms —
the rating names, the predicate, the aspects, the perspectives, the groups of results and the
form's title — are written as the regulation writes them (like the predicate values of
:class:`~kinerja.evaluations.models.Predicate`); the other labels go through the catalogue.

Data is read through the one door (``Skp.objects.visible_to`` / ``Evaluation.objects
.visible_to``) by the callers; the functions here take what the caller may see. The exports
read one streamed query each (values across the joins, ``iterator()``), so their cost does not
grow with the number of plans; openpyxl's write-only mode keeps memory flat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.core.nip import format_nip
from kinerja.evaluations.models import Evaluation, ObjectionOutcome
from kinerja.organizations.models import Employee, PositionLevel, Region, Unit
from kinerja.strategy.report import PdfUnavailable, decimal_text

from .models import Rhk, RhkKind, Skp
from .rules import behaviour_values

DOCUMENT_LANGUAGE = "id"

__all__ = [
    "DOCUMENT_LANGUAGE",
    "PdfUnavailable",
    "evaluation_document",
    "evaluation_html",
    "render_pdf",
    "skp_document",
    "skp_html",
    "write_plans_xlsx",
    "write_ratings_xlsx",
]

# --- The regulation's own words --------------------------------------------------------------

RATING_NAMES = {
    "above": "Di Atas Ekspektasi",
    "meets": "Sesuai Ekspektasi",
    "below": "Di Bawah Ekspektasi",
}
ASPECT_NAMES = {
    "kuantitas": "Kuantitas",
    "kualitas": "Kualitas",
    "waktu": "Waktu",
    "biaya": "Biaya",
}
PERSPECTIVE_NAMES = {
    "penerima_layanan": "Penerima Layanan",
    "proses_bisnis": "Proses Bisnis",
    "penguatan_internal": "Penguatan Internal",
    "anggaran": "Anggaran",
}
APPROACH_NAMES = {"kuantitatif": "Kuantitatif", "kualitatif": "Kualitatif"}
GROUPS = [(RhkKind.MAIN, "A", "Utama"), (RhkKind.ADDITIONAL, "B", "Tambahan")]
KIND_NAMES = {kind: name for kind, _letter, name in GROUPS}
#: The SKP states as domain.md §3 names them.
STATE_NAMES = {
    "draft": "Draft",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "approved": "Disetujui",
    "evaluating": "Dalam evaluasi",
    "rated": "Dinilai",
    "objected": "Keberatan",
    "final": "Final",
    "closed": "Ditutup (mutasi)",
}
UNAPPROVED_STATES = {"draft", "submitted", "returned"}
EVALUATION_STATE_NAMES = {"rated": "Dinilai", "objected": "Keberatan", "final": "Final"}
OBJECTION_NAMES = {
    "": "Diajukan, belum diputuskan",
    ObjectionOutcome.UPHELD: "Ditolak (predikat tetap)",
    ObjectionOutcome.CHANGED: "Diterima (predikat diubah)",
}
DASH = "–"


# --- Small helpers ---------------------------------------------------------------------------


def long_date(value: date | datetime | None) -> str:
    """``2 Januari 2026``; an aware moment is shown on its WIB day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.date_format(value, "j F Y")


def local_day(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value is not None else None


def target_text(iki) -> str:
    """``1.200 pasien``, ``80–90 %``; ``–`` without a target."""
    unit = f" {iki.unit_of_measure}" if getattr(iki, "unit_of_measure", "") else ""
    if iki.target_low is not None and iki.target_high is not None:
        return f"{decimal_text(iki.target_low)}–{decimal_text(iki.target_high)}{unit}"
    if iki.target is not None:
        return f"{decimal_text(iki.target)}{unit}"
    return DASH


def place_of(region: Region | None) -> str:
    """Where the documents are signed: ``KINERJA_DOCUMENT_PLACE`` if set, else the region's
    name without "Pemerintah Kota/Kabupaten" (Pemerintah Kota Palembang → Palembang)."""
    configured = getattr(settings, "KINERJA_DOCUMENT_PLACE", "")
    if configured:
        return configured
    if region is None:
        return ""
    return re.sub(r"^(Pemerintah\s+)?(Kota|Kabupaten|Kab\.|Provinsi)\s+", "", region.name).strip()


def safe_filename(stem: str, extension: str) -> str:
    """An ASCII file name that needs no quoting in a header: letters, digits, ``.-_``."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "dokumen"
    return f"{cleaned[:120]}.{extension}"


@dataclass
class Person:
    """An identity block: Pegawai yang Dinilai, Pejabat Penilai Kinerja, its superior."""

    name: str
    nip: str  # formatted, e.g. 19850312 201001 2 004
    rank: str
    position: str
    unit: str

    @classmethod
    def of(cls, employee: Employee | None, *, position: str = "", unit: str = "") -> Person | None:
        if employee is None:
            return None
        return cls(
            name=employee.name,
            nip=format_nip(employee.nip),
            rank=employee.rank_display,
            position=position or (employee.position.name if employee.position_id else ""),
            unit=unit or employee.unit.name,
        )


def _region_head(region: Region) -> Person:
    """The head of region rates a JPT Pratama (domain.md §3); no NIP or rank is recorded."""
    return Person(region.head_name, "", "", region.head_title, region.name)


def _supports_text(rhk: Rhk, is_jpt: bool) -> str:
    if is_jpt:
        parts = []
        if rhk.indicator_id:
            parts.append(f"{rhk.indicator.code} {rhk.indicator.name}")
        if rhk.perspective:
            parts.append(
                _("Perspective: %(name)s") % {"name": PERSPECTIVE_NAMES.get(rhk.perspective, "")}
            )
        return "\n".join(parts)
    return rhk.supports.text if rhk.supports_id else ""


# --- The SKP ---------------------------------------------------------------------------------


@dataclass
class IkiLine:
    number: int
    aspect: str
    text: str
    target: str
    realisation: str = ""
    achievement: str = ""
    source: str = ""  # for the evaluation: "stream" when measured from service data


@dataclass
class RhkLine:
    number: int
    supports: str
    text: str
    indicators: list[IkiLine] = field(default_factory=list)

    @property
    def span(self) -> int:
        return max(1, len(self.indicators))

    @property
    def first(self) -> IkiLine | None:
        return self.indicators[0] if self.indicators else None

    @property
    def rest(self) -> list[IkiLine]:
        return self.indicators[1:]


@dataclass
class RhkGroup:
    letter: str
    name: str
    rows: list[RhkLine]


@dataclass
class BehaviourLine:
    number: int
    name: str
    guides: list[str]
    expectation: str


@dataclass
class SkpDocument:
    skp: Skp
    region: Region
    place: str
    period_text: str
    approach: str
    employee: Person
    rater: Person | None
    groups: list[RhkGroup]
    behaviour: list[BehaviourLine]
    signed_on: str
    printed_at: datetime

    @property
    def filename(self) -> str:
        return safe_filename(f"skp-{self.skp.year}-{self.skp.employee.nip}-{self.skp.pk}", "pdf")

    @property
    def approved(self) -> bool:
        """Approved by the rater (and perhaps rated since); otherwise the form is a draft."""
        return self.skp.approved_at is not None and self.skp.state not in UNAPPROVED_STATES

    @property
    def supports_heading(self) -> str:
        if self.skp.is_jpt:
            return _("Agency target or indicator and perspective")
        return _("Leader's work result supported")

    @property
    def printed_text(self) -> str:
        return _printed(self.printed_at)

    @property
    def signed_text(self) -> str:
        return _place_date(self.place, self.signed_on)


def _place_date(place: str, day: str) -> str:
    """``Palembang, 2 Januari 2026``."""
    return ", ".join(part for part in (place, day) if part)


def _printed(moment: datetime) -> str:
    local = timezone.localtime(moment)
    with translation.override(DOCUMENT_LANGUAGE):
        return f"{formats.date_format(local, 'j F Y H.i')} WIB"


def document_plans(queryset):
    """Plans with what their documents print about them (one query)."""
    return queryset.select_related(
        "employee__unit",
        "employee__position",
        "unit__agency__region",
        "rater__unit",
        "rater__position",
        "rater_superior__unit",
        "rater_superior__position",
    )


def _groups(skp: Skp, lines_of) -> list[RhkGroup]:
    results = list(
        Rhk.objects.filter(skp=skp)
        .select_related("supports", "indicator")
        .prefetch_related("indicators")
        .order_by("number")
    )
    groups = []
    for kind, letter, name in GROUPS:
        rows = [
            RhkLine(rhk.number, _supports_text(rhk, skp.is_jpt), rhk.text, lines_of(rhk))
            for rhk in results
            if rhk.kind == kind
        ]
        groups.append(RhkGroup(letter, name, rows))
    return groups


def _plan_lines(rhk: Rhk) -> list[IkiLine]:
    return [
        IkiLine(i.number, ASPECT_NAMES.get(i.aspect, i.aspect), i.text, target_text(i))
        for i in sorted(rhk.indicators.all(), key=lambda i: i.number)
    ]


def _behaviour(skp: Skp) -> list[BehaviourLine]:
    expectations = {e.value_id: e.text for e in skp.expectations.all()}
    return [
        BehaviourLine(n, v.name, v.guide_list, expectations.get(v.pk, ""))
        for n, v in enumerate(behaviour_values(skp.year), start=1)
    ]


def _rater_of(skp: Skp, rater: Employee | None) -> Person | None:
    if rater is not None:
        return Person.of(rater)
    if skp.is_jpt:
        return _region_head(skp.unit.agency.region)
    return None


def skp_document(skp: Skp, *, now: datetime | None = None) -> SkpDocument:
    """What the SKP form prints, for a plan loaded with :func:`document_plans`. A bounded
    number of queries (results, indicators, expectations, values)."""
    region = skp.unit.agency.region
    ends_on = skp.ends_on or date(skp.year, 12, 31)
    signed = skp.approved_at or skp.submitted_at or now or timezone.now()
    return SkpDocument(
        skp=skp,
        region=region,
        place=place_of(region),
        period_text=f"{long_date(skp.starts_on)} s.d. {long_date(ends_on)}",
        approach=APPROACH_NAMES.get(skp.approach, skp.approach),
        employee=Person.of(skp.employee, position=skp.position_name, unit=skp.unit.name),
        rater=_rater_of(skp, skp.rater),
        groups=_groups(skp, _plan_lines),
        behaviour=_behaviour(skp),
        signed_on=long_date(signed),
        printed_at=now or timezone.now(),
    )


# --- The evaluation document -----------------------------------------------------------------


@dataclass
class CreditLine:
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
class EvaluationDocument:
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
    credit: CreditLine | None
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
    def supports_heading(self) -> str:
        if self.skp.is_jpt:
            return _("Agency target or indicator and perspective")
        return _("Leader's work result supported")

    @property
    def printed_text(self) -> str:
        return _printed(self.printed_at)

    @property
    def signed_text(self) -> str:
        return _place_date(self.place, self.signed_on)

    @property
    def delivered_text(self) -> str:
        return _place_date(self.place, self.delivered_on)

    @property
    def objection_text(self) -> str:
        return _place_date(self.place, self.objection.decided_on) if self.objection else ""


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


def _credit(evaluation: Evaluation, skp: Skp) -> CreditLine | None:
    if not evaluation.annual or evaluation.credit_points is None:
        return None
    from kinerja.evaluations.rules import credit_rules

    table = credit_rules(skp.year)
    level = skp.position_level
    return CreditLine(
        level=PositionLevel(level).label if level in PositionLevel.values else level,
        months=evaluation.months,
        percent=table.percent.get(evaluation.predicate),
        coefficient=table.coefficient.get(level),
        result=evaluation.credit_points,
    )


def evaluation_document(
    evaluation: Evaluation, *, viewer, now: datetime | None = None
) -> EvaluationDocument:
    """What the Dokumen Evaluasi Kinerja Pegawai prints, for an evaluation loaded with
    :func:`document_evaluations`. The realisations are those ``viewer`` may see
    (:func:`kinerja.evaluations.selectors.iki_values`): individual service data the viewer may
    not see is marked, never printed."""
    from kinerja.core.periods import ALL_KINDS, parse_period
    from kinerja.evaluations.models import OrgEvaluation
    from kinerja.evaluations.selectors import iki_values

    skp = evaluation.skp
    region = skp.unit.agency.region
    period = parse_period(evaluation.period, kinds=ALL_KINDS)
    start = max(period.start, skp.starts_on)
    end = min(period.end, skp.ends_on or period.end)
    values = {v.iki.pk: v for v in iki_values(skp, period, viewer=viewer)}

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

    suggestion = evaluation.suggestion or {}
    mean = suggestion.get("mean_pct")
    org = (
        OrgEvaluation.objects.filter(unit=skp.unit, period=evaluation.period)
        .values_list("predicate", flat=True)
        .first()
    )
    return EvaluationDocument(
        evaluation=evaluation,
        skp=skp,
        region=region,
        place=place_of(region),
        period_label=_period_label(period),
        period_text=f"{long_date(start)} s.d. {long_date(end)}",
        annual=evaluation.annual,
        employee=Person.of(skp.employee, position=skp.position_name, unit=skp.unit.name),
        rater=_rater_of(skp, evaluation.rated_by),
        superior=Person.of(skp.rater_superior),
        groups=_groups(skp, lines_of),
        behaviour=_behaviour(skp),
        results_rating=RATING_NAMES.get(evaluation.results_rating, ""),
        behaviour_rating=RATING_NAMES.get(evaluation.behaviour_rating, ""),
        suggested_rating=RATING_NAMES.get(evaluation.suggested_results, ""),
        suggested_mean=decimal_text(Decimal(mean), places=2) if mean else "",
        predicate=evaluation.predicate,
        org_predicate=org or "",
        credit=_credit(evaluation, skp),
        note=evaluation.note,
        objection=_objection(evaluation),
        signed_on=long_date(evaluation.rated_at),
        delivered_on=long_date(evaluation.delivered_at),
        printed_at=now or timezone.now(),
    )


def _period_label(period) -> str:
    """``Tahunan 2026``, ``Triwulan I 2026``, ``Semester II 2026``, ``Maret 2026``."""
    from kinerja.core.periods import ROMAN

    if period.kind == "year":
        return f"Tahunan {period.year}"
    if period.kind == "quarter":
        return f"Triwulan {ROMAN[period.index]} {period.year}"
    if period.kind == "semester":
        return f"Semester {ROMAN[period.index]} {period.year}"
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.date_format(date(period.year, period.index, 1), "F Y")


# --- PDF -------------------------------------------------------------------------------------


def load_weasyprint():
    """Import WeasyPrint (it loads Pango at import and raises ``OSError`` without it)."""
    import weasyprint

    return weasyprint


def _fetch_nothing(url: str, *args, **kwargs):
    """The documents have no external resources: nothing a typed text could name is fetched."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"external resource refused: {url[:80]}")


def skp_html(document: SkpDocument) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("skp/documents/skp.html", {"doc": document})


def evaluation_html(document: EvaluationDocument) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("skp/documents/evaluation.html", {"doc": document})


def render_pdf(html: str) -> bytes:
    """The PDF of a document's HTML; raises :class:`PdfUnavailable` without WeasyPrint."""
    try:
        weasyprint = load_weasyprint()
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    try:
        return weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
    except OSError as exc:  # a library that loads lazily (fonts)
        raise PdfUnavailable(str(exc)) from exc


# --- XLSX exports ----------------------------------------------------------------------------


def unit_subtree(unit: Unit) -> list[int]:
    """The unit and every unit below it (one query over the agency's units)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.filter(agency_id=unit.agency_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


PLAN_COLUMNS = [
    ("NIP", 21),
    (gettext_noop("Name"), 30),
    (gettext_noop("Position"), 28),
    (gettext_noop("Work unit"), 28),
    (gettext_noop("Year"), 7),
    (gettext_noop("Starts on"), 12),
    (gettext_noop("Ends on"), 12),
    (gettext_noop("State"), 14),
    (gettext_noop("Approach"), 12),
    (gettext_noop("Group"), 10),
    (gettext_noop("Result no."), 8),
    (gettext_noop("Work result (RHK)"), 45),
    (gettext_noop("Leader's result supported / agency indicator"), 45),
    (gettext_noop("Perspective"), 18),
    (gettext_noop("Aspect"), 11),
    (gettext_noop("Indicator no."), 8),
    (gettext_noop("Individual performance indicator (IKI)"), 45),
    (gettext_noop("Target"), 11),
    (gettext_noop("Target from"), 11),
    (gettext_noop("Target to"), 11),
    (gettext_noop("Unit of measure"), 12),
]

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

DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0.####"


def column_titles(columns) -> list[str]:
    with translation.override(DOCUMENT_LANGUAGE):
        return [_(title) for title, _width in columns]


def _number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class _Sheet:
    """A write-only sheet with a bold, frozen header row and typed cells."""

    def __init__(self, workbook, title: str, columns):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = workbook.create_sheet(title)
        self._cell = WriteOnlyCell
        for index, (_title, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        fill = PatternFill("solid", fgColor="DCE6F0")
        header = []
        for title in column_titles(columns):
            cell = WriteOnlyCell(self.ws, value=title)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        self.ws.append(header)

    def append(self, values: list) -> None:
        row = []
        for value in values:
            if isinstance(value, date):
                cell = self._cell(self.ws, value=value)
                cell.number_format = DATE_FORMAT
                row.append(cell)
            elif isinstance(value, Decimal):
                cell = self._cell(self.ws, value=_number(value))
                cell.number_format = NUMBER_FORMAT
                row.append(cell)
            else:
                row.append(value)
        self.ws.append(row)


def _info_sheet(workbook, facts: list[tuple[str, object]]) -> None:
    """What the workbook holds: the unit, the year (and period) and when it was made."""
    ws = workbook.create_sheet("Info")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 50
    for label, value in facts:
        ws.append([label, value])


def _kind_order():
    return Case(
        When(results__kind=RhkKind.MAIN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


PLAN_FIELDS = [
    "pk",
    "employee__nip",
    "employee__name",
    "position_name",
    "position_kind",
    "unit__name",
    "year",
    "starts_on",
    "ends_on",
    "state",
    "approach",
    "results__pk",
    "results__kind",
    "results__number",
    "results__text",
    "results__supports__text",
    "results__indicator__code",
    "results__indicator__name",
    "results__perspective",
    "results__indicators__number",
    "results__indicators__aspect",
    "results__indicators__text",
    "results__indicators__target",
    "results__indicators__target_low",
    "results__indicators__target_high",
    "results__indicators__unit_of_measure",
]


def plan_rows(plans):
    """One dict per IKI of ``plans`` (a plan or result without indicators gives one row with
    the missing part empty), in the order of the sheet: one streamed query."""
    return (
        plans.annotate(kind_order=_kind_order())
        .order_by(
            "employee__name",
            "employee__nip",
            "starts_on",
            "pk",
            "kind_order",
            "results__number",
            "results__indicators__number",
        )
        .values(*PLAN_FIELDS)
        .iterator(chunk_size=2000)
    )


def write_plans_xlsx(plans, out: IO[bytes], *, unit: Unit, year: int) -> None:
    """The unit's plans, one row per IKI, into ``out``."""
    from openpyxl import Workbook

    with translation.override(DOCUMENT_LANGUAGE):
        workbook = Workbook(write_only=True)
        sheet = _Sheet(workbook, "Rencana SKP", PLAN_COLUMNS)
        for row in plan_rows(plans):
            is_jpt = row["position_kind"] == "jpt"
            if is_jpt and row["results__indicator__code"]:
                supports = f"{row['results__indicator__code']} {row['results__indicator__name']}"
            else:
                supports = row["results__supports__text"] or ""
            has_range = (
                row["results__indicators__target_low"] is not None
                and row["results__indicators__target_high"] is not None
            )
            sheet.append(
                [
                    row["employee__nip"],
                    row["employee__name"],
                    row["position_name"],
                    row["unit__name"],
                    row["year"],
                    row["starts_on"],
                    row["ends_on"],
                    STATE_NAMES.get(row["state"], row["state"]),
                    APPROACH_NAMES.get(row["approach"], row["approach"]),
                    KIND_NAMES.get(row["results__kind"], ""),
                    row["results__number"],
                    row["results__text"] or "",
                    supports,
                    PERSPECTIVE_NAMES.get(row["results__perspective"] or "", ""),
                    ASPECT_NAMES.get(row["results__indicators__aspect"] or "", ""),
                    row["results__indicators__number"],
                    row["results__indicators__text"] or "",
                    None if has_range else row["results__indicators__target"],
                    row["results__indicators__target_low"] if has_range else None,
                    row["results__indicators__target_high"] if has_range else None,
                    row["results__indicators__unit_of_measure"] or "",
                ]
            )
        _info_sheet(
            workbook,
            [
                (_("Unit"), f"{unit.code} {unit.name}"),
                (_("Year"), year),
                (_("Printed"), _printed(timezone.now())),
            ],
        )
        workbook.save(out)


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


def write_ratings_xlsx(
    evaluations, out: IO[bytes], *, unit: Unit, year: int, period: str = ""
) -> None:
    """The unit's ratings, one row per evaluation, into ``out``."""
    from openpyxl import Workbook

    from kinerja.core.periods import ALL_KINDS, parse_period

    with translation.override(DOCUMENT_LANGUAGE):
        workbook = Workbook(write_only=True)
        sheet = _Sheet(workbook, "Penilaian", RATING_COLUMNS)
        for row in rating_rows(evaluations):
            objected = row["objection__pk"] is not None
            before = (row["objection__before"] or {}) if objected else {}
            sheet.append(
                [
                    row["skp__employee__nip"],
                    row["skp__employee__name"],
                    row["skp__position_name"],
                    row["skp__unit__name"],
                    _period_label(parse_period(row["period"], kinds=ALL_KINDS)),
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
            )
        _info_sheet(
            workbook,
            [
                (_("Unit"), f"{unit.code} {unit.name}"),
                (_("Year"), year),
                (
                    _("Period"),
                    _period_label(parse_period(period, kinds=ALL_KINDS)) if period else _("all"),
                ),
                (_("Printed"), _printed(timezone.now())),
            ],
        )
        workbook.save(out)
