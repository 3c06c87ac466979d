"""What the organisational-performance pages share: the agency chooser and links."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from kinerja.organizations.models import Agency
from kinerja.organizations.scope import scope_for

from ..models import Indicator

QUARTERS = ["I", "II", "III", "IV"]
#: What an indicator's pages show of it, loaded with it.
INDICATOR_RELATED = (
    "agency",
    "strategic_target__goal__mission",
    "owner_unit",
    "owner_position",
    "metric_binding__stream",
    "metric_binding__unit",
)


def visible_agencies(user) -> list[Agency]:
    return list(Agency.objects.visible_to(user).order_by("name"))


def chosen_agency(request, agencies: list[Agency]) -> Agency:
    """``?agency=CODE`` among those visible (404 otherwise); by default one's own agency, or
    the first for the region's readers."""
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").strip().upper()
    if wanted:
        agency = next((a for a in agencies if a.code == wanted), None)
        if agency is None:
            raise Http404
        return agency
    own = scope_for(request.user).own_agency_id
    return next((a for a in agencies if a.pk == own), agencies[0])


def indicator_url(indicator: Indicator, year: int, anchor: str = "") -> str:
    url = f"{reverse('strategy:indicator', args=[indicator.pk])}?year={year}"
    return f"{url}#{anchor}" if anchor else url


def pk_of(raw: str | None) -> int | None:
    """A row's id in a query string (``?goal=12``); anything else means none asked for."""
    return int(raw) if raw and raw.isdigit() else None
