"""The indicator workbook's sheets and columns (Indikator, Target, Realisasi), and the words
its cells may use for the indicator's choices (Indonesian and English)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from kinerja.core.tabular.columns import Column, Sheet
from kinerja.core.texts import formatted

from ..models import (
    Aggregation,
    DataSource,
    LowerFormula,
    PeriodType,
    Polarity,
    RangeAbove,
)

INDICATORS = Sheet(
    "indicators",
    "Indikator",
    "kode",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column(
            "kode",
            True,
            gettext_lazy(
                "Indicator code, unique in the agency: capital letters, digits, '.', '_' or '-'"
            ),
            "IKU-01",
        ),
        Column(
            "nama",
            True,
            gettext_lazy("Name of the indicator"),
            "Waktu respons penanganan kegawatdaruratan",
        ),
        Column("satuan", True, gettext_lazy("Unit of measure"), "menit"),
        Column(
            "polaritas",
            True,
            gettext_lazy(
                "higher_is_better (or: semakin tinggi semakin baik), lower_is_better (or: "
                "semakin rendah semakin baik) or range (or: rentang)"
            ),
            "lower_is_better",
        ),
        Column(
            "agregasi",
            True,
            gettext_lazy(
                "How months combine into quarters and the year: sum (jumlah), average "
                "(rata-rata) or last (terakhir)"
            ),
            "average",
        ),
        Column(
            "periode",
            False,
            gettext_lazy(
                "Reporting period: monthly (bulanan), quarterly (triwulanan) or yearly "
                "(tahunan); empty means monthly"
            ),
            "monthly",
        ),
        Column(
            "sumber",
            False,
            gettext_lazy(
                "Data source: manual (entered by hand, with evidence) or formula (rumus); "
                "empty means manual"
            ),
            "manual",
        ),
        Column(
            "rumus",
            False,
            gettext_lazy(
                "Only when the source is formula: other indicators of the agency by code in "
                "braces, with + - * / ( ) min max if"
            ),
            "{IKU-01} / {IKU-02} * 100",
        ),
        Column(
            "rumus_lebih_rendah",
            False,
            gettext_lazy(
                "For lower is better: standard ((2 − R/T) × 100) or inverse (kebalikan, T/R × "
                "100); empty means standard"
            ),
            "standard",
        ),
        Column(
            "di_atas_rentang",
            False,
            gettext_lazy(
                "For a range, a realisation above it: penalize (counts as lower is better) or "
                "full (penuh, still 100 %); empty means penalize"
            ),
            "penalize",
        ),
        Column(
            "kode_sasaran",
            False,
            gettext_lazy("Code of the agency's strategic target (sasaran) the indicator serves"),
            "S1.1",
        ),
        Column(
            "kode_unit_pemilik",
            False,
            gettext_lazy("Code of the unit that owns the indicator"),
            "DINKES-YANKES",
        ),
        Column(
            "kode_jabatan_pemilik",
            False,
            gettext_lazy(
                "Code of the position whose holder enters the realisations (the holder's rater "
                "verifies them)"
            ),
            "DINKES-KABID-YANKES",
        ),
        Column("aktif", False, gettext_lazy("ya or tidak; empty means ya"), "ya"),
    ),
    errors_by_title=True,
)

_QUARTER_COLUMNS = tuple(
    Column(
        f"tw{q}",
        False,
        formatted(
            gettext_lazy(
                "Target of quarter (TW) %(q)d alone, not cumulative; for a range leave it empty "
                "and fill tw%(q)d_bawah and tw%(q)d_atas"
            ),
            {"q": q},
        ),
        "15",
    )
    for q in range(1, 5)
)
_QUARTER_RANGE_COLUMNS = tuple(
    Column(
        f"tw{q}_{side}",
        False,
        formatted(
            gettext_lazy("Range indicators: lower bound of the target of TW %(q)d")
            if side == "bawah"
            else gettext_lazy("Range indicators: upper bound of the target of TW %(q)d"),
            {"q": q},
        ),
        "80" if side == "bawah" else "90",
    )
    for q in range(1, 5)
    for side in ("bawah", "atas")
)

TARGETS = Sheet(
    "targets",
    "Target",
    "kode_indikator",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column("kode_indikator", True, gettext_lazy("Code of the indicator"), "IKU-01"),
        Column("tahun", True, gettext_lazy("Year of the performance agreement (PK)"), "2026"),
        Column(
            "target",
            False,
            gettext_lazy(
                "Yearly target; a decimal comma or point, no thousands separator. For a range "
                "leave it empty and fill target_bawah and target_atas"
            ),
            "15",
        ),
        Column(
            "target_bawah",
            False,
            gettext_lazy("Range indicators: lower bound of the yearly target"),
            "80",
        ),
        Column(
            "target_atas",
            False,
            gettext_lazy("Range indicators: upper bound of the yearly target"),
            "90",
        ),
        *_QUARTER_COLUMNS,
        *_QUARTER_RANGE_COLUMNS,
    ),
    errors_by_title=True,
)

REALISATIONS = Sheet(
    "realisations",
    "Realisasi",
    "kode_indikator",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column("kode_indikator", True, gettext_lazy("Code of the indicator"), "IKU-01"),
        Column(
            "periode",
            True,
            gettext_lazy(
                "Month as YYYY-MM, written as text; quarterly indicators report in 03, 06, 09 and "
                "12, yearly ones in 12"
            ),
            "2026-03",
        ),
        Column(
            "nilai",
            True,
            gettext_lazy("The measured value; a decimal comma or point, no thousands separator"),
            "14,5",
        ),
        Column(
            "catatan",
            False,
            gettext_lazy("How the value was measured"),
            "Rekap register IGD Maret",
        ),
        Column(
            "faktor_pendukung",
            False,
            gettext_lazy("What helped"),
            "Ambulans kedua siaga di Puskesmas Plaju",
        ),
        Column(
            "faktor_penghambat",
            False,
            gettext_lazy("What hindered"),
            "Banjir di Jalan Kapten Abdullah",
        ),
    ),
    errors_by_title=True,
)

SHEETS: dict[str, Sheet] = {s.key: s for s in (INDICATORS, TARGETS, REALISATIONS)}
ORDER = ["indicators", "targets", "realisations"]
NUMBER_COLUMNS = frozenset(
    ["target", "target_bawah", "target_atas", "nilai"]
    + [c.name for c in _QUARTER_COLUMNS + _QUARTER_RANGE_COLUMNS]
)
QUARTER_COLUMN_NAMES = frozenset(c.name for c in _QUARTER_COLUMNS + _QUARTER_RANGE_COLUMNS)
#: Written as text so that Excel keeps leading zeros and does not turn 2026-03 into a date.
TEXT_COLUMNS = frozenset(
    [
        "kode_instansi",
        "kode",
        "kode_indikator",
        "kode_sasaran",
        "kode_unit_pemilik",
        "kode_jabatan_pemilik",
        "periode",
        "rumus",
    ]
)


def words_of(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _choices(mapping: dict[str, Iterable[str]]) -> dict[str, str]:
    """``{stored value: [other words]}`` → ``{normalised word: stored value}``."""
    table = {}
    for value, words in mapping.items():
        for word in (value, *words):
            table[words_of(word)] = value
    return table


POLARITY_WORDS = _choices(
    {
        Polarity.HIGHER: [
            "semakin tinggi semakin baik",
            "makin tinggi makin baik",
            "lebih tinggi lebih baik",
            "tinggi",
            "naik",
        ],
        Polarity.LOWER: [
            "semakin rendah semakin baik",
            "makin rendah makin baik",
            "lebih rendah lebih baik",
            "rendah",
            "turun",
        ],
        Polarity.RANGE: ["rentang", "target rentang"],
    }
)
AGGREGATION_WORDS = _choices(
    {
        Aggregation.SUM: ["jumlah", "total", "kumulatif"],
        Aggregation.AVERAGE: ["rata-rata", "rata rata", "rerata"],
        Aggregation.LAST: ["terakhir", "nilai terakhir"],
    }
)
PERIOD_WORDS = _choices(
    {
        PeriodType.MONTHLY: ["bulanan"],
        PeriodType.QUARTERLY: ["triwulanan", "triwulan"],
        PeriodType.YEARLY: ["tahunan"],
    }
)
SOURCE_WORDS = _choices({DataSource.MANUAL: ["input", "isian"], DataSource.FORMULA: ["rumus"]})
LOWER_FORMULA_WORDS = _choices(
    {LowerFormula.STANDARD: ["standar", "baku"], LowerFormula.INVERSE: ["kebalikan", "terbalik"]}
)
RANGE_ABOVE_WORDS = _choices(
    {RangeAbove.PENALIZE: ["kurangi", "dikurangi"], RangeAbove.FULL: ["penuh"]}
)
YES_WORDS = {"ya", "y", "yes", "true", "1", "aktif"}
NO_WORDS = {"tidak", "t", "no", "false", "0", "nonaktif", "non aktif", "tidak aktif"}

#: Indicator sheet columns → the operation's field, with the word table and the default.
WORD_COLUMNS = {
    "polaritas": ("polarity", POLARITY_WORDS, None),
    "agregasi": ("aggregation", AGGREGATION_WORDS, None),
    "periode": ("period_type", PERIOD_WORDS, PeriodType.MONTHLY),
    "sumber": ("data_source", SOURCE_WORDS, DataSource.MANUAL),
    "rumus_lebih_rendah": ("lower_formula", LOWER_FORMULA_WORDS, LowerFormula.STANDARD),
    "di_atas_rentang": ("range_above", RANGE_ABOVE_WORDS, RangeAbove.PENALIZE),
}
#: Where an operation's field error shows: its column.
INDICATOR_FIELD_COLUMNS = {
    "code": "kode",
    "name": "nama",
    "unit_of_measure": "satuan",
    "polarity": "polaritas",
    "aggregation": "agregasi",
    "period_type": "periode",
    "data_source": "sumber",
    "formula": "rumus",
    "lower_formula": "rumus_lebih_rendah",
    "range_above": "di_atas_rentang",
    "strategic_target": "kode_sasaran",
    "owner_unit": "kode_unit_pemilik",
    "owner_position": "kode_jabatan_pemilik",
    "active": "aktif",
}
