"""The plan (SKP) pages: "Kinerja saya", a plan's page with its workflow, the team list of a
rater, and evidence downloads. Changing a plan: :mod:`.views_edit`; realisations and
evidence: :mod:`.views_report`; the role-result matrix: :mod:`.views_matrix`.

Views only parse, call and render: plans come through ``Skp.objects.visible_to`` (404
otherwise), rights come from :mod:`.permissions` (403 otherwise), changes go through
:mod:`.services`, whose ``ValidationError`` is shown on the form that caused it. Every page
makes a bounded number of queries whatever the number of results, indicators, feedback or
ratings (tests assert it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.models import Role
from kinerja.core.downloads import stored_file_response
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.evaluations.services import may_develop
from kinerja.organizations.models import Employee
from kinerja.organizations.scope import scope_for

from . import permissions, services
from .forms import ReturnForm, StartForm, TransferForm
from .models import (
    EDITABLE_STATES,
    Iki,
    Rhk,
    RhkKind,
    Skp,
    SkpEvidence,
    SkpState,
)
from .rules import behaviour_values, plan_deadline

#: States in which a plan has realisations to show (approved and after).
MEASURED_STATES = {
    SkpState.APPROVED,
    SkpState.EVALUATING,
    SkpState.RATED,
    SkpState.OBJECTED,
    SkpState.FINAL,
    SkpState.CLOSED,
}

# --- Small helpers -------------------------------------------------------------------------------


def this_year() -> int:
    return timezone.localdate().year


def year_of(raw: str | None) -> int:
    """The year asked for in a query string; an unreadable one means this year (a filter of
    a page, not data)."""
    try:
        year = int(raw or "")
    except ValueError:
        return this_year()
    return year if MIN_YEAR <= year <= MAX_YEAR else this_year()


def plans_with_content(queryset):
    """Plans with what their page shows: people, results with their indicators and the
    supported results, expectations (a fixed number of queries)."""
    return queryset.select_related(
        "employee__unit__agency",
        "employee__position",
        "unit__agency",
        "rater__position",
        "rater_superior__position",
        "position",
    ).prefetch_related(
        Prefetch(
            "results",
            queryset=Rhk.objects.select_related("supports__skp", "indicator").prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Iki.objects.select_related(
                        "binding__stream", "binding__unit"
                    ).order_by("number"),
                )
            ),
        ),
        "expectations",
    )


def plan_or_404(user, pk: int, *, content: bool = False) -> Skp:
    queryset = Skp.objects.visible_to(user).filter(pk=pk)
    if content:
        queryset = plans_with_content(queryset)
    else:
        queryset = queryset.select_related("employee__unit__agency", "unit__agency", "rater")
    skp = queryset.first()
    if skp is None:
        raise Http404
    return skp


def plan_url(skp: Skp, anchor: str = "") -> str:
    from django.urls import reverse

    url = reverse("skp:detail", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


def error_messages(request, exc: ValidationError) -> None:
    """A refused action without a form of its own: each message at the top of the page."""
    for message in exc.messages:
        messages.error(request, message)


@dataclass
class Group:
    kind: str
    label: str
    results: list[Rhk] = field(default_factory=list)


def grouped_results(skp: Skp) -> list[Group]:
    groups = [
        Group(RhkKind.MAIN, _("A. Main work results (utama)")),
        Group(RhkKind.ADDITIONAL, _("B. Additional work results (tambahan)")),
    ]
    by_kind = {g.kind: g for g in groups}
    for rhk in sorted(skp.results.all(), key=lambda r: (r.kind != RhkKind.MAIN, r.number)):
        by_kind[rhk.kind].results.append(rhk)
    return groups


# --- The data behind each indicator, per period ------------------------------------------------


@dataclass
class Cell:
    period: object  # Period
    begun: bool
    value: object = None  # evaluations.selectors.IkiValue
    evidence: list = field(default_factory=list)


@dataclass
class IkiRow:
    iki: Iki
    cells: list[Cell]


def period_table(skp: Skp, viewer, *, evidence: bool = False) -> tuple[list, list[IkiRow]]:
    """The agency's periods of the plan's year and, for each indicator, its value in each
    period that has begun (``iki_values_for_periods``: a fixed number of queries for all
    the periods)."""
    from kinerja.evaluations.periods import periods_of
    from kinerja.evaluations.selectors import iki_values_for_periods
    from kinerja.evaluations.services import rhythm_of

    today = timezone.localdate()
    periods = periods_of(rhythm_of(skp.unit.agency, skp.year), skp.year)
    begun = [p for p in periods if p.start <= today]
    values = {
        p: {v.iki.pk: v for v in rows}
        for p, rows in iki_values_for_periods(skp, begun, viewer=viewer).items()
    }
    files: dict[tuple[int, str], list] = {}
    if evidence:
        for item in SkpEvidence.objects.filter(skp=skp).select_related("uploaded_by__employee"):
            files.setdefault((item.iki_id, item.period), []).append(item)
    indicators = [iki for rhk in grouped_rhks(skp) for iki in rhk.indicators.all()]
    rows = []
    for iki in indicators:
        cells = [
            Cell(
                p,
                p in values,
                values.get(p, {}).get(iki.pk),
                files.get((iki.pk, str(p)), []),
            )
            for p in periods
        ]
        rows.append(IkiRow(iki, cells))
    return periods, rows


def grouped_rhks(skp: Skp) -> list[Rhk]:
    return [rhk for group in grouped_results(skp) for rhk in group.results]


# --- "Kinerja saya" ------------------------------------------------------------------------------


@dataclass
class PlanView:
    skp: Skp
    periods: list
    rows: list[IkiRow]


@require_GET
def mine(request):
    from kinerja.evaluations.models import DevelopmentAction, DevelopmentPlan, Evaluation, Feedback

    user = request.user
    year = year_of(request.GET.get("year"))
    me_id = scope_for(user).employee_id
    context = {"year": year, "years": [year - 1, year, year + 1], "deadline": plan_deadline(year)}
    if me_id is None:
        return render(request, "skp/mine.html", {**context, "employee": None})
    employee = Employee.objects.select_related("position", "unit").get(pk=me_id)
    plans = list(
        plans_with_content(
            Skp.objects.visible_to(user).filter(employee_id=me_id, year=year)
        ).order_by("starts_on", "pk")
    )
    views = []
    for skp in plans:
        if skp.state in MEASURED_STATES:
            periods, rows = period_table(skp, user)
        else:
            periods, rows = [], []
        views.append(PlanView(skp, periods, rows))
    feedback = list(
        Feedback.objects.filter(skp__in=plans, parent__isnull=True)
        .select_related("author", "rhk", "value")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Feedback.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )
    ratings = list(
        Evaluation.objects.visible_to(user)
        .filter(skp__employee_id=me_id)
        .select_related("skp", "rated_by")
        .order_by("-skp__year", "-annual", "-period")
    )
    development = list(
        DevelopmentPlan.objects.visible_to(user)
        .filter(skp__employee_id=me_id)
        .select_related("skp", "opened_by_evaluation")
        .prefetch_related(
            Prefetch("actions", queryset=DevelopmentAction.objects.order_by("due_on", "pk"))
        )
        .order_by("-created_at", "-pk")
    )
    for plan in development:
        if plan.opened_by_evaluation is not None:
            plan.opened_by_label = plan.opened_by_evaluation.period_label
    open_plan = next((p for p in plans if p.ends_on is None), None)
    start_form = None
    if open_plan is None:
        start_form = StartForm(initial={"year": year})
    return render(
        request,
        "skp/mine.html",
        {
            **context,
            "employee": employee,
            "plans": views,
            "open_plan": open_plan,
            "start_form": start_form,
            "feedback": feedback,
            "ratings": ratings,
            "development": development,
        },
    )


@require_http_methods(["POST"])
def start(request):
    """Start the signed-in employee's own plan for a year."""
    user = request.user
    me_id = scope_for(user).employee_id
    if me_id is None:
        raise PermissionDenied
    employee = Employee.objects.select_related("unit", "position").get(pk=me_id)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            skp = services.skp_create(
                employee=employee,
                year=form.cleaned_data["year"],
                approach=form.cleaned_data["approach"],
                by=user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your plan has been started. Add your work results."))
            return redirect("skp:detail", pk=skp.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    year = form.cleaned_data.get("year") if hasattr(form, "cleaned_data") else None
    return redirect(f"{_mine_url()}?year={year or this_year()}")


def _mine_url() -> str:
    from django.urls import reverse

    return reverse("skp:mine")


# --- A plan's page ------------------------------------------------------------------------------


def detail_page(request, skp: Skp, *, return_form: ReturnForm | None = None, status: int = 200):
    user = request.user
    can_edit = skp.editable and permissions.can_edit(user, skp)
    rates = permissions.rates_plan(user, skp)
    can_decide = rates and skp.state == SkpState.SUBMITTED
    values = behaviour_values(skp.year)
    expectations = {e.value_id: e.text for e in skp.expectations.all()}
    rater_plan = None
    if skp.rater_id:
        rater_plan = (
            Skp.objects.visible_to(user)
            .filter(employee_id=skp.rater_id, year=skp.year, ends_on__isnull=True)
            .only("pk", "year")
            .first()
        )
    transitions = list(skp.transitions.select_related("by__employee").order_by("at", "pk"))
    scope = scope_for(user)
    return render(
        request,
        "skp/detail.html",
        {
            "skp": skp,
            "groups": grouped_results(skp),
            "checks": services.plan_checks(skp),
            "values": [(v, expectations.get(v.pk, "")) for v in values],
            "transitions": transitions,
            "rater_plan": rater_plan,
            "deadline": plan_deadline(skp.year),
            "can_edit": can_edit,
            "can_decide": can_decide,
            "can_expect": rates and skp.state in EDITABLE_STATES | {SkpState.SUBMITTED},
            "can_report": skp.state in services.LIVE_STATES and permissions.can_report(user, skp),
            "can_matrix": scope.employee_id == skp.employee_id
            and Role.PEJABAT_PENILAI in scope.roles,
            "return_form": return_form or (ReturnForm() if can_decide else None),
            "may_develop": may_develop(user, skp),
            "region_head_rates": skp.rater_id is None and permissions.rated_by_region_head(skp),
            "transfer_form": (
                TransferForm()
                if skp.ends_on is None
                and skp.employee.position_id != skp.position_id
                and permissions.can_administer(user, skp)
                else None
            ),
            "evaluations": list(skp.evaluations.order_by("period")),
        },
        status=status,
    )


@require_GET
def detail(request, pk: int):
    skp = plan_or_404(request.user, pk, content=True)
    return detail_page(request, skp)


# --- The team list ------------------------------------------------------------------------------


@dataclass
class TeamRow:
    employee: Employee
    plans: list[Skp]

    @property
    def pending(self) -> bool:
        return any(p.state == SkpState.SUBMITTED for p in self.plans)


@require_GET
def team(request):
    user = request.user
    year = year_of(request.GET.get("year"))
    me_id = scope_for(user).employee_id
    rows: list[TeamRow] = []
    if me_id is not None:
        employees = list(
            Employee.objects.filter(rater_chain__rater_id=me_id, active=True)
            .select_related("position", "unit")
            .order_by("name")
        )
        plans: dict[int, list[Skp]] = {}
        for skp in (
            Skp.objects.visible_to(user)
            .filter(employee__in=employees, year=year)
            .order_by("starts_on", "pk")
        ):
            plans.setdefault(skp.employee_id, []).append(skp)
        rows = [TeamRow(e, plans.get(e.pk, [])) for e in employees]
    pending = [r for r in rows if r.pending]
    others = [r for r in rows if not r.pending]
    return render(
        request,
        "skp/team.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "pending": pending,
            "others": others,
            "missing": sum(1 for r in rows if not r.plans),
            "rates_anyone": bool(rows),
            "deadline": plan_deadline(year),
        },
    )


# --- Workflow ---------------------------------------------------------------------------------


@require_POST
def submit(request, pk: int):
    user = request.user
    skp = plan_or_404(user, pk)
    if not permissions.can_edit(user, skp):
        raise PermissionDenied
    try:
        services.skp_submit(skp=skp, by=user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The plan has been submitted to the rater."))
    return redirect("skp:detail", pk=skp.pk)


@require_POST
def transfer(request, pk: int):
    """The administrator records that the employee moved: the plan closes with its record and
    a new draft starts in the new position (domain.md §3: a transfer starts a new SKP)."""
    user = request.user
    skp = plan_or_404(user, pk)
    if not permissions.can_administer(user, skp):
        raise PermissionDenied
    form = TransferForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("skp:detail", pk=skp.pk)
    try:
        new = services.skp_transfer(skp=skp, by=user, on=form.cleaned_data["on"])
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("skp:detail", pk=skp.pk)
    messages.success(
        request,
        _("The transfer is recorded; %(name)s's new plan starts on %(date)s.")
        % {"name": new.employee.name, "date": new.starts_on.strftime("%d/%m/%Y")},
    )
    return redirect("skp:detail", pk=new.pk)


@require_POST
def approve(request, pk: int):
    user = request.user
    skp = plan_or_404(user, pk)
    if not permissions.rates_plan(user, skp):
        raise PermissionDenied
    try:
        services.skp_approve(skp=skp, by=user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The plan has been approved."))
    return redirect("skp:detail", pk=skp.pk)


@require_POST
def return_(request, pk: int):
    user = request.user
    skp = plan_or_404(user, pk)
    if not permissions.rates_plan(user, skp):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.skp_return(skp=skp, by=user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been returned to the employee."))
            return redirect("skp:detail", pk=skp.pk)
    skp = plan_or_404(user, pk, content=True)
    return detail_page(request, skp, return_form=form, status=400)


# --- Evidence downloads ------------------------------------------------------------------------


@require_GET
def evidence(request, pk: int):
    """The stored file, as a download only: never shown inline, never sniffed; reached only
    through a plan the viewer may see."""
    item = (
        SkpEvidence.objects.filter(pk=pk, skp__in=Skp.objects.visible_to(request.user).values("pk"))
        .only("file", "original_name", "content_type")
        .first()
    )
    if item is None:
        raise Http404
    return stored_file_response(item)
