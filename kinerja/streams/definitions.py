"""Stream definitions: reading the stream file and checking a definition — one validator for
``kinerja streams load FILE`` and the administrator's edit form (service-data-api.md,
"Streams").

The file is YAML (read with PyYAML's ``safe_load``) or JSON (a ``.json`` name), with a
top-level ``streams:`` list::

    streams:
      - code: ktp-el                     # [a-z0-9-]{2,40}, unique in the file
        name: Penerbitan KTP-el          # 1–200 characters
        agency: DISDUKCAPIL              # a known agency code
        stages: [diajukan, diverifikasi, dicetak, diserahkan]   # unique, [a-z0-9_-]{1,40}
        start: diajukan                  # one of the stages: the stage that opens a case
        end: diserahkan                  # another of the stages: the stage that completes it
        sla: {limit: 8, unit: working_hours}   # limit > 0 (at most 2 decimals);
                                               # unit: minutes | hours | days | working_hours

Nothing else is accepted: an unknown key is far more often a typing error (``stage:`` for
``stages:``) than a wish, and a silently ignored line would be worse than a refusal. Every
error names the stream (its index in the list, from 0, and its code) and the field
(``stages[2]``, ``sla.limit``), and one error refuses the whole file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from kinerja.organizations.models import Agency

from .models import SlaUnit

CODE = re.compile(r"[a-z0-9-]{2,40}")
STAGE = re.compile(r"[a-z0-9_-]{1,40}")
MAX_NAME = 200
MAX_STAGES = 100
# Stream.sla_limit is a DecimalField(max_digits=10, decimal_places=2).
SLA_PLACES = 2
SLA_MAX = Decimal(10) ** (10 - SLA_PLACES)
KEYS = ("code", "name", "agency", "stages", "start", "end", "sla")
SLA_KEYS = ("limit", "unit")
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StreamDefinition:
    """A checked definition, ready to be stored."""

    code: str
    name: str
    agency_code: str
    agency_id: int
    stages: tuple[str, ...]
    start: str
    end: str
    sla_limit: Decimal
    sla_unit: str


@dataclass(frozen=True)
class DefinitionError:
    """One thing wrong: ``index`` and ``code`` name the stream (``None`` for the file itself),
    ``field`` the key (``stages[2]``, ``sla.limit``)."""

    index: int | None
    code: str | None
    field: str
    message: str

    @property
    def where(self) -> str:
        if self.index is None:
            stream = _("the file")
        else:
            stream = f"streams[{self.index}]"
            if self.code:
                stream += f" ({self.code})"
        return f"{stream}, {self.field}" if self.field else stream

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class DefinitionsRefused(Exception):
    """Nothing is stored; ``errors`` says why, stream by stream and field by field."""

    def __init__(self, errors: list[DefinitionError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# --- Reading the file ----------------------------------------------------------------------------


def read_file(path: str | Path) -> object:
    """The parsed content of a stream file (not yet checked); ``DefinitionsRefused`` when it
    cannot be read or parsed, naming the line and column."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_error(_("The file is larger than 1 MiB; a stream file is a few lines."))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _file_error(_("The file is not UTF-8 text.")) from None
    except OSError as exc:
        raise _file_error(
            _("The file cannot be read: %(reason)s") % {"reason": exc.strerror or exc}
        ) from None
    return parse_text(text, json_format=path.suffix.lower() == ".json")


