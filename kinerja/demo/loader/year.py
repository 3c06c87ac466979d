"""The employees' year in the demo: the plans' data (``data/plans.yaml``), the story's data
(``data/story.yaml``) and :class:`Year`, what the plans part knows while it loads (who rates
whom, the plans and results made so far, the seeded draws)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kinerja.accounts.models import User
from kinerja.organizations.models import Employee, RaterChain
from kinerja.skp.rules import behaviour_values

from . import common, organisation

# --- The data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ind:
    """An indicator (IKI): aspect, text, target (``"95"``, ``"80-90"`` or ``""``) and unit.
    ``unit_binding`` (stream, metric, unit, duration_unit) fills the owner's own copy from the
    unit's service data; ``officer_binding`` (stream, metric, duration_unit) fills the copies
    handed out by the matrix to the bound officers."""

    aspect: str
    text: str
    target: str
    unit: str
    unit_binding: dict | None = None
    officer_binding: dict | None = None


@dataclass(frozen=True)
class Result:
    """A result (RHK); see ``data/plans.yaml``."""

    text: str
    indicators: tuple[Ind, ...]
    tag: str = ""
    supports: str = ""
    kind: str = "utama"
    iku: str = ""
    perspective: str = ""


@dataclass(frozen=True)
class Handout:
    """A row of the role-result matrix: the rater's result ``tag`` to the holders of the
    positions starting with ``to``, with the same targets (``volume`` None) or split."""

    rater: str
    tag: str
    to: str
    volume: str | None


@dataclass(frozen=True)
class Expectation:
    prefix: str
    suffix: str
    value: str
    text: str


def _ind(raw: list | dict) -> Ind:
    if isinstance(raw, list):
        aspect, text, target, unit = raw
        return Ind(aspect, text, str(target), unit)
    return Ind(**{**raw, "target": str(raw["target"])})


def _result(raw: dict) -> Result:
    return Result(**{**raw, "indicators": tuple(_ind(i) for i in raw["indicators"])})


def _filled(value, params: dict):
    """A template's value with its ``{name}`` fields filled in."""
    if isinstance(value, str):
        return value.format_map(params)
    if isinstance(value, list):
        return [_filled(v, params) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, params) for k, v in value.items()}
    return value


def _results(entries: list[dict], templates: dict[str, list[dict]]) -> list[Result]:
    """A plan's results; ``{use: NAME, …}`` stands for a template's results."""
    results = []
    for entry in entries:
        if "use" not in entry:
            results.append(_result(entry))
            continue
        params = {k: v for k, v in entry.items() if k != "use"}
        results += [_result(_filled(raw, params)) for raw in templates[entry["use"]]]
    return results


PLAN_DATA = common.read("plans")
#: Results by position code, and by person key where the person works elsewhere.
PLANS = {
    code: _results(entries, PLAN_DATA["templates"]) for code, entries in PLAN_DATA["plans"].items()
}
PERSON_PLANS = {
    key: _results(entries, PLAN_DATA["templates"])
    for key, entries in PLAN_DATA["person_plans"].items()
}
MATRIX = [Handout(**row) for row in PLAN_DATA["matrix"]]
OFFICERS_BOUND = set(PLAN_DATA["officers_bound"]["people"])
OFFICER_POSITIONS_BOUND = set(PLAN_DATA["officers_bound"]["positions"])
ATTACHMENT: dict[str, dict[str, str]] = PLAN_DATA["attachment"]
CONSEQUENCES: str = PLAN_DATA["consequences"]
QUALITATIVE = set(PLAN_DATA["qualitative_approach"])
EXPECTATIONS = [Expectation(**row) for row in PLAN_DATA["expectations"]]

STORY = common.read("story")
SEED: int = STORY["seed"]
RETURNED: dict[str, str] = STORY["returned"]
SUBMITTED_ONLY = set(STORY["submitted_only"])
NOT_RATED = set(STORY["not_rated"])
#: Profiles of the rated quarter decided by the story; the others are drawn.
PROFILES: dict[str, str] = STORY["profiles"]
DEVELOPMENT: dict = STORY["development"]
OBJECTION: dict = STORY["objection"]

COUNT_KEYS = [
    "plans", "results", "bound", "approved", "returned", "realisations", "feedback",
    "self_assessments", "org_predicates", "evaluations", "development_plans", "objections",
]  # fmt: skip


