"""Ranks (pangkat/golongan) of PNS and the salary grades (golongan) of PPPK.

These are fixed by national law (PP 99/2000 for PNS ranks, Perpres 98/2020 for PPPK grades);
they change with a new law, not a new year, so they live here rather than in a yearly table.
"""

from django.utils.translation import gettext_lazy as _

PNS_RANKS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

PPPK_GRADES: list[str] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
]  # fmt: skip


def normalize_rank(status: str, raw: str) -> str:
    """The canonical spelling of a rank (``iii/a`` → ``III/a``, ``ix`` → ``IX``), or ``""``."""
    text = str(raw or "").strip().replace(" ", "")
    if status == "pns":
        if "/" not in text:
            return ""
        roman, letter = text.split("/", 1)
        candidate = f"{roman.upper()}/{letter.lower()}"
        return candidate if candidate in PNS_RANKS else ""
    candidate = text.upper()
    return candidate if candidate in PPPK_GRADES else ""


def rank_label(status: str, code: str) -> str:
    if status == "pns" and code in PNS_RANKS:
        return f"{PNS_RANKS[code]} ({code})"
    if status == "pppk" and code:
        return str(_("Grade %(code)s") % {"code": code})
    return code