def parse_text(text: str, *, json_format: bool = False) -> object:
    if json_format:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _file_error(
                _("Not valid JSON at line %(line)d, column %(column)d: %(problem)s")
                % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or ""
        if mark is None:
            message = _("Not valid YAML: %(problem)s") % {"problem": problem}
        else:
            message = _("Not valid YAML at line %(line)d, column %(column)d: %(problem)s") % {
                "line": mark.line + 1,
                "column": mark.column + 1,
                "problem": problem,
            }
        raise _file_error(message) from None
    except yaml.YAMLError as exc:
        raise _file_error(_("Not valid YAML: %(problem)s") % {"problem": exc}) from None


def _file_error(message: str) -> DefinitionsRefused:
    return DefinitionsRefused([DefinitionError(None, None, "", message)])


# --- Checking ------------------------------------------------------------------------------------


def agency_ids() -> dict[str, int]:
    return dict(Agency.objects.values_list("code", "pk"))


def check_file(
    data: object, *, agencies: Mapping[str, int] | None = None
) -> list[StreamDefinition]:
    """Every stream of a parsed file checked; raises ``DefinitionsRefused`` with every error."""
    if not isinstance(data, dict) or "streams" not in data:
        raise _file_error(
            _("The file must have a top-level 'streams:' list (see docs/streams.example.yaml).")
        )
    unknown = sorted(str(k) for k in data if k != "streams")
    if unknown:
        raise _file_error(
            _("Unknown top-level key(s) %(keys)s; only 'streams' is read.")
            % {"keys": ", ".join(unknown)}
        )
    raws = data["streams"]
    if not isinstance(raws, list) or not raws:
        raise DefinitionsRefused(
            [DefinitionError(None, None, "streams", _("'streams' must be a non-empty list."))]
        )
    agencies = agency_ids() if agencies is None else agencies
    errors: list[DefinitionError] = []
    definitions: list[StreamDefinition] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raws):
        definition = check_stream(raw, index=index, agencies=agencies, errors=errors)
        if definition is None:
            continue
        if definition.code in first_index:
            errors.append(
                DefinitionError(
                    index,
                    definition.code,
                    "code",
                    _("The code is used already by streams[%(first)d]; codes are unique.")
                    % {"first": first_index[definition.code]},
                )
            )
            continue
        first_index[definition.code] = index
        definitions.append(definition)
    if errors:
        raise DefinitionsRefused(errors)
    return definitions


