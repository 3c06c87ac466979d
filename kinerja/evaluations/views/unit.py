"""A unit's curve for a period (``/penilaian/unit/<code>/<period>/``): how its employees'
predicates are distributed, which rules of the curve they break for the unit's organisation
predicate, and setting that predicate (the leader above the unit)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period, this_year
from kinerja.organizations.models import Unit
from kinerja.skp.rhythm import periods_of, rhythm_of

from .. import permissions, rules, selectors, services
from ..forms import OrgPredicateForm
from ..models import PREDICATE_ORDER, OrgEvaluation
from .common import current_period


@dataclass
class CurveRow:
    predicate: str
    count: int
    share: float


@dataclass
class RuleRow:
    text: str
    broken: bool
    message: str = ""


@require_GET
def unit_pick(request):
    """The unit and period chosen on the overview page, as the curve page's address."""
    unit = visible_or_404(
        Unit.objects.select_related("agency"),
        request.user,
        code=request.GET.get("unit", "").strip().upper(),
    )
    raw = request.GET.get("period", "").strip()
    if raw:
        try:
            period = parse_period(raw, kinds=ALL_KINDS)
        except PeriodError:
            raise Http404 from None
    else:
        year = this_year()
        period = current_period(rhythm_of(unit.agency, year), year)
    return redirect("evaluations:unit", unit_code=unit.code, period=str(period))


def _curve_rows(curve) -> list[CurveRow]:
    return [
        CurveRow(
            p,
            curve.counts.get(p, 0),
            curve.counts.get(p, 0) * 100 / curve.total if curve.total else 0,
        )
        for p in PREDICATE_ORDER
    ]


def _rule_rows(curve, year: int) -> list[RuleRow]:
    """The rules of the curve for the unit's organisation predicate, those broken marked."""
    if not curve.org_predicate:
        return []
    broken = {(w.predicates, w.rule, w.value): w.message for w in curve.warnings}
    rows = []
    majority = rules.evaluation_setting(year).curve_majority
    for rule in rules.curve_rules(year).get(curve.org_predicate, []):
        key = (tuple(rule.predicate_list), rule.rule, rule.value)
        text = rules.curve_rule_text(rule, majority)
        rows.append(RuleRow(text, key in broken, broken.get(key, "")))
    return rows


def _curve_chart(curve, rows: list[CurveRow]) -> dict:
    """The curve page's chart: each predicate's share of the unit's rated employees, those
    in a broken rule of the curve marked (drawn by ``evaluations/curve.js``)."""
    broken = {p for w in curve.warnings for p in w.predicates}
    return {
        "predicates": [row.predicate for row in rows],
        "counts": [row.count for row in rows],
        "shares": [round(row.share, 1) for row in rows],
        "broken": [row.predicate in broken for row in rows],
    }


def _set_predicate(request, unit: Unit, period: Period, form):
    """The leader's choice of the predicate: a redirect when stored, else ``None`` (the form
    shows why)."""
    if not form.is_valid():
        return None
    try:
        services.org_predicate_set(
            unit=unit, period=str(period), by=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    messages.success(
        request,
        _("The predicate of %(unit)s for %(period)s is %(predicate)s.")
        % {"unit": unit.name, "period": period.label, "predicate": form.cleaned_data["predicate"]},
    )
    return redirect("evaluations:unit", unit_code=unit.code, period=str(period))


@require_http_methods(["GET", "POST"])
def unit(request, unit_code: str, period: Period):
    user = request.user
    unit = visible_or_404(
        Unit.objects.select_related("agency", "parent"), user, code=unit_code.upper()
    )
    if not permissions.may_watch_unit(user, unit):
        raise PermissionDenied
    org = (
        OrgEvaluation.objects.filter(unit=unit, period=str(period)).select_related("set_by").first()
    )
    form = None
    if permissions.may_set_org_predicate(user, unit):
        initial = {"predicate": org.predicate, "reason": org.reason} if org else None
        form = OrgPredicateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = _set_predicate(request, unit, period, form)
        if done is not None:
            return done
    curve = selectors.unit_curve(unit, str(period))
    rows = _curve_rows(curve)
    return render(
        request,
        "evaluations/unit.html",
        {
            "unit": unit,
            "period": period,
            "org": org,
            "form": form,
            "curve": curve,
            "rows": rows,
            "chart": _curve_chart(curve, rows),
            "rule_rows": _rule_rows(curve, period.year),
            "majority_text": rules.curve_majority_text(
                rules.evaluation_setting(period.year).curve_majority
            ),
            "periods": [*periods_of(rhythm_of(unit.agency, period.year), period.year),
                        Period(period.year)],
            "completion_url": reverse("evaluations:completion")
            + f"?unit={unit.code}&year={period.year}&period={period}",
        },
    )  # fmt: skip
