"""Pages every user shares: health check, one's notifications, errors."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .access import visible_or_404
from .models import Notification
from .notifications import notifications_mark_read, unread_count


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 otherwise (for load balancers and `make run`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Notifications -----------------------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 50


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """One's own notifications, newest first (nobody sees another person's)."""
    qs = Notification.objects.visible_to(request.user).order_by("-created_at", "-pk")
    page = Paginator(qs, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; ``open`` goes on to its link (a path of this site)."""
    item = visible_or_404(Notification, request.user, pk=pk)
    notifications_mark_read(by=request.user, notification=item)
    if request.POST.get("open") and item.link:
        return redirect(item.link)
    return redirect("core:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(by=request.user)
    return redirect("core:notifications")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 403}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 404}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the database may be the thing that failed.
    return HttpResponseServerError(loader.get_template("core/error_500.html").render())
