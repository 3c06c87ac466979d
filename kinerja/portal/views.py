"""The pages that bring the apps together: the home page of each role, the worklist and the
audit trail."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kinerja.accounts.models import Role
from kinerja.core.access import visible_or_404
from kinerja.organizations.models import Agency, Employee, RaterChain, Region
from kinerja.organizations.scope import scope_for

from .audit_labels import changes, object_type_label
from .cockpit.leader import leader_cockpit
from .cockpit.personal import my_home, team_home
from .forms import AuditFilterForm
from .selectors import audit_records_filtered, audit_records_visible_to
from .tasks import first_tasks, tasks_for

AUDIT_PAGE_SIZE = 50
#: How many tasks the home page shows before "See all tasks".
HOME_TASKS = 5


def _own_part(request, scope, context: dict) -> None:
    """The employee's own data, plan and numbers; the people they rate."""
    me = visible_or_404(
        Employee.objects.select_related("unit__agency", "position"),
        request.user,
        pk=scope.employee_id,
    )
    today = timezone.localdate()
    context["me"] = me
    context["today"] = today
    context["chain"] = (
        RaterChain.objects.filter(employee=me).select_related("rater", "rater_superior").first()
    )
    region = Region.objects.only("head_title").first()
    context["region_head"] = region.head_title if region else ""
    context["mine"] = my_home(request.user, me, today)
    context["rated"] = list(
        Employee.objects.visible_to(request.user)
        .filter(rater_chain__rater_id=me.pk)
        .select_related("position", "unit__agency")
        .order_by("name")[:50]
    )
    if scope.has(Role.PEJABAT_PENILAI) and context["rated"]:
        context["team"] = team_home(request.user, context["rated"], today)
    context["rated_below"] = (
        Employee.objects.visible_to(request.user)
        .filter(rater_chain__rater_superior_id=me.pk)
        .count()
    )


@require_GET
def home(request):
    """What each person starts the day with: their worklist, their plan and numbers, their
    team, and for an agency's head and the region a cockpit with charts."""
    scope = scope_for(request.user)
    tasks = tasks_for(request.user)
    context = {
        "scope": scope,
        "roles": [r for r in Role if scope.has(r)],
        "tasks": first_tasks(tasks, HOME_TASKS),
        "tasks_count": len(tasks),
    }
    if scope.employee_id:
        _own_part(request, scope, context)
    if scope.agencies_read and not scope.region_read:
        context["agencies"] = list(
            Agency.objects.monitored_by(request.user).annotate(
                n_units=Count("units", distinct=True),
                n_employees=Count(
                    "units__employees", filter=Q(units__employees__active=True), distinct=True
                ),
            )
        )
    if scope.region_read:
        context["region_counts"] = {
            "agencies": Agency.objects.count(),
            "employees": Employee.objects.filter(active=True).count(),
        }
    if scope.region_read or scope.agencies_read:
        context["cockpit"] = leader_cockpit(request.user, scope, timezone.localdate())
    return render(request, "portal/home.html", context)


@require_GET
def tasks(request):
    """My tasks: every pending action, overdue first, each with the link to its page."""
    items = tasks_for(request.user)
    return render(
        request,
        "portal/tasks.html",
        {"tasks": items, "overdue": sum(1 for item in items if item.overdue)},
    )


@require_GET
def audit_log(request):
    audit_records_visible_to(request.user)  # 403 for everyone but administrators and auditors
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audit_records_filtered(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs.select_related(None), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"record": rec, "type": object_type_label(rec.object_type), "changes": changes(rec)}
        for rec in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
