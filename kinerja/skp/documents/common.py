"""What the official documents of individual performance share (the SKP here, the
evaluation document in :mod:`kinerja.evaluations.documents`): the regulation's own words, dates
and places as the documents write them, the identity blocks, the lines of results, indicators
and core values, and safe file names.

The documents are official, so they are written in Indonesian whatever the reader's language
(``DOCUMENT_LANGUAGE``), with Indonesian number and date formats. The regulation's own terms —
the aspects, the perspectives, the groups of results, the states and the form's title — are
written as the regulation writes them; the other labels go through the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kinerja.core.nip import format_nip
from kinerja.organizations.models import Employee, Region
from kinerja.strategy.report import decimal_text

from ..models import Rhk, RhkKind, Skp
from ..rules import behaviour_values

DOCUMENT_LANGUAGE = "id"

# --- The regulation's own words --------------------------------------------------------------

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


def region_head(region: Region) -> Person:
    """The head of region rates a JPT Pratama (domain.md §3); no NIP or rank is recorded."""
    return Person(region.head_name, "", "", region.head_title, region.name)


def supports_text(rhk: Rhk, is_jpt: bool) -> str:
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
    assigned_by: str = ""  # "Penugasan dari": who assigned the result
    rhk_id: int | None = None
    feedback: list[str] = field(default_factory=list)  # the evaluation's continuous feedback

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
    value_id: int | None = None
    feedback: list[str] = field(default_factory=list)  # the evaluation's continuous feedback


class SignedDocument:
    """What every document of a plan writes about itself: the heading of the results' column
    (a JPT names agency indicators), when it was printed, and where and when it was signed.
    Needs ``skp``, ``place``, ``signed_on`` and ``printed_at``."""

    @property
    def supports_heading(self) -> str:
        if self.skp.is_jpt:
            return _("Agency target or indicator and perspective")
        return _("Leader's work result supported")

    @property
    def printed_text(self) -> str:
        return printed(self.printed_at)

    @property
    def signed_text(self) -> str:
        return place_date(self.place, self.signed_on)


def place_date(place: str, day: str) -> str:
    """``Palembang, 2 Januari 2026``."""
    return ", ".join(part for part in (place, day) if part)


def printed(moment: datetime) -> str:
    local = timezone.localtime(moment)
    with translation.override(DOCUMENT_LANGUAGE):
        return f"{formats.date_format(local, 'j F Y H.i')} WIB"


def assigned_by_text(rhk: Rhk, skp: Skp) -> str:
    """ "Penugasan dari": the head of region for a JPT; for a result that supports (or comes
    through the role-result matrix from) a superior's result, that superior's name and
    position; otherwise the rater's position and unit."""
    if skp.is_jpt:
        return skp.unit.agency.region.head_title
    if rhk.supports_id:
        owner = rhk.supports.skp
        return f"{owner.employee.name}\n{owner.position_name}"
    rater = skp.rater
    if rater is None:
        return ""
    position = rater.position.name if rater.position_id else ""
    return "\n".join(p for p in (position, rater.unit.name) if p)


def result_groups(skp: Skp, lines_of) -> list[RhkGroup]:
    results = list(
        Rhk.objects.filter(skp=skp)
        .select_related("supports__skp__employee", "indicator")
        .prefetch_related("indicators")
        .order_by("number")
    )
    groups = []
    for kind, letter, name in GROUPS:
        rows = [
            RhkLine(
                rhk.number,
                supports_text(rhk, skp.is_jpt),
                rhk.text,
                lines_of(rhk),
                assigned_by=assigned_by_text(rhk, skp),
                rhk_id=rhk.pk,
            )
            for rhk in results
            if rhk.kind == kind
        ]
        groups.append(RhkGroup(letter, name, rows))
    return groups


def behaviour_lines(skp: Skp) -> list[BehaviourLine]:
    expectations = {e.value_id: e.text for e in skp.expectations.all()}
    return [
        BehaviourLine(n, v.name, v.guide_list, expectations.get(v.pk, ""), value_id=v.pk)
        for n, v in enumerate(behaviour_values(skp.year), start=1)
    ]


def rater_person(skp: Skp, rater: Employee | None) -> Person | None:
    if rater is not None:
        return Person.of(rater)
    if skp.is_jpt:
        return region_head(skp.unit.agency.region)
    return None
