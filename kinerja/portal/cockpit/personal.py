"""What an employee and a rater see on their home page: the employee's plan and its next step,
this period's IKI values with their trend over the year's periods, the latest feedback and the
development actions due; the rater's team at a glance (on track or slipping in the period open
for rating, by the results rating the rules suggest) with what waits for the rater. Values from
``skp.selectors.iki_values_for_periods``, ``evaluations.selectors.suggestion_for`` and
``feedback_of``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.periods import Period
from kinerja.core.rules import achievement_rules
from kinerja.evaluations.models import DevelopmentAction, DevelopmentState, Feedback, Rating
from kinerja.evaluations.selectors import feedback_of, suggestion_for
from kinerja.organizations.models import Employee
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import agency_periods
from kinerja.skp.selectors import IkiValue, iki_values_for_periods
from kinerja.skp.verification import IkiRealisationState

from .common import is_slipping, rating_period, started_periods

FEEDBACK_SHOWN = 3
#: a plan not approved yet has no values to judge: its state is shown instead
NOT_APPROVED = {SkpState.DRAFT, SkpState.SUBMITTED, SkpState.RETURNED}


@dataclass
class IkiRow:
    value: IkiValue  # in the current period
    trend: list[float | None]  # achievement per period begun, oldest first
    slipping: bool = False


@dataclass
class MyHome:
    skp: Skp | None
    next_step: str
    next_url: str
    period: Period | None = None
    periods: list[str] = field(default_factory=list)  # the trend's labels
    rows: list[IkiRow] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    due: list[DevelopmentAction] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        return {
            "periods": self.periods,
            "series": {str(r.value.iki.pk): r.trend for r in self.rows},
        }


def _next_step(skp: Skp | None) -> tuple[str, str]:
    """What the employee does next with their plan, and where."""
    if skp is None:
        return _("Start your plan (SKP) for this year."), reverse("skp:start")
    detail = reverse("skp:detail", args=[skp.pk])
    steps = {
        SkpState.DRAFT: (_("Complete your plan and submit it to your rater."), detail),
        SkpState.RETURNED: (_("Your plan was returned: revise it and submit it again."), detail),
        SkpState.SUBMITTED: (_("Your plan waits for your rater's approval."), detail),
        SkpState.APPROVED: (
            _("Enter this period's realisations."),
            reverse("skp:realisation", args=[skp.pk]),
        ),
        SkpState.EVALUATING: (
            _("Enter this period's realisations."),
            reverse("skp:realisation", args=[skp.pk]),
        ),
    }
    return steps.get(skp.state, (_("See your evaluation."), reverse("evaluations:mine")))


def _trend(values: dict[Period, list[IkiValue]], index: int) -> list[float | None]:
    return [
        float(v[index].achievement) if v[index].achievement is not None else None
        for v in values.values()
    ]


def my_home(user, me: Employee, today: date) -> MyHome:
    """The employee's own part of the home page."""
    skp = (
        Skp.objects.filter(employee=me, year=today.year, ends_on__isnull=True)
        .select_related("rater", "unit__agency")
        .first()
    )
    step, url = _next_step(skp)
    home = MyHome(skp=skp, next_step=step, next_url=url)
    if skp is None:
        return home
    periods = started_periods(agency_periods(skp.unit.agency, today.year), today)
    values = iki_values_for_periods(skp, periods, viewer=user)
    home.period = periods[-1]
    home.periods = [p.label for p in periods]
    rules = achievement_rules(today.year)
    home.rows = [
        IkiRow(v, _trend(values, i), is_slipping(rules.band_for(v.achievement), rules))
        for i, v in enumerate(values[home.period])
    ]
    home.feedback = sorted(feedback_of(skp), key=lambda f: f.created_at, reverse=True)[
        :FEEDBACK_SHOWN
    ]
    home.due = list(
        DevelopmentAction.objects.filter(
            plan__skp=skp, plan__state=DevelopmentState.AGREED, done_on__isnull=True
        ).order_by("due_on")
    )
    return home


# --- The rater's team ------------------------------------------------------------------------


@dataclass
class TeamRow:
    employee: Employee
    skp: Skp | None
    status: str  # "on_track", "slipping", "no_data", "not_approved", "no_plan"
    rating: str = ""  # the suggested results rating's label in the period
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (what, url) waiting for me


@dataclass
class Team:
    period: Period | None
    rows: list[TeamRow]

    @property
    def slipping(self) -> int:
        return sum(1 for r in self.rows if r.status == "slipping")


def team_status(rating: str | None) -> str:
    """A ratee's standing from the results rating the rules suggest for the period
    (``evaluations.selectors.suggestion_for``): slipping below expectation, on track when it
    meets or exceeds it, no data when nothing is measured yet."""
    if rating is None:
        return "no_data"
    return "slipping" if rating == Rating.BELOW else "on_track"


def _waiting(skp: Skp, to_verify: int) -> list[tuple[str, str]]:
    waiting = []
    if skp.state == SkpState.SUBMITTED:
        waiting.append((_("plan to approve"), reverse("skp:detail", args=[skp.pk])))
    if to_verify:
        waiting.append(
            (
                _("%(n)s values to verify") % {"n": to_verify},
                reverse("skp:realisation", args=[skp.pk]),
            )
        )
    return waiting


def _plans(people: list[Employee], years: set[int]) -> dict[tuple[int, int], Skp]:
    """The current plans of ``people`` in ``years`` by (employee, year), each with how many of
    its values wait for verification (one query)."""
    return {
        (p.employee_id, p.year): p
        for p in Skp.objects.filter(
            employee__in=people, year__in=years, ends_on__isnull=True
        ).annotate(
            to_verify=Count(
                "results__indicators__realisations",
                filter=Q(results__indicators__realisations__state=IkiRealisationState.SUBMITTED),
            )
        )
    }


def _team_row(user, person: Employee, plan: Skp | None, rated: Skp | None, period) -> TeamRow:
    """``plan``: this year's plan (what waits for the rater); ``rated``: the plan of the
    period open for rating (the same one, except in January)."""
    if plan is not None and plan.state in NOT_APPROVED:
        return TeamRow(person, plan, "not_approved", "", _waiting(plan, 0))
    waiting = _waiting(plan, plan.to_verify) if plan is not None else []
    if rated is not None and rated is not plan:  # January: last year's last values
        waiting += _waiting(rated, rated.to_verify)
    if rated is None:
        return TeamRow(person, plan, "no_plan" if plan is None else "no_data", "", waiting)
    rating = suggestion_for(rated, period, viewer=user)["rating"]
    label = Rating(rating).label if rating else ""
    return TeamRow(person, plan or rated, team_status(rating), label, waiting)


def team_home(user, people: list[Employee], today: date) -> Team:
    """The people ``user`` rates, each on track or slipping in the period open for rating,
    slipping first, with what waits for the rater."""
    if not people:
        return Team(None, [])
    period = rating_period(people[0].unit.agency, today)
    plans = _plans(people, {today.year, period.year})
    rows = [
        _team_row(
            user, person, plans.get((person.pk, today.year)), plans.get((person.pk, period.year)),
            period,
        )
        for person in people
    ]  # fmt: skip
    order = {"slipping": 0, "not_approved": 1, "no_plan": 2, "no_data": 3, "on_track": 4}
    rows.sort(key=lambda r: (not r.waiting, order[r.status], r.employee.name))
    return Team(period, rows)
