"""The employee directory: search by name, position or NIP among the employees one may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..models import Agency
from ..selectors import search_employees

DIRECTORY_PAGE_SIZE = 50


@require_GET
def directory(request):
    text = request.GET.get("q", "")[:100]
    agency = request.GET.get("agency", "")[:40]
    rated_by_me = request.GET.get("rated_by") == "me"
    qs = search_employees(request.user, text=text, agency=agency, rated_by_me=rated_by_me)
    page = Paginator(qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/directory.html",
        {
            "page": page,
            "q": text,
            "agency": agency.upper(),
            "agencies": Agency.objects.visible_to(request.user).order_by("name"),
            "query": query.urlencode(),
            "can_add": permissions.may_add_employees(request.user),
        },
    )
