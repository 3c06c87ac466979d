"""The performance tree (pohon kinerja): vision → missions → goals → strategic targets →
indicators, with the achievement of a year or a quarter."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.periods import Period, year_filter
from kinerja.core.rules import achievement_rules

from ..selectors import performance_tree, plan_for_year
from .common import QUARTERS, visible_agencies


@require_GET
def tree(request):
    user = request.user
    agencies = visible_agencies(user)
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").strip().upper()
    agency = None
    if wanted:
        agency = next((a for a in agencies if a.code == wanted), None)
        if agency is None:
            raise Http404
    year = year_filter(request.GET.get("year"))
    tw = request.GET.get("tw", "")
    quarter = int(tw) if tw in {"1", "2", "3", "4"} else None
    period = Period.of_quarter(year, quarter) if quarter else Period.of_year(year)
    plan = plan_for_year((agency or agencies[0]).region_id, year)
    root = None
    if plan is not None:
        root = performance_tree(
            user, plan=plan, period=period, agency_ids=[agency.pk] if agency else None
        )
    return render(
        request,
        "strategy/tree.html",
        {
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "tw": str(quarter or ""),
            "period": period,
            "plan": plan,
            "root": root,
            "bands": achievement_rules(year).bands,
            "periods": [("", _("the whole year"))]
            + [(str(q), f"TW {r}") for q, r in enumerate(QUARTERS, start=1)],
        },
    )
