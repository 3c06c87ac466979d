"""Pages of the alert rules of a stream: list (with open and recent breaches), create, change,
deactivate.

Who: Admin BKPSDM, and the Pengelola Kinerja of the stream's agency
(``permissions.may_manage_stream``, checked again by the operations). A stream the person may
not see is "not found" (404) — the one door is ``Stream.objects.visible_to``; someone who sees
it without managing it gets 403. Rules are looked up through ``AlertRule.objects.editable_by``
within the stream.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import NumberField, errors_to_form
from kinerja.organizations.models import Unit

from .. import permissions
from ..models import AlertBreach, AlertMetric, AlertRule, AlertWindow, Comparison, Stream
from ..services import RULE_FIELDS, alert_rule_deactivate, alert_rule_save

RECENT_BREACHES = 20


class AlertRuleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("e.g. p90 above the target two days running"),
    )
    metric = forms.ChoiceField(
        label=gettext_lazy("Metric"),
        choices=AlertMetric.choices,
        help_text=gettext_lazy("e.g. duration, 90th percentile"),
    )
    comparison = forms.ChoiceField(
        label=gettext_lazy("Alert when it is"),
        choices=Comparison.choices,
        help_text=gettext_lazy("e.g. above, for a duration; below, for a share"),
    )
    threshold = NumberField(
        label=gettext_lazy("Threshold"),
        max_length=20,
        help_text=gettext_lazy(
            "Durations in the stream's service-level unit (e.g. 8 for 8 hours), a share in "
            "percent (e.g. 90), open cases as a number (e.g. 50)"
        ),
    )
    window = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=AlertWindow.choices,
        help_text=gettext_lazy(
            "Day: complete days, yesterday and before. Week: this week so far, then the weeks "
            "before it. e.g. day"
        ),
    )
    consecutive = forms.IntegerField(
        label=gettext_lazy("Periods running"),
        min_value=1,
        max_value=14,
        initial=1,
        help_text=gettext_lazy(
            "e.g. 2: two days (or weeks) running; periods without cases are skipped"
        ),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Only the unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Empty: the whole service, and the agency head is told. A unit: its head is told. "
            "e.g. UPTD Puskesmas Plaju"
        ),
    )
    active = forms.BooleanField(
        label=gettext_lazy("Active"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Untick to stop evaluating it; an open alert ends"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("code")
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.code})"


def _stream_for_manager(user, code: str) -> Stream:
    stream = visible_or_404(Stream.objects.select_related("agency"), user, code=code)
    if not permissions.may_manage_stream(user, stream):
        raise PermissionDenied
    return stream


def _rules(stream: Stream):
    return AlertRule.objects.select_related("stream__agency", "unit").filter(stream=stream)


@require_http_methods(["GET"])
def alert_rules(request, code: str):
    stream = _stream_for_manager(request.user, code)
    rules = list(
        AlertRule.objects.editable_by(request.user)
        .filter(stream=stream)
        .select_related("unit")
        .order_by("-active", "name")
    )
    breaches = list(
        AlertBreach.objects.filter(rule__in=rules)
        .select_related("rule")
        .order_by("-started_at", "-pk")[:RECENT_BREACHES]
    )
    open_rules = {b.rule_id for b in breaches if b.ended_at is None}
    open_rules |= set(
        AlertBreach.objects.filter(rule__in=rules, ended_at=None).values_list("rule_id", flat=True)
    )
    return render(
        request,
        "streams/alerts.html",
        {"stream": stream, "rules": rules, "breaches": breaches, "open_rules": open_rules},
    )


def _rule_form(request, stream: Stream, rule: AlertRule | None):
    initial = None
    if rule is not None:
        initial = {name: getattr(rule, name) for name in RULE_FIELDS}
    form = AlertRuleForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            alert_rule_save(stream=stream, values=form.cleaned_data, by=request.user, rule=rule)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The alert rule has been saved and recorded."))
            return redirect("streams:alerts", code=stream.code)
    return render(
        request, "streams/alert_form.html", {"stream": stream, "rule": rule, "form": form}
    )


@require_http_methods(["GET", "POST"])
def alert_rule_create(request, code: str):
    stream = _stream_for_manager(request.user, code)
    return _rule_form(request, stream, None)


@require_http_methods(["GET", "POST"])
def alert_rule_edit(request, code: str, pk: int):
    stream = _stream_for_manager(request.user, code)
    return _rule_form(
        request, stream, visible_or_404(_rules(stream), request.user, door="editable_by", pk=pk)
    )


@require_POST
def alert_rule_deactivate_view(request, code: str, pk: int):
    stream = _stream_for_manager(request.user, code)
    rule = visible_or_404(_rules(stream), request.user, door="editable_by", pk=pk)
    alert_rule_deactivate(rule=rule, by=request.user)
    messages.success(request, _("The alert rule has been deactivated."))
    return redirect("streams:alerts", code=stream.code)
