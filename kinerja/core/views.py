"""Pages every user shares: health check, the home page per role, the audit trail, one's
notifications, errors."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts.models import Role
from kinerja.accounts.scope import scope_for
from kinerja.organizations.models import Agency, Employee, RaterChain, Region

from .forms import AuditFilterForm
from .models import Notification
from .notifications import notifications_mark_read, unread_count
from .selectors import audit_records_filtered, audit_records_visible_to

AUDIT_PAGE_SIZE = 50


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise (for load balancers and `make run`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def home(request):
    """What this person can do, role by role."""
    scope = scope_for(request.user)
    context = {"scope": scope, "roles": [r for r in Role if scope.has(r)]}
    if scope.employee_id:
        me = Employee.objects.select_related("unit__agency", "position").get(pk=scope.employee_id)
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
            Agency.objects.filter(pk__in=scope.agencies_read).annotate(
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
    return render(request, "core/home.html", context)


@require_GET
def audit_log(request):
    audit_records_visible_to(request.user)  # 403 for everyone but administrators and auditors
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audit_records_filtered(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs.select_related(None), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for rec in page.object_list:
        before = rec.before if isinstance(rec.before, dict) else {}
        after = rec.after if isinstance(rec.after, dict) else {}
        keys = sorted(set(before) | set(after))
        rows.append({"record": rec, "changes": [(k, before.get(k), after.get(k)) for k in keys]})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- Notifications -----------------------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 50


@require_GET
def notifications(request):
    """One's own notifications, newest first (nobody sees another person's)."""
    qs = Notification.objects.visible_to(request.user).order_by("-created_at", "-pk")
    page = Paginator(qs, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@require_POST
def notification_read(request, pk: int):
    """Mark one notification read; ``open`` goes on to its link (a path of this site)."""
    item = Notification.objects.visible_to(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    notifications_mark_read(user=request.user, notification=item)
    if request.POST.get("open") and item.link:
        return redirect(item.link)
    return redirect("core:notifications")


@require_POST
def notifications_read_all(request):
    notifications_mark_read(user=request.user)
    return redirect("core:notifications")


def error_403(request, exception=None):
    return render(request, "core/error.html", {"code": 403}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"code": 404}, status=404)


def error_500(request):
    # Rendered without context processors: the database may be the thing that failed.
    return HttpResponseServerError(loader.get_template("core/error_500.html").render())
