# ruff: noqa: E501 - the data below reads as tables, one row a line.
"""The organisational-performance part of the Plaju demo: Kota Palembang's medium-term plan,
each demo agency's goals, strategic targets and indicators, two years of performance
agreements and the realisations of the months so far, with a few evidence files.

Everything goes through the services (``plan_save`` … ``evidence_add``) inside the demo's
audit door, and every step asks :mod:`.permissions` whether the person it acts for may take
it, so the demo also exercises the real paths. Nothing is random: monthly values follow a
straight trend per indicator plus a fixed "noise" taken from a hash of the indicator and the
month, so every load gives the same numbers.

The years are relative to the day of loading: the *previous* year has all twelve months, the
*current* year the months before the present one (loaded on 28 November 2026: all of 2025 and
January–October 2026; ``REFERENCE_DAY`` fixes the day for tests). The plan itself is the
five-year RPJMD 2025–2029 (``plan_save`` takes exactly five years), so the demo makes sense
when loaded in 2026–2029. Loading again adds only what is missing and never overwrites what
people have changed since (an agreement whose history has begun is left to its people).

Three indicators fill themselves from the service-data demo (``kinerja.streams.demo``, a year
of events up to the day before loading) and have no hand-entered values: DISDUKCAPIL IKU-01
(mean time from application to hand-over of a KTP-el, in hours), IKU-04 (KTP-el handed over
at the Plaju counter: cases completed for that unit) and DINKES IKU-01 (mean time from the
call to the team's arrival, in minutes). Their targets are set for the current year only: the
service data reaches back just a year, so the previous calendar year is mostly without it.
The targets were chosen against what the generator gives, so that the year lands at about
100 % (loaded on 28 November 2026): a KTP-el takes 15–17 hours on average in a normal month
(most are handed over the same day, a quarter the next working day) and about two days in
the two months the blanko runs short — 23.2 hours for the year so far against a target of
24 (mean rather than median: the indicator says "rata-rata", and the mean is what the
shortage moves; TW I and III, with a shortage, land at about 94 % and 82 %); 22,261 cards
handed over at Plaju by 27 November against 24,000 for the year (93 %); an emergency team
arrives in about 11 minutes in the dry season and 12.4 in the rainy one — 11.5 for the year
against a target of 12 minutes (104 %; TW I 13), while the SLA asks 15 minutes of each call.

The wording of the vision, missions, goals and indicators is invented for the demo; it is
not the text of Kota Palembang's real RPJMD.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.organizations import demo as org_demo
from kinerja.organizations.models import Agency, Employee, Position, Region, Unit

from . import permissions, services
from .models import (
    DataSource,
    Evidence,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    PerformanceAgreement,
    Plan,
    Realisation,
    StrategicTarget,
)

PLAN_START, PLAN_END = 2025, 2029  # five years, as plan_save requires
PLAN_TITLE = "RPJMD Kota Palembang 2025–2029"
VISION = (
    "Terwujudnya Palembang Emas Darussalam 2029: kota yang maju, sejahtera, religius, "
    "berbudaya, dan berkelanjutan"
)
MISSIONS = [
    "Mewujudkan tata kelola pemerintahan yang bersih, akuntabel, dan pelayanan publik yang cepat berbasis digital",
    "Meningkatkan kualitas sumber daya manusia melalui pendidikan dan kesehatan yang merata dan bermutu",
    "Mendorong pertumbuhan ekonomi kerakyatan yang inklusif berbasis potensi lokal dan sungai",
    "Mewujudkan kota yang aman, tertib, dan rukun dalam keberagaman",
    "Membangun infrastruktur dan lingkungan perkotaan yang tangguh dan berkelanjutan",
]


@dataclass(frozen=True)
class GoalRow:
    agency: str
    code: str
    mission: int  # the mission's number
    text: str


@dataclass(frozen=True)
class TargetRow:
    agency: str
    goal: str
    code: str
    text: str


@dataclass(frozen=True)
class Trend:
    """Monthly values: a straight line from ``jan`` to ``dec`` plus a fixed noise of at most
    ``spread`` either way, rounded to ``places`` decimals."""

    jan: float
    dec: float
    spread: float = 0.0
    places: int = 2

    def at(self, month: int, key: str) -> Decimal:
        value = self.jan + (self.dec - self.jan) * (month - 1) / 11 + self.spread * _noise(key)
        return Decimal(str(round(value, self.places)))


@dataclass(frozen=True)
class Share:
    """A count that is a share of another indicator's count in the same month (so that the
    part never exceeds the whole): ``round(other × pct / 100)``."""

    of: str
    pct: Trend


@dataclass(frozen=True)
class TargetSpec:
    """A yearly target (``value``, or ``low``/``high`` for a range) and the four quarterly
    targets (a value, a ``(low, high)`` pair, or ``None``)."""

    value: str | None = None
    low: str | None = None
    high: str | None = None
    quarters: tuple = ()


def yearly(value: str, *quarters) -> TargetSpec:
    return TargetSpec(value=value, quarters=quarters or (value,) * 4)


def band(low: str, high: str) -> TargetSpec:
    return TargetSpec(low=low, high=high, quarters=((low, high),) * 4)


@dataclass(frozen=True)
class Bound:
    """A stream metric that fills an indicator (``kinerja.streams.bindings``): the demo's
    streams are those of ``kinerja.streams.demo``."""

    stream: str  # the stream's code
    metric: str
    unit: str = ""  # a unit code: only that unit's cases
    duration_unit: str = ""  # durations: minutes, hours or days


@dataclass(frozen=True)
class IndicatorRow:
    agency: str
    target: str  # the strategic target's code
    code: str
    name: str
    unit: str
    polarity: str
    aggregation: str
    period_type: str = "monthly"
    owner: str = ""  # the owning position's code; empty: the Pengelola Kinerja enters
    formula: str = ""
    source: str = ""  # the note on every realisation: where the number comes from
    goals: dict[str, TargetSpec] = field(default_factory=dict)  # "previous" / "current"
    values: dict[str, Trend | Share] = field(default_factory=dict)
    supporting: str = ""  # said of the current year's recent months
    hindering: str = ""
    #: Filled by a stream metric: no realisations are entered by hand (and no ``values``).
    stream: Bound | None = None


H, L, R = "higher_is_better", "lower_is_better", "range"
SUM, AVG, LAST = "sum", "average", "last"

GOALS = [
    GoalRow("SETDA", "T1", 1, "Meningkatnya akuntabilitas kinerja Pemerintah Kota Palembang"),
    GoalRow("KEC-PLAJU", "T1", 1, "Meningkatnya kualitas pelayanan publik di Kecamatan Plaju"),
    GoalRow(
        "KEC-PLAJU", "T2", 4, "Terwujudnya ketenteraman dan ketertiban umum di Kecamatan Plaju"
    ),
    GoalRow("DISDIK", "T1", 2, "Meningkatnya mutu layanan pendidikan dasar"),
    GoalRow("DINKES", "T1", 2, "Meningkatnya derajat kesehatan masyarakat"),
    GoalRow("DISDUKCAPIL", "T1", 1, "Meningkatnya kualitas pelayanan administrasi kependudukan"),
]

TARGETS = [
    TargetRow("SETDA", "T1", "S1.1", "Meningkatnya kualitas manajemen kinerja perangkat daerah"),
    TargetRow(
        "KEC-PLAJU", "T1", "S1.1", "Meningkatnya kepuasan masyarakat terhadap pelayanan kecamatan"
    ),
    TargetRow(
        "KEC-PLAJU",
        "T2",
        "S2.1",
        "Meningkatnya kecepatan penanganan gangguan ketenteraman dan ketertiban",
    ),
    TargetRow("DISDIK", "T1", "S1.1", "Meningkatnya kompetensi pendidik sekolah dasar"),
    TargetRow("DISDIK", "T1", "S1.2", "Meningkatnya mutu satuan pendidikan dasar"),
    TargetRow("DINKES", "T1", "S1.1", "Meningkatnya mutu pelayanan kegawatdaruratan dan rujukan"),
    TargetRow("DINKES", "T1", "S1.2", "Meningkatnya cakupan pelayanan kesehatan ibu"),
    TargetRow(
        "DISDUKCAPIL", "T1", "S1.1", "Meningkatnya kecepatan penerbitan dokumen kependudukan"
    ),
    TargetRow("DISDUKCAPIL", "T1", "S1.2", "Meningkatnya cakupan kepemilikan dokumen kependudukan"),
]

Ind = IndicatorRow
INDICATORS = [
    # Sekretariat Daerah
    Ind("SETDA", "S1.1", "IKU-01", "Persentase perangkat daerah yang menyampaikan laporan kinerja bulanan tepat waktu", "%", H, AVG,
      owner="SETDA-ORG-ANALIS", source="Rekap aplikasi pelaporan kinerja bulanan",
      goals={"previous": yearly("90"), "current": yearly("95")},
      values={"previous": Trend(84, 94, 2, 1), "current": Trend(90, 96, 2, 1)}),
    Ind("SETDA", "S1.1", "IKU-02", "Nilai SAKIP Pemerintah Kota Palembang", "nilai", H, LAST, period_type="yearly",
      source="Laporan hasil evaluasi SAKIP oleh Kementerian PANRB",
      goals={"previous": yearly("72", None, None, None, "72"), "current": yearly("75", None, None, None, "75")},
      values={"previous": Trend(73.42, 73.42, 0, 2)}),
    Ind("SETDA", "S1.1", "IKU-03", "Persentase rekomendasi evaluasi kelembagaan yang ditindaklanjuti", "%", H, LAST, period_type="quarterly",
      owner="SETDA-KABAG-ORG", source="Matriks tindak lanjut evaluasi kelembagaan Bagian Organisasi",
      goals={"previous": yearly("75", "20", "40", "60", "75"), "current": yearly("80", "25", "45", "65", "80")},
      values={"previous": Trend(15, 78, 1, 1), "current": Trend(18, 80, 1, 1)}),
    # Kecamatan Plaju
    Ind("KEC-PLAJU", "S1.1", "IKU-01", "Indeks kepuasan masyarakat terhadap pelayanan Kecamatan Plaju", "indeks", R, AVG, period_type="quarterly",
      owner="KEC-PLAJU-SEKCAM", source="Survei kepuasan masyarakat triwulanan di loket PATEN",
      goals={"previous": band("78", "88"), "current": band("80", "90")},
      values={"previous": Trend(81, 84, 0.8, 2), "current": Trend(84, 87, 0.8, 2)}),
    Ind("KEC-PLAJU", "S1.1", "IKU-02", "Persentase pengaduan masyarakat yang diselesaikan dalam 5 hari kerja", "%", H, AVG,
      owner="KEC-PLAJU-KASI-PEM", source="Buku register pengaduan dan SP4N-LAPOR!",
      goals={"previous": yearly("85"), "current": yearly("90")},
      values={"previous": Trend(74, 80, 2, 1), "current": Trend(74, 82, 2.5, 1)},
      hindering="Pengaduan banjir rob meningkat tajam dan perlu koordinasi lintas dinas"),
    Ind("KEC-PLAJU", "S2.1", "IKU-03", "Rata-rata waktu tanggap laporan gangguan ketenteraman dan ketertiban umum", "jam", L, AVG,
      owner="KEC-PLAJU-KASI-TRANTIB", source="Rekap laporan masyarakat Seksi Trantib",
      goals={"previous": yearly("24"), "current": yearly("24")},
      values={"previous": Trend(26, 22, 1.5, 1), "current": Trend(30, 46, 2, 1)},
      hindering="Satu kendaraan patroli rusak sejak Mei dan dua personel Satpol PP ditarik ke kota"),
    Ind("KEC-PLAJU", "S2.1", "IKU-04", "Jumlah kegiatan patroli ketenteraman dan ketertiban", "kegiatan", H, SUM,
      owner="KEC-PLAJU-TRANTIB-STAF", source="Laporan kegiatan patroli harian",
      goals={"previous": yearly("48", "12", "12", "12", "12"), "current": yearly("52", "13", "13", "13", "13")},
      values={"previous": Trend(4, 4, 0.6, 0), "current": Trend(4, 5, 0.6, 0)}),
    # Dinas Pendidikan
    Ind("DISDIK", "S1.1", "IKU-01", "Persentase guru yang menerima bimbingan teknis", "%", H, LAST,
      owner="DISDIK-KASI-KURIKULUM-SD", source="Daftar hadir bimbingan teknis Seksi Kurikulum SD",
      goals={"previous": yearly("75", "20", "40", "60", "75"), "current": yearly("85", "25", "50", "70", "85")},
      values={"previous": Trend(6, 68, 1, 1), "current": Trend(4, 62, 1, 1)},
      hindering="Anggaran bimbingan teknis triwulan III bergeser ke APBD Perubahan"),
    Ind("DISDIK", "S1.2", "IKU-02", "Jumlah sekolah terakreditasi A", "sekolah", H, LAST, period_type="quarterly",
      owner="DISDIK-KABID-SD", source="Data hasil akreditasi BAN-PDM",
      goals={"previous": yearly("110", "104", "106", "108", "110"), "current": yearly("120", "112", "114", "117", "120")},
      values={"previous": Trend(103, 111, 0.4, 0), "current": Trend(111, 119, 0.4, 0)}),
    Ind("DISDIK", "S1.2", "IKU-03", "Persentase sekolah dasar yang menerapkan Kurikulum Merdeka", "%", H, LAST,
      source="Data Pokok Pendidikan (Dapodik)",
      goals={"previous": yearly("90", "80", "84", "87", "90"), "current": yearly("100", "93", "95", "98", "100")},
      values={"previous": Trend(78, 91, 0.5, 1), "current": Trend(86, 92, 0.5, 1)}),
    # Dinas Kesehatan
    Ind("DINKES", "S1.1", "IKU-01", "Waktu respon penanganan kegawatdaruratan", "menit", L, AVG,
      owner="DINKES-PKM-PLAJU-PERAWAT-T",
      goals={"current": yearly("12", "13", "12", "12", "12")},
      stream=Bound("gawat-darurat", "duration_mean", duration_unit="minutes")),
    Ind("DINKES", "S1.2", "IKU-02", "Persentase ibu hamil yang mendapat pelayanan antenatal K4", "%", H, LAST,
      owner="DINKES-PKM-PLAJU-PERAWAT-T", source="Laporan PWS KIA Puskesmas Plaju",
      goals={"previous": yearly("90", "22", "45", "68", "90"), "current": yearly("95", "24", "48", "72", "95")},
      values={"previous": Trend(8, 91, 1, 1), "current": Trend(8, 93, 1, 1)},
      supporting="Kelas ibu hamil di tiap kelurahan"),
    Ind("DINKES", "S1.1", "IKU-04", "Jumlah permintaan rujukan kegawatdaruratan", "kasus", H, SUM,
      owner="DINKES-KABID-YANKES", source="Register rujukan Sistem Informasi Rujukan Terintegrasi (SISRUTE)",
      values={"previous": Trend(42, 47, 3, 0), "current": Trend(45, 51, 3, 0)}),
    Ind("DINKES", "S1.1", "IKU-03", "Jumlah rujukan kegawatdaruratan yang tertangani", "kasus", H, SUM,
      owner="DINKES-KABID-YANKES", source="Register rujukan Sistem Informasi Rujukan Terintegrasi (SISRUTE)",
      goals={"previous": yearly("500", "125", "125", "125", "125"), "current": yearly("560", "140", "140", "140", "140")},
      values={"previous": Share("IKU-04", Trend(91, 94, 2, 1)), "current": Share("IKU-04", Trend(92, 95, 2, 1))}),
    Ind("DINKES", "S1.1", "IKU-05", "Rasio rujukan kegawatdaruratan tertangani", "%", H, AVG,
      formula="{IKU-03} / {IKU-04} * 100",
      goals={"previous": yearly("90"), "current": yearly("92")}),
    # Dinas Kependudukan dan Pencatatan Sipil
    Ind("DISDUKCAPIL", "S1.1", "IKU-01", "Rata-rata waktu penerbitan KTP-el", "jam", L, AVG,
      owner="DISDUKCAPIL-KASI-IDENTITAS",
      goals={"current": yearly("24", "26", "24", "24", "24")},
      stream=Bound("ktp-el", "duration_mean", duration_unit="hours")),
    Ind("DISDUKCAPIL", "S1.2", "IKU-02", "Persentase penduduk wajib KTP-el yang telah merekam", "%", H, LAST,
      owner="DISDUKCAPIL-ADK-AP", source="Data konsolidasi kependudukan semester berjalan",
      goals={"previous": yearly("97.5", "96.8", "97", "97.3", "97.5"), "current": yearly("98", "97.7", "97.8", "97.9", "98")},
      values={"previous": Trend(96.6, 97.6, 0.05, 2), "current": Trend(97.5, 98.3, 0.05, 2)}),
    Ind("DISDUKCAPIL", "S1.2", "IKU-03", "Persentase anak usia 0–17 tahun yang memiliki akta kelahiran", "%", H, LAST,
      owner="DISDUKCAPIL-KABID-PDP", source="Data konsolidasi kependudukan semester berjalan",
      goals={"previous": yearly("93", "91", "91.5", "92", "93"), "current": yearly("95", "93.5", "94", "94.5", "95")},
      values={"previous": Trend(91, 93.2, 0.1, 2), "current": Trend(93.3, 94.6, 0.1, 2)}),
    Ind("DISDUKCAPIL", "S1.1", "IKU-04", "Jumlah KTP-el yang diterbitkan di Layanan Adminduk Kecamatan Plaju", "keping", H, SUM,
      owner="DISDUKCAPIL-PLAJU-OPERATOR",
      goals={"current": yearly("24000", "6000", "6000", "6000", "6000")},
      stream=Bound("ktp-el", "cases_completed", unit="DISDUKCAPIL-PLAJU")),
]  # fmt: skip
del Ind

#: How far each agency's agreement goes: every agreement of the previous year is agreed; in
#: the current year one waits for its head and one was returned.
AGREEMENT_STEPS = {
    "previous": {code: ["submit", "agree"] for code in {g.agency for g in GOALS}},
    "current": {
        "SETDA": ["submit"],
        "KEC-PLAJU": ["submit", "agree"],
        "DISDIK": ["submit", "return"],
        "DINKES": ["submit", "agree"],
        "DISDUKCAPIL": ["submit", "agree"],
    },
}
RETURN_NOTE = (
    "Target TW IV jumlah sekolah terakreditasi A perlu disesuaikan dengan jadwal visitasi "
    "BAN-PDM 2026; mohon diperbaiki lalu ajukan kembali."
)

#: One value corrected by its owner (the earlier one stays in the history) and one returned
#: by the verifier: (agency, indicator code, which recent period: -1 the last, -2 the one before).
CORRECTION = ("KEC-PLAJU", "IKU-02", -2)
CORRECTION_FIRST_VALUE_ABOVE = Decimal("3.4")
CORRECTION_NOTE = (
    "Koreksi: tiga pengaduan tanggal 15–17 tercatat ganda di buku register; persentase "
    "dihitung ulang dari SP4N-LAPOR!."
)
RETURNED = ("DINKES", "IKU-02", -1)
RETURNED_NOTE = (
    "Mohon lampirkan rekap kohort ibu hamil per kelurahan; angka bulan ini belum sama dengan "
    "laporan PWS KIA."
)
RECENT = 2  # the values of the last two months wait for verification

#: Evidence: (agency, indicator code, which recent period, file name stem, description).
EVIDENCE = [
    ("DISDUKCAPIL", "IKU-02", -1, "rekap", "Rekap konsolidasi perekaman KTP-el per kelurahan"),
    ("KEC-PLAJU", "IKU-02", -2, "rekap-pengaduan", "Rekap register pengaduan setelah koreksi"),
    ("DINKES", "IKU-03", -1, "register-rujukan", "Register rujukan SISRUTE"),
    ("KEC-PLAJU", "IKU-02", -1, "rekap-pengaduan", "Rekap register pengaduan masyarakat"),
    ("DISDIK", "IKU-01", -1, "daftar-hadir-bimtek", "Daftar hadir bimbingan teknis guru SD"),
]
MONTH_NAMES = [
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
    "oktober", "november", "desember",
]  # fmt: skip


#: The day the demo is loaded as; ``None``: today. Tests fix it, so that what they check does
#: not depend on the day they run (any day up to today is allowed: nothing lies in the future).
REFERENCE_DAY: date | None = None


def _today(today: date | None) -> date:
    return today or REFERENCE_DAY or timezone.localdate()


def _noise(key: str) -> float:
    """A fixed number in [-1, 1] for ``key``: the same on every load and every machine."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 0xFFFFFFFF * 2 - 1


