"""The NIP (Nomor Induk Pegawai): 18 digits that carry a birth date, an appointment month, a
sex digit and a sequence number (domain.md §1).

``parse_nip`` returns the parts or raises :class:`NipError` with a precise, translated reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A civil servant is appointed at 18 at the earliest (UU ASN); nobody alive was born before 1900.
MIN_APPOINTMENT_AGE = 18
EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointed_year: int
    appointed_month: int
    sex: str  # "L" (laki-laki, 1) or "P" (perempuan, 2)
    sequence: int


class NipError(ValidationError):
    pass


def normalize_nip(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between the NIP's groups."""
    return re.sub(r"[\s.\-]", "", str(raw or ""))


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    value = normalize_nip(raw)
    if not value:
        raise NipError(_("NIP is required."), code="required")
    if not value.isascii() or not value.isdigit():
        raise NipError(_("NIP may contain digits only."), code="digits")
    if len(value) != 18:
        raise NipError(
            _("NIP must have 18 digits (this one has %(count)d)."),
            code="length",
            params={"count": len(value)},
        )
    today = today or timezone.localdate()
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise NipError(
            _("Digits 1–8 of the NIP must be a real birth date (YYYYMMDD); %(part)s is not."),
            code="birth_date",
            params={"part": value[0:8]},
        ) from None
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        raise NipError(
            _("The birth date in the NIP (%(part)s) is not plausible."),
            code="birth_date",
            params={"part": value[0:8]},
        )
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise NipError(
            _("Digits 13–14 of the NIP must be the appointment month (01–12); %(part)s is not."),
            code="appointment",
            params={"part": value[12:14]},
        )
    if (year, month) > (today.year, today.month):
        raise NipError(
            _("The appointment month in the NIP (%(part)s) lies in the future."),
            code="appointment",
            params={"part": value[8:14]},
        )
    if (year, month) < (birth.year + MIN_APPOINTMENT_AGE, birth.month):
        raise NipError(
            _("The appointment month in the NIP (%(part)s) is before the employee turned %(age)d."),
            code="appointment",
            params={"part": value[8:14], "age": MIN_APPOINTMENT_AGE},
        )
    sex_digit = value[14]
    if sex_digit not in "12":
        raise NipError(
            _("Digit 15 of the NIP must be 1 (male) or 2 (female); it is %(part)s."),
            code="sex",
            params={"part": sex_digit},
        )
    sequence = int(value[15:18])
    if sequence == 0:
        raise NipError(_("The last three digits of the NIP cannot be 000."), code="sequence")
    return Nip(value, birth, year, month, "L" if sex_digit == "1" else "P", sequence)


def validate_nip(raw: str) -> None:
    """Django field validator."""
    parse_nip(raw)


def format_nip(value: str) -> str:
    """The way NIPs are printed on official documents: 19850312 201001 1 002."""
    if len(value) != 18:
        return value
    return f"{value[0:8]} {value[8:14]} {value[14]} {value[15:18]}"