def check_stream(
    raw: object,
    *,
    index: int | None,
    agencies: Mapping[str, int],
    errors: list[DefinitionError],
) -> StreamDefinition | None:
    """One stream's definition (a mapping with the file's keys) checked: the definition, or
    ``None`` with its errors appended. The edit form builds the same mapping, so the web and
    the file obey exactly the same rules."""
    if not isinstance(raw, dict):
        errors.append(
            DefinitionError(index, None, "", _("Each stream must be a mapping of its keys."))
        )
        return None
    code_raw = raw.get("code")
    code = code_raw if isinstance(code_raw, str) and CODE.fullmatch(code_raw) else None
    before = len(errors)

    def fail(field: str, message: str) -> None:
        errors.append(DefinitionError(index, code, field, message))

    _check_keys(raw, fail)
    if "code" in raw and code_raw is not None and code is None:
        fail(
            "code",
            _("'%(value)s' is not a stream code: 2–40 small letters, digits or '-', e.g. ktp-el.")
            % {"value": _shown(code_raw)},
        )
    name = _check_name(raw.get("name"), fail)
    agency_code, agency_id = _check_agency(raw.get("agency"), agencies, fail)
    stages = _check_stages(raw.get("stages"), fail)
    start = _check_end_stage(raw.get("start"), "start", stages, fail)
    end = _check_end_stage(raw.get("end"), "end", stages, fail)
    if start is not None and start == end:
        fail("end", _("The end stage must differ from the start stage."))
    sla_limit, sla_unit = _check_sla(raw.get("sla"), fail)

    if len(errors) > before:
        return None
    return StreamDefinition(
        code=code,
        name=name,
        agency_code=agency_code,
        agency_id=agency_id,
        stages=tuple(stages),
        start=start,
        end=end,
        sla_limit=sla_limit,
        sla_unit=sla_unit,
    )


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _check_keys(raw: dict, fail) -> None:
    """Every key known, none missing."""
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        fail(
            unknown[0] if len(unknown) == 1 else "",
            _("Unknown key(s) %(keys)s; a stream has %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(KEYS)},
        )
    for key in KEYS:
        if key not in raw or raw[key] is None:
            fail(key, _("Missing; every stream has %(known)s.") % {"known": ", ".join(KEYS)})


def _check_name(value: object, fail) -> str | None:
    """The name on one line, spaces collapsed; ``None`` when missing or wrong."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        fail("name", _("Give the stream a name, e.g. Penerbitan KTP-el."))
        return None
    if len(value.strip()) > MAX_NAME:
        fail("name", _("At most %(n)d characters.") % {"n": MAX_NAME})
        return None
    return " ".join(value.split())


def _check_agency(
    value: object, agencies: Mapping[str, int], fail
) -> tuple[str | None, int | None]:
    """The agency's code (upper case) and key; no key when missing or unknown."""
    if value is None:
        return None, None
    agency_code = value.strip().upper() if isinstance(value, str) else None
    agency_id = agencies.get(agency_code) if agency_code else None
    if agency_id is None:
        fail(
            "agency",
            _("'%(value)s' is not the code of a known agency (e.g. DINKES).")
            % {"value": _shown(value)},
        )
    return agency_code, agency_id


def _check_stages(value: object, fail) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        fail("stages", _("A list of stages in order, e.g. [diajukan, diverifikasi, diserahkan]."))
        return None
    if len(value) > MAX_STAGES:
        fail("stages", _("At most %(n)d stages.") % {"n": MAX_STAGES})
        return None
    ok = True
    seen: dict[str, int] = {}
    for position, stage in enumerate(value):
        field = f"stages[{position}]"
        if not isinstance(stage, str):
            # YAML reads on, off, yes, no, true, false and numbers as other things.
            fail(field, _("%(value)s is not text; put the stage in quotes.") % {"value": stage})
            ok = False
        elif not STAGE.fullmatch(stage):
            fail(
                field,
                _(
                    "'%(value)s' is not a stage name: 1–40 small letters, digits, '_' or '-', "
                    "e.g. diverifikasi."
                )
                % {"value": _shown(stage)},
            )
            ok = False
        elif stage in seen:
            fail(
                field,
                _("'%(value)s' is listed already as stages[%(first)d]; stages are unique.")
                % {"value": stage, "first": seen[stage]},
            )
            ok = False
        else:
            seen[stage] = position
    return list(value) if ok else None


def _check_end_stage(value: object, field: str, stages: list[str] | None, fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        fail(field, _("Name one of the stages, e.g. diajukan."))
        return None
    if stages is None:
        return None  # the stages are wrong already; that error says enough
    if value not in stages:
        fail(
            field,
            _("'%(value)s' is not one of the stages (%(stages)s).")
            % {"value": _shown(value), "stages": ", ".join(stages)},
        )
        return None
    return value


def _check_sla(value: object, fail) -> tuple[Decimal | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        fail("sla", _("Write the service level as {limit: 8, unit: working_hours}."))
        return None, None
    unknown = sorted(str(k) for k in value if k not in SLA_KEYS)
    if unknown:
        fail(
            "sla",
            _("Unknown key(s) %(keys)s; the service level has limit and unit.")
            % {"keys": ", ".join(unknown)},
        )
    limit = _check_limit(value.get("limit"), fail)
    unit = value.get("unit")
    if unit is None:
        fail("sla.unit", _("Missing; one of %(units)s.") % {"units": _units()})
    elif not isinstance(unit, str) or unit not in SlaUnit.values:
        fail(
            "sla.unit",
            _("'%(value)s' is not a unit; one of %(units)s.")
            % {"value": _shown(unit), "units": _units()},
        )
        unit = None
    return limit, unit


def _units() -> str:
    return " | ".join(SlaUnit.values)


def _check_limit(value: object, fail) -> Decimal | None:
    if value is None:
        fail("sla.limit", _("Missing; a number greater than 0, e.g. 8."))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        fail("sla.limit", _("'%(value)s' is not a number, e.g. 8.") % {"value": _shown(value)})
        return None
    # A float through its shortest text, so that 0.1 stays 0.1.
    limit = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not limit.is_finite() or limit <= 0:
        fail("sla.limit", _("The limit must be a number greater than 0, e.g. 8."))
        return None
    if limit >= SLA_MAX:
        fail("sla.limit", _("The limit is too large."))
        return None
    if limit != limit.quantize(Decimal(1).scaleb(-SLA_PLACES), rounding=ROUND_DOWN):
        fail("sla.limit", _("At most %(n)d decimal places, e.g. 1.5.") % {"n": SLA_PLACES})
        return None
    return limit


def limit_text(value: Decimal) -> str:
    """A limit as people write it: ``8``, ``1.5`` (not ``8.00``)."""
    return format(value.normalize(), "f")
