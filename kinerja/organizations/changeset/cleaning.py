"""Cleaning the values of one row: codes, names, choices, NIPs, e-mail addresses.

Each cleaner turns a raw row into the files' canonical strings and collects precise errors;
rules that concern several rows live in :mod:`.engine`."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.core.nip import NipError, parse_nip
from kinerja.core.tabular.errors import RowError

from ..models import AgencyKind, EmployeeStatus, PositionKind, PositionLevel
from .records import Row, row_error

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "salah"}
MAX_TEXT = 200
MAX_EMAIL = 254

# --- Cleaning single values -----------------------------------------------------------------


def _text(value: object) -> str:
    return " ".join(("" if value is None else str(value)).split())


def _spelling(text: str) -> str:
    return _text(text).lower().replace(" ", "_")


def _choice(value: str, choices: type[models.TextChoices]) -> str | None:
    """Accept a choice by its code or by its label in any of the product's languages, ignoring
    case, spaces and underscores (a file made in English is read the same in Indonesian)."""
    wanted = _spelling(value)
    for code, label in choices.choices:
        spellings = {code}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                spellings.add(_spelling(str(label)))
        if wanted in spellings:
            return code
    return None


class _Cleaner:
    """Turns one raw row into canonical strings, collecting precise errors."""

    def __init__(self, sheet: str, row: Row, errors: list[RowError]):
        self.sheet, self.row, self.errors = sheet, row, errors
        self.out: dict[str, str] = {}

    def error(self, column: str, message: str) -> None:
        self.errors.append(row_error(self.sheet, self.row.number, column, message))

    def has(self, column: str) -> bool:
        return column in self.row.values

    def raw(self, column: str) -> str:
        return _text(self.row.values.get(column, ""))

    def required_text(self, column: str) -> None:
        if not self.has(column):
            return
        value = self.raw(column)
        if not value:
            self.error(column, _("This column must not be empty."))
        elif len(value) > MAX_TEXT:
            self.error(column, _("At most %(max)d characters.") % {"max": MAX_TEXT})
        else:
            self.out[column] = value

    def code(self, column: str, *, required: bool) -> None:
        if not self.has(column):
            return
        value = self.raw(column).upper()
        if not value:
            if required:
                self.error(column, _("This column must not be empty."))
            else:
                self.out[column] = ""
            return
        if not CODE_RE.match(value):
            self.error(
                column,
                _(
                    "'%(value)s' is not a valid code: use capital letters, digits, '.', '_' "
                    "or '-', at most 40 characters."
                )
                % {"value": value[:60]},
            )
            return
        self.out[column] = value

    def choice(
        self, column: str, choices: type[models.TextChoices], *, blank: bool = False
    ) -> None:
        if not self.has(column):
            return
        raw = self.raw(column)
        if not raw:
            if blank:
                self.out[column] = ""
            else:
                self.error(column, _("This column must not be empty."))
            return
        code = _choice(raw, choices)
        if code is None:
            self.error(
                column,
                _("'%(value)s' is not allowed; use one of: %(allowed)s.")
                % {"value": raw[:60], "allowed": ", ".join(choices.values)},
            )
            return
        self.out[column] = code


def _clean_agency(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("agencies", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.choice("jenis", AgencyKind)
    c.code("kode_jabatan_pimpinan", required=False)
    return c.out


def _clean_unit(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("units", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.code("kode_instansi", required=True)
    c.code("kode_induk", required=False)
    return c.out


def _clean_position(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("positions", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.choice("jenis", PositionKind)
    c.choice("jenjang", PositionLevel, blank=True)
    c.code("kode_unit", required=True)
    c.code("kode_atasan", required=False)
    return c.out


def _clean_employee(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("employees", row, errors)
    if c.has("nip"):
        try:
            c.out["nip"] = parse_nip(row.values["nip"]).value
        except NipError as exc:
            c.error("nip", " ".join(exc.messages))
    c.required_text("nama")
    if c.has("status"):
        status = c.raw("status")
        if not status:
            c.error("status", _("This column must not be empty."))
        elif status.lower() in EmployeeStatus.values:
            c.out["status"] = status.upper()
        else:
            c.error(
                "status", _("'%(value)s' is not allowed; use PNS or PPPK.") % {"value": status[:60]}
            )
    if c.has("golongan"):
        c.out["golongan"] = c.raw("golongan")  # checked against the status when resolving
    c.code("kode_unit", required=False)
    c.code("kode_jabatan", required=False)
    if c.has("email"):
        # Kept as written (not lower-cased), so that an exported address re-imports unchanged.
        email = c.raw("email")
        if email and len(email) > MAX_EMAIL:
            c.error("email", _("At most %(max)d characters.") % {"max": MAX_EMAIL})
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                c.error("email", _("'%(value)s' is not an e-mail address.") % {"value": email[:80]})
            else:
                c.out["email"] = email
        else:
            c.out["email"] = ""
    if c.has("aktif"):
        active = c.raw("aktif").lower()
        if active in TRUE_WORDS or active == "":
            c.out["aktif"] = "ya"
        elif active in FALSE_WORDS:
            c.out["aktif"] = "tidak"
        else:
            c.error("aktif", _("Write ya or tidak."))
    return c.out


CLEANERS = {
    "agencies": _clean_agency,
    "units": _clean_unit,
    "positions": _clean_position,
    "employees": _clean_employee,
}
DEFAULTS = {
    "agencies": {"kode_jabatan_pimpinan": ""},
    "units": {"kode_induk": ""},
    "positions": {"jenjang": "", "kode_atasan": ""},
    "employees": {"golongan": "", "kode_jabatan": "", "email": "", "aktif": "ya", "kode_unit": ""},
}