# --- Dates --------------------------------------------------------------------------------------


def rated_quarter(today: date) -> int:
    """The last quarter that has ended before ``today`` (the first while it runs)."""
    return max(1, (today.month - 1) // 3)


def month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


# --- The state of a load ------------------------------------------------------------------------


class Year:
    """The demo employees, their accounts and raters, and what the load has made so far."""

    def __init__(self, today: date, now: datetime, counts: dict[str, int]):
        self.today, self.now, self.counts = today, now, counts
        self.year = today.year
        self.quarter = rated_quarter(today)
        self.rng = random.Random(SEED)  # noqa: S311 - invented demo data, not security
        people = {organisation.nip_of(p): p for p in organisation.PEOPLE}
        self.person = people
        self.employees = {
            e.nip: e
            for e in Employee.objects.filter(nip__in=list(people), active=True).select_related(
                "position", "unit__agency"
            )
        }
        self.by_name = {people[nip].name: e for nip, e in self.employees.items()}
        self.users = {
            u.employee_id: u
            for u in User.objects.filter(employee__in=self.employees.values(), is_active=True)
        }
        chains = RaterChain.objects.filter(employee__in=self.employees.values())
        self.rater_of = {c.employee_id: c.rater_id for c in chains}
        self.values = {v.code: v for v in behaviour_values(self.year)}
        self.plans: dict[int, object] = {}  # employee id → Skp
        self.tagged: dict[tuple[int, str], object] = {}  # (employee id, tag) → Rhk
        self.first_main: dict[int, object] = {}
        self.profiles: dict[int, str] = {}  # employee id → SB, B or BP
        self.heads: dict[int, str] = {}  # employee id → code of the unit they head

    def user(self, employee_id: int):
        return self.users[employee_id]

    def employee(self, employee_id: int) -> Employee:
        return next(e for e in self.employees.values() if e.pk == employee_id)

    def name(self, employee) -> str:
        return self.person[employee.nip].name

    def title(self, employee_id: int) -> str:
        """Bapak or Ibu."""
        sex = self.person[self.employee(employee_id).nip].sex
        return STORY["titles"][sex]

    def order(self) -> list:
        """Employees from the top of each chain down (a rater before those they rate)."""
        depth: dict[int, int] = {}

        def depth_of(pk: int, seen: tuple = ()) -> int:
            if pk not in depth:
                rater = self.rater_of.get(pk)
                inside = rater is not None and rater in self.users and rater not in seen
                depth[pk] = depth_of(rater, (*seen, pk)) + 1 if inside else 0
            return depth[pk]

        return sorted(self.employees.values(), key=lambda e: (depth_of(e.pk), e.nip))

    def results_for(self, employee) -> list[Result]:
        who = self.person[employee.nip]
        if who.key in PERSON_PLANS:
            return PERSON_PLANS[who.key]
        return PLANS.get(employee.position.code, [])

    def supported(self, employee, tag: str):
        """The rater's result with ``tag``, else the rater's first main result."""
        rater = self.rater_of.get(employee.pk)
        if rater is None:
            return None
        return self.tagged.get((rater, tag)) or self.first_main.get(rater)

    def remember(self, employee, rhk, tag: str) -> None:
        if tag:
            self.tagged[(employee.pk, tag)] = rhk
        if rhk.kind == "utama":
            self.first_main.setdefault(employee.pk, rhk)

    def bound_officer(self, employee) -> bool:
        who = self.person[employee.nip]
        return who.key in OFFICERS_BOUND or employee.position.code in OFFICER_POSITIONS_BOUND

    def spec_of(self, rhk) -> Result | None:
        """The data row of a rater's result (to find the bindings of its handed-out copy)."""
        for (employee_id, tag), tagged in self.tagged.items():
            if tagged.pk == rhk.pk:
                employee = self.employee(employee_id)
                return next((r for r in self.results_for(employee) if r.tag == tag), None)
        return None

    def rating_moment(self) -> datetime:
        """Ratings of the quarter on the 3rd of the next month (due by the 5th), or now."""
        end = month_end(self.year, self.quarter * 3)
        return min(common.at(end + timedelta(days=3)), self.now)

    def period(self) -> str:
        """The rated quarter, e.g. ``2026-Q3``."""
        return f"{self.year}-Q{self.quarter}"
