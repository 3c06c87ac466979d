"""Pages every user shares: health check, home, error pages."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise (for load balancers and `make run`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_403(request, exception=None):
    return render(request, "core/error.html", {"code": 403}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"code": 404}, status=404)


def error_500(request):
    return render(request, "core/error.html", {"code": 500}, status=500)


def home(request):
    return render(request, "core/error.html", {"code": 404})


def audit_log(request):
    return render(request, "core/error.html", {"code": 404})