def demo_years(today: date | None = None) -> dict[str, int]:
    today = _today(today)
    return {"previous": today.year - 1, "current": today.year}


def months_so_far(period_type: str, year: int, today: date | None = None) -> list[int]:
    """The months of ``year`` this kind of indicator reports in that have ended by ``today``."""
    today = _today(today)
    return sorted(
        m for m in services.PERIOD_MONTHS[period_type] if (year, m) < (today.year, today.month)
    )


def recent_months(today: date | None = None) -> set[tuple[int, int]]:
    """The last ``RECENT`` months before the present one, as (year, month)."""
    today = _today(today)
    index = today.year * 12 + today.month - 1
    return {(i // 12, i % 12 + 1) for i in range(index - RECENT, index)}


def planned_values(
    today: date | None = None,
) -> dict[tuple[str, str], dict[tuple[int, int], Decimal]]:
    """(agency, code) → {(year, month): value} of every manual indicator, oldest first."""
    years = demo_years(today)
    rows = {(r.agency, r.code): r for r in INDICATORS}
    result: dict[tuple[str, str], dict[tuple[int, int], Decimal]] = {}

    def value_of(row: IndicatorRow, which: str, year: int, month: int) -> Decimal:
        spec = row.values[which]
        key = f"{row.agency}/{row.code}/{year}-{month:02d}"
        if isinstance(spec, Share):
            whole = value_of(rows[(row.agency, spec.of)], which, year, month)
            share = whole * spec.pct.at(month, key) / 100
            return share.quantize(Decimal(1)).min(whole)
        return spec.at(month, key)

    for row in INDICATORS:
        if row.formula or row.stream:
            continue
        series = {}
        for which, year in years.items():
            if which not in row.values:
                continue
            for month in months_so_far(row.period_type, year, today):
                series[(year, month)] = value_of(row, which, year, month)
        result[(row.agency, row.code)] = series
    return result


def tiny_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF (A4, Helvetica) with ``lines`` of ASCII text."""

    def escape(text: str) -> str:
        text = text.encode("ascii", "replace").decode("ascii")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT /F1 12 Tf 72 770 Td 16 TL"]
    body += [f"({escape(line)}) Tj T*" for line in lines]
    body.append("ET")
    stream = "\n".join(body).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- Loading --------------------------------------------------------------------------------


class _People:
    """The demo's users by role, each checked against :mod:`.permissions` before acting."""

    def __init__(self):
        self.agencies = {a.code: a for a in Agency.objects.select_related("head_position")}
        self.users_by_employee = {
            u.employee_id: u
            for u in User.objects.filter(employee__isnull=False).select_related("employee")
        }
        by_nip = {u.employee.nip: u for u in self.users_by_employee.values()}
        self.pengelola = {
            code: by_nip[org_demo.nip_for(key)] for code, key in org_demo.PENGELOLA.items()
        }
        holders: dict[int, list] = {}
        for employee in Employee.objects.filter(active=True).order_by("nip"):
            holders.setdefault(employee.position_id, []).append(employee)
        self.holders = holders

    def user_of(self, employee_id: int):
        return self.users_by_employee[employee_id]

    def head(self, agency):
        position_id = agency.head_position_id
        return self.user_of(self.holders[position_id][0].pk)

    def enterer(self, indicator):
        """The holder of the owning position (first by NIP), else the Pengelola Kinerja."""
        if indicator.owner_position_id:
            return self.user_of(self.holders[indicator.owner_position_id][0].pk)
        return self.pengelola[indicator.agency.code]

    def verifier(self, indicator):
        ids = permissions.verifiers(indicator)
        employees = [e for group in self.holders.values() for e in group if e.pk in ids]
        return self.user_of(min(employees, key=lambda e: e.nip).pk)


def _refuse(message: str) -> org_demo.DemoError:
    return org_demo.DemoError(message)


def load(today: date | None = None) -> dict[str, int]:
    """Load the performance part of the demo; call it inside the demo's transaction and audit
    door, after the organisation. Returns counts of what was created."""
    today = _today(today)
    years = demo_years(today)
    counts = dict.fromkeys(
        ["plans", "goals", "strategic_targets", "indicators", "targets", "agreement_steps",
         "realisations", "verifications", "evidence"],
        0,
    )  # fmt: skip
    region = Region.objects.get(code="PLG")
    people = _People()

    # The plan and its missions.
    plan = Plan.objects.filter(region=region, start_year=PLAN_START).first()
    if plan is None:
        plan = services.plan_save(
            by=SYSTEM,
            region=region,
            title=PLAN_TITLE,
            start_year=PLAN_START,
            end_year=PLAN_END,
            vision=VISION,
            missions=MISSIONS,
        )
        counts["plans"] += 1
    missions = {m.number: m for m in Mission.objects.filter(plan=plan)}

    # Goals and strategic targets, kept as they are when they exist.
    goals = {(g.agency.code, g.code): g for g in Goal.objects.select_related("agency")}
    for row in GOALS:
        if (row.agency, row.code) not in goals:
            goals[(row.agency, row.code)] = services.goal_save(
                by=SYSTEM,
                agency=people.agencies[row.agency],
                mission=missions[row.mission],
                code=row.code,
                text=row.text,
            )
            counts["goals"] += 1
    targets = {(t.agency.code, t.code): t for t in StrategicTarget.objects.select_related("agency")}
    for row in TARGETS:
        if (row.agency, row.code) not in targets:
            targets[(row.agency, row.code)] = services.strategic_target_save(
                by=SYSTEM, goal=goals[(row.agency, row.goal)], code=row.code, text=row.text
            )
            counts["strategic_targets"] += 1

    # Indicators, in the order of the table (a formula's references come first).
    positions = {p.code: p for p in Position.objects.select_related("unit")}
    indicators = {
        (i.agency.code, i.code): i
        for i in Indicator.objects.select_related("agency", "owner_position")
    }
    streams = _streams()
    for row in INDICATORS:
        if (row.agency, row.code) in indicators:
            continue
        owner = positions[row.owner] if row.owner else None
        indicators[(row.agency, row.code)] = services.indicator_save(
            by=SYSTEM,
            agency=people.agencies[row.agency],
            values={
                "code": row.code,
                "name": row.name,
                "unit_of_measure": row.unit,
                "polarity": row.polarity,
                "aggregation": row.aggregation,
                "period_type": row.period_type,
                "data_source": _source(row),
                "formula": row.formula,
                "strategic_target": targets[(row.agency, row.target)],
                "owner_unit": owner.unit if owner else None,
                "owner_position": owner,
            },
            binding=_binding(row.stream, streams),
        )
        counts["indicators"] += 1

    # Targets and the performance agreements.
    have_targets = set(IndicatorTarget.objects.values_list("indicator_id", "year"))
    for which, year in years.items():
        for row in INDICATORS:
            spec = row.goals.get(which)
            indicator = indicators[(row.agency, row.code)]
            if spec is None or (indicator.pk, year) in have_targets:
                continue
            agreement = services.agreement_for(indicator.agency, year)
            if agreement is not None and not agreement.editable:
                continue  # agreed or awaiting the head since: leave it
            services.target_set(
                by=SYSTEM,
                indicator=indicator,
                year=year,
                value=_decimal(spec.value),
                low=_decimal(spec.low),
                high=_decimal(spec.high),
                quarters=[_quarter(q) for q in spec.quarters],
            )
            counts["targets"] += 1
        for agency_code, steps in AGREEMENT_STEPS[which].items():
            agency = people.agencies[agency_code]
            agreement = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
            if agreement is None or agreement.events.exists():
                continue  # no targets, or its story has begun: people own it now
            for action in steps:
                if action == "submit":
                    by = people.pengelola[agency_code]
                    allowed = permissions.can_manage(by, agency.pk)
                else:
                    by = people.head(agency)
                    allowed = permissions.can_agree(by, agreement)
                if not allowed:
                    raise _refuse(f"{by.username} may not {action} the agreement of {agency_code}")
                agreement = services.agreement_transition(
                    agreement=agreement,
                    action=action,
                    by=by,
                    note=RETURN_NOTE if action == "return" else "",
                )
                counts["agreement_steps"] += 1

    # Realisations: entered by the owner (or the Pengelola Kinerja), verified by the owner's
    # superior, except the most recent ones; one corrected and one returned.
    plans = planned_values(today)
    recorded = set(Realisation.objects.values_list("indicator_id", "year", "month"))
    for row in INDICATORS:
        if row.formula or row.stream:
            continue  # computed: from other indicators, or from a stream's cases
        indicator = indicators[(row.agency, row.code)]
        series = plans[(row.agency, row.code)]
        periods = list(series)
        if not periods:
            continue
        enterer, verifier = people.enterer(indicator), people.verifier(indicator)
        if not permissions.can_enter_realisation(enterer, indicator):
            raise _refuse(f"{enterer.username} may not enter {row.agency}/{row.code}")
        recent = recent_months(today)
        checked_verifier = False
        for index, (year, month) in enumerate(periods):
            if (indicator.pk, year, month) in recorded:
                continue
            value = series[(year, month)]
            position = index - len(periods)  # -1 for the last period
            texts = {"note": row.source}
            if year == years["current"] and (year, month) in recent:
                texts.update(supporting=row.supporting, hindering=row.hindering)
            if (row.agency, row.code, position) == CORRECTION:
                services.realisation_record(
                    indicator=indicator,
                    year=year,
                    month=month,
                    value=value + CORRECTION_FIRST_VALUE_ABOVE,
                    by=enterer,
                    **texts,
                )
                counts["realisations"] += 1
                texts["note"] = CORRECTION_NOTE
            realisation = services.realisation_record(
                indicator=indicator, year=year, month=month, value=value, by=enterer, **texts
            )
            counts["realisations"] += 1
            returned = (row.agency, row.code, position) == RETURNED
            if (year, month) in recent and not returned:
                continue
            if not checked_verifier:  # once per indicator: the answer is the same each month
                if not permissions.can_verify(verifier, realisation):
                    raise _refuse(f"{verifier.username} may not verify {realisation}")
                checked_verifier = True
            services.realisation_verify(
                realisation=realisation,
                by=verifier,
                accept=not returned,
                note=RETURNED_NOTE if returned else "",
            )
            counts["verifications"] += 1

    # A few evidence files on recent months.
    for agency_code, code, position, stem, description in EVIDENCE:
        indicator = indicators[(agency_code, code)]
        periods = list(plans[(agency_code, code)])
        if len(periods) < -position:
            continue
        year, month = periods[position]
        if Evidence.objects.filter(indicator=indicator, year=year, month=month).exists():
            continue
        name = f"{stem}-{MONTH_NAMES[month - 1]}-{year}.pdf"
        content = tiny_pdf(
            [
                f"{indicator.agency.name}",
                f"{indicator.code} {indicator.name}",
                f"{description}, {MONTH_NAMES[month - 1].title()} {year}",
                f"Realisasi: {plans[(agency_code, code)][(year, month)]} {indicator.unit_of_measure}",
                "Dokumen contoh untuk demo Kinerja.",
            ]
        )
        services.evidence_add(
            indicator=indicator,
            year=year,
            month=month,
            upload=ContentFile(content, name=name),
            description=description,
            by=people.enterer(indicator),
        )
        counts["evidence"] += 1
    return counts


def _source(row: IndicatorRow) -> str:
    if row.formula:
        return DataSource.FORMULA
    return DataSource.STREAM if row.stream else DataSource.MANUAL


def _streams() -> dict:
    """The demo's streams by code, created when missing (their events come later, from
    ``kinerja.streams.demo.load``): a bound indicator needs its stream to exist."""
    if not any(row.stream for row in INDICATORS):
        return {}
    from kinerja.streams import demo as streams_demo

    return {stream.code: stream for stream in streams_demo.ensure_streams()}


def _binding(bound: Bound | None, streams: dict) -> dict | None:
    """``services.indicator_save``'s ``binding`` for a stream-bound row."""
    if bound is None:
        return None
    return {
        "stream": streams[bound.stream],
        "metric": bound.metric,
        "unit": Unit.objects.get(code=bound.unit) if bound.unit else None,
        "duration_unit": bound.duration_unit,
    }


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _quarter(item):
    if item is None:
        return None
    if isinstance(item, tuple):
        return (Decimal(item[0]), Decimal(item[1]))
    return Decimal(item)
