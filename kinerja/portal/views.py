"""The pages that bring the apps together: the home page of each role and the audit trail."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.accounts.models import Role
from kinerja.core.access import visible_or_404
from kinerja.organizations.models import Agency, Employee, RaterChain, Region
from kinerja.organizations.scope import scope_for

from .audit_labels import changes, object_type_label
from .forms import AuditFilterForm
from .selectors import audit_records_filtered, audit_records_visible_to

AUDIT_PAGE_SIZE = 50


@require_GET
def home(request):
    """What this person can do, role by role."""
    scope = scope_for(request.user)
    context = {"scope": scope, "roles": [r for r in Role if scope.has(r)]}
    if scope.employee_id:
        me = visible_or_404(
            Employee.objects.select_related("unit__agency", "position"),
            request.user,
            pk=scope.employee_id,
        )
        context["me"] = me
        chain = (
            RaterChain.objects.filter(employee=me).select_related("rater", "rater_superior").first()
        )
        context["chain"] = chain
        region = Region.objects.only("head_title").first()
        context["region_head"] = region.head_title if region else ""
        context["rated"] = list(
            Employee.objects.visible_to(request.user)
            .filter(rater_chain__rater_id=me.pk)
            .select_related("position")
            .order_by("name")[:50]
        )
        context["rated_below"] = (
            Employee.objects.visible_to(request.user)
            .filter(rater_chain__rater_superior_id=me.pk)
            .count()
        )
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
    return render(request, "portal/home.html", context)


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
