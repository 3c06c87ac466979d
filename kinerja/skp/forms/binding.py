"""Service data behind an indicator: which stream metric fills it, and whose cases."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.streams.models import DurationUnit, Metric, Stream

#: Whose cases fill an indicator bound to a stream metric.
SCOPE_OWN = "own"
SCOPE_UNIT = "unit"


class StreamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


class IkiBindingForm(forms.Form):
    """Which stream metric fills an indicator, and whose cases: the employee's own (filtered
    to their NIP as officer) or the whole unit of the plan. The rules (stages of the stream,
    a unit of the stream's agency, durations and their unit of time) are
    ``streams.bindings.binding_check``'s, run by ``services.iki_bind``."""

    #: The service's error keys that belong to a field of another name.
    SERVICE_FIELDS = {"unit": "scope", "officer": "scope"}

    stream = StreamChoiceField(
        label=_("Stream"),
        queryset=None,
        empty_label="—",
        help_text=_("The service whose cases fill the indicator, e.g. ktp-el"),
        error_messages={
            "required": _("Choose the stream, e.g. ktp-el."),
            "invalid_choice": _("Choose one of the streams listed, e.g. ktp-el."),
        },
    )
    metric = forms.ChoiceField(
        label=_("Metric"),
        help_text=_(
            "The figure of each month, quarter and year, computed over its whole period, e.g. "
            "duration, median. Counts combine as a sum (open cases: the last value), "
            "durations and shares as an average of the months."
        ),
        error_messages={
            "required": _("Choose one of the metrics, e.g. duration, median."),
            "invalid_choice": _("Choose one of the metrics, e.g. duration, median."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Whose cases"),
        widget=forms.RadioSelect,
        help_text=_(
            "e.g. only my own cases. Figures of one person's cases are seen only by that "
            "person and their raters."
        ),
        error_messages={
            "required": _("Choose whose cases count: your own or the whole unit's."),
            "invalid_choice": _("Choose whose cases count: your own or the whole unit's."),
        },
    )
    from_stage = forms.CharField(
        label=_("From stage"),
        max_length=40,
        required=False,
        help_text=_("Durations only; empty for the whole case. e.g. diverifikasi"),
    )
    to_stage = forms.CharField(
        label=_("To stage"),
        max_length=40,
        required=False,
        help_text=_("Durations only, with the first stage. e.g. dicetak"),
    )
    duration_unit = forms.ChoiceField(
        label=_("Durations in"),
        required=False,
        help_text=_("Durations only: elapsed time in minutes, hours or days, e.g. hours"),
        error_messages={"invalid_choice": _("Choose minutes, hours or days.")},
    )

    def __init__(self, *args, user, skp, binding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.skp = skp
        self.fields["stream"].queryset = (
            Stream.objects.visible_to(user).select_related("agency").order_by("code")
        )
        self.fields["metric"].choices = [("", "—"), *Metric.choices]
        self.fields["duration_unit"].choices = [("", "—"), *DurationUnit.choices]
        employee = skp.employee
        self.fields["scope"].choices = [
            (
                SCOPE_OWN,
                _("Only the cases handled by %(name)s (NIP %(nip)s)")
                % {"name": employee.name, "nip": employee.nip},
            ),
            (
                SCOPE_UNIT,
                _("All cases of the unit %(unit)s (%(code)s)")
                % {"unit": skp.unit.name, "code": skp.unit.code},
            ),
        ]
        if binding is not None and not self.is_bound:
            scope = SCOPE_OWN if binding.officer else SCOPE_UNIT if binding.unit_id else None
            self.initial.update(
                {
                    "stream": binding.stream_id,
                    "metric": binding.metric,
                    "scope": scope,
                    "from_stage": binding.from_stage,
                    "to_stage": binding.to_stage,
                    "duration_unit": binding.duration_unit,
                }
            )

    def binding(self) -> dict:
        """The binding as ``services.iki_bind`` takes it."""
        data = self.cleaned_data
        own = data["scope"] == SCOPE_OWN
        return {
            "stream": data["stream"],
            "metric": data["metric"],
            "unit": None if own else self.skp.unit,
            "officer": self.skp.employee.nip if own else "",
            "from_stage": data.get("from_stage") or "",
            "to_stage": data.get("to_stage") or "",
            "duration_unit": data.get("duration_unit") or "",
        }
