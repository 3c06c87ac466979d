"""The organisation of the demo (``data/organisation.yaml``): the region, agencies, units,
positions, employees and their accounts and roles, one Plt and one rater override.

Everything goes through the operations (``region_set``, the organisation changeset, the
account operations, ``acting_start`` and ``override_start``), so the demo also exercises them
and its audit trail looks like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts import services as accounts
from kinerja.accounts.models import RoleAssignment, User
from kinerja.core.actors import SYSTEM
from kinerja.organizations import services as organizations
from kinerja.organizations.changeset import Row, apply_rows
from kinerja.organizations.models import ActingOfficial, Agency, Employee, Position, RaterOverride
from kinerja.organizations.models import Region as RegionModel

from .. import services as demo
from .common import DemoError, LoadResult, read


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    agency: str
    parent: str = ""


@dataclass(frozen=True)
class PositionRow:
    code: str
    name: str
    kind: str
    unit: str
    level: str = ""
    reports_to: str = ""


@dataclass(frozen=True)
class Person:
    position: str
    name: str
    sex: str  # "L" or "P"; digit 15 of the NIP
    born: str  # YYYYMMDD
    appointed: str  # YYYYMM
    rank: str
    status: str = "PNS"
    key: str = ""  # a handle for the accounts table, the Plt, the override and the story

    @property
    def sex_digit(self) -> str:
        return "1" if self.sex == "L" else "2"


@dataclass(frozen=True)
class DemoAccount:
    role: str  # the Role value (kinerja.accounts.models.Role)
    label: str  # the role's name as people in the agencies say it
    username: str
    description: str


DATA = read("organisation")
REGION: dict = DATA["region"]
AGENCIES: list[dict] = DATA["agencies"]
UNITS = [UnitRow(**row) for row in DATA["units"]]
POSITIONS = [PositionRow(**row) for row in DATA["positions"]]
PEOPLE = [Person(**row) for row in DATA["people"]]
PENGELOLA: dict[str, str] = DATA["pengelola"]
ACTING: dict = DATA["acting"]
VACANT_POSITION: str = ACTING["position"]
OVERRIDE: dict = DATA["override"]
SERVICE_USERS: list[dict] = DATA["service_users"]
NOT_IN_EMAIL = set(DATA["not_in_email"])
#: What the accounts table says of the service accounts (in the console's language).
SERVICE_ACCOUNTS = {
    "admin": gettext_lazy("Regional administrator (not an employee)"),
    "auditor": gettext_lazy("Read-only auditor of the whole region"),
}


# --- Derived values -------------------------------------------------------------------------


def nip_of(who: Person) -> str:
    """birth date, appointment month, sex digit, then a sequence number (1–7, never 000)."""
    sequence = PEOPLE.index(who) % 7 + 1
    return f"{who.born}{who.appointed}{who.sex_digit}{sequence:03d}"


def email_of(who: Person) -> str:
    words = [w for w in who.name.split(",")[0].split() if w.lower() not in NOT_IN_EMAIL]
    words = [w.replace(".", "").lower() for w in words]
    local = words[0] if len(words) == 1 else f"{words[0]}.{words[-1]}"
    return f"{local}@{DATA['email_domain']}"


def person(key: str) -> Person:
    return next(p for p in PEOPLE if p.key == key)


def nip_for(key: str) -> str:
    return nip_of(person(key))


def demo_account_rows() -> list[DemoAccount]:
    """One demo account per role, with the role's code (for tests and the README)."""
    positions = {p.code: p for p in POSITIONS}
    units = {u.code: u for u in UNITS}
    accounts_ = []
    for row in DATA["accounts"]:
        if "person" in row:
            who = person(row["person"])
            position = positions[who.position]
            description = f"{who.name} — {position.name}, {units[position.unit].name}"
            username = nip_of(who)
        else:
            username = row["username"]
            description = str(SERVICE_ACCOUNTS[username])
        accounts_.append(DemoAccount(row["role"], row["label"], username, description))
    return accounts_


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role label, username, description) of one demo account per role; every demo account
    signs in with the password ``kinerja-demo``."""
    return [(a.label, a.username, a.description) for a in demo_account_rows()]


def rows() -> dict[str, list[Row]]:
    """The organisation as the rows of an import file (see ``organizations.columns``)."""
    positions = {p.code: p for p in POSITIONS}

    def numbered(values: list[dict[str, str]]) -> list[Row]:
        return [Row(number, v) for number, v in enumerate(values, start=2)]

    return {
        "agencies": numbered(
            [
                {
                    "kode": a["code"],
                    "nama": a["name"],
                    "jenis": a["kind"],
                    "kode_jabatan_pimpinan": a["head"],
                }
                for a in AGENCIES
            ]
        ),
        "units": numbered(
            [
                {"kode": u.code, "nama": u.name, "kode_instansi": u.agency, "kode_induk": u.parent}
                for u in UNITS
            ]
        ),
        "positions": numbered(
            [
                {
                    "kode": p.code,
                    "nama": p.name,
                    "jenis": p.kind,
                    "jenjang": p.level,
                    "kode_unit": p.unit,
                    "kode_atasan": p.reports_to,
                }
                for p in POSITIONS
            ]
        ),
        "employees": numbered(
            [
                {
                    "nip": nip_of(p),
                    "nama": p.name,
                    "status": p.status,
                    "golongan": p.rank,
                    "kode_unit": positions[p.position].unit,
                    "kode_jabatan": p.position,
                    "email": email_of(p),
                    "aktif": "ya",
                }
                for p in PEOPLE
            ]
        ),
    }


# --- Loading --------------------------------------------------------------------------------


def load_organisation(result: LoadResult) -> None:
    """The organisation, the accounts and roles, the Plt and the override (what is in place
    stays)."""
    other = RegionModel.objects.exclude(code=REGION["code"]).first()
    if other is not None:
        # Never rename a real installation's region into the demo's.
        raise DemoError(
            _("This database serves %(name)s (%(code)s); the demo belongs in its own database.")
            % {"name": other.name, "code": other.code}
        )
    organizations.region_set(**REGION, by=SYSTEM)
    outcome = apply_rows(rows=rows(), by=SYSTEM, note="Plaju demo")
    if outcome.errors:
        raise DemoError("; ".join(str(e) for e in outcome.errors[:10]))
    result.counts = outcome.summary()
    by_key, service_users = _accounts(result)
    _roles(result, by_key, service_users)
    _acting_and_override(result, by_key)


def _accounts(result: LoadResult) -> tuple[dict[str, User], dict[str, User]]:
    """Every employee signs in by NIP, the service accounts by name; all with the demo
    password. The accounts of the people with a key, by key, and the service accounts, by
    username."""
    by_nip = Employee.objects.in_bulk([nip_of(p) for p in PEOPLE], field_name="nip")
    existing = set(
        User.objects.filter(employee__in=by_nip.values()).values_list("employee_id", flat=True)
    )
    users = [
        organizations.account_for_employee(employee=by_nip[nip_of(p)], by=SYSTEM) for p in PEOPLE
    ]
    result.accounts_created = sum(1 for u in users if u.employee_id not in existing)
    service_users = {}
    for row in SERVICE_USERS:
        user, created = demo.service_account_create(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            by=SYSTEM,
        )
        result.accounts_created += int(created)
        service_users[row["username"]] = user
    demo.demo_password_set(users=[*users, *service_users.values()], by=SYSTEM)
    by_key = {p.key: user for p, user in zip(PEOPLE, users, strict=True) if p.key}
    return by_key, service_users


def _roles(result: LoadResult, by_key: dict[str, User], service_users: dict[str, User]) -> None:
    """The assigned roles (the others follow from the tree)."""
    before = RoleAssignment.objects.count()
    for row in SERVICE_USERS:
        accounts.role_assign(user=service_users[row["username"]], role=row["role"], by=SYSTEM)
    agencies = Agency.objects.in_bulk(list(PENGELOLA), field_name="code")
    for agency_code, key in PENGELOLA.items():
        accounts.role_assign(
            user=by_key[key], role="pengelola_kinerja", agency=agencies[agency_code], by=SYSTEM
        )
    result.roles_assigned = RoleAssignment.objects.count() - before


def _acting_and_override(result: LoadResult, by_key: dict[str, User]) -> None:
    """One vacancy covered by a Plt, and one recorded override, so both show on the
    profiles."""
    vacant = Position.objects.get(code=VACANT_POSITION)
    if not ActingOfficial.objects.filter(position=vacant, ended_at=None).exists():
        organizations.acting_start(
            position=vacant,
            employee=by_key[ACTING["person"]].employee,
            kind=ACTING["kind"],
            reason=ACTING["reason"],
            by=SYSTEM,
        )
        result.acting_started = True
    seconded = by_key[OVERRIDE["person"]].employee
    if not RaterOverride.objects.filter(employee=seconded, ended_at=None).exists():
        organizations.override_start(
            employee=seconded,
            rater=by_key[OVERRIDE["rater"]].employee,
            reason=OVERRIDE["reason"],
            by=SYSTEM,
        )
        result.override_started = True
