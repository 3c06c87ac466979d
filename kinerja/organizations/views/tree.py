"""The organisation tree of one agency: units, positions, holders and acting officials."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..models import Agency, Position
from ..scope import scope_for
from ..selectors import org_tree


@require_GET
def tree(request):
    agencies = list(Agency.objects.visible_to(request.user).order_by("name"))
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").upper()
    scope = scope_for(request.user)
    default = next((a for a in agencies if a.pk == scope.own_agency_id), agencies[0])
    agency = next((a for a in agencies if a.code == wanted), None) if wanted else default
    if agency is None:
        raise Http404
    return render(
        request,
        "organizations/tree.html",
        {
            "agencies": agencies,
            "agency": agency,
            "roots": org_tree(request.user, agency),
            "can_edit": Position.objects.editable_by(request.user)
            .filter(unit__agency=agency)
            .exists(),
        },
    )


def tree_url(position: Position) -> str:
    """The tree of the position's agency, scrolled to the position."""
    return (
        f"{reverse('organizations:tree')}?agency={position.unit.agency.code}"
        f"#position-{position.code}"
    )
