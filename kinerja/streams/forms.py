"""Forms of the administrator's service-data pages. They only parse what people type: a
stream's definition is checked by :func:`.definitions.check_stream`, the very validator of
``kinerja streams load``, and the operations' ``ValidationError`` is put back on the fields."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField

from .definitions import DefinitionError, check_stream
from .models import SlaUnit, Stream

# The validator's field names (the file's keys) → this form's fields.
FORM_FIELD = {
    "name": "name",
    "stages": "stages",
    "start": "start",
    "end": "end",
    "sla.limit": "sla_limit",
    "sla.unit": "sla_unit",
}


def _form_field(error: DefinitionError) -> str | None:
    field = re.sub(r"\[\d+\]$", "", error.field)  # stages[2] → stages
    return FORM_FIELD.get(field)


class StreamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Penerbitan KTP-el"))
    stages = forms.CharField(
        label=_("Stages"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In order, separated by commas or on separate lines; each 1–40 small letters, "
            "digits, '_' or '-'. e.g. diajukan, diverifikasi, dicetak, diserahkan"
        ),
    )
    start = forms.CharField(
        label=_("Start stage"),
        max_length=40,
        help_text=_("The stage that opens a case, one of the stages, e.g. diajukan"),
    )
    end = forms.CharField(
        label=_("End stage"),
        max_length=40,
        help_text=_("The stage that completes a case, another of the stages, e.g. diserahkan"),
    )
    sla_limit = NumberField(
        label=_("Service level (limit)"),
        max_length=20,
        help_text=_("A number greater than 0, at most two decimals, e.g. 8 or 1.5"),
    )
    sla_unit = forms.ChoiceField(
        label=_("Measured in"),
        choices=SlaUnit.choices,
        help_text=_(
            "Working hours count only Monday–Friday 08:00–16:00 in the region's time, without "
            "public holidays and the region's days off; e.g. 8 working hours for KTP-el, "
            "15 minutes for an emergency response"
        ),
    )

    def __init__(self, *args, stream: Stream, **kwargs):
        self.stream = stream
        self.definition = None
        kwargs.setdefault(
            "initial",
            {
                "name": stream.name,
                "stages": ", ".join(stream.stages),
                "start": stream.start_stage,
                "end": stream.end_stage,
                "sla_limit": stream.sla_limit,
                "sla_unit": stream.sla_unit,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_stages(self) -> list[str]:
        parts = re.split(r"[,\n]", self.cleaned_data["stages"])
        return [part.strip() for part in parts if part.strip()]

    def clean(self):
        data = super().clean()
        raw = {
            "code": self.stream.code,
            "name": data.get("name"),
            "agency": self.stream.agency.code,
            "stages": data.get("stages"),
            "start": data.get("start"),
            "end": data.get("end"),
            "sla": {"limit": data.get("sla_limit"), "unit": data.get("sla_unit")},
        }
        errors: list[DefinitionError] = []
        self.definition = check_stream(
            raw,
            index=None,
            agencies={self.stream.agency.code: self.stream.agency_id},
            errors=errors,
        )
        for error in errors:
            field = _form_field(error)
            if field is not None and field in self.errors:
                continue  # the field's own check said it already (e.g. required)
            if field is None:
                self.add_error(None, f"{error.field}: {error.message}")
            else:
                self.add_error(field, error.message)
        return data


class ExclusionForm(forms.Form):
    case_key = forms.CharField(
        label=_("Case"),
        max_length=128,
        help_text=_(
            "The case's identifier as the service application sends it, e.g. KTP-2026-000123"
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Why the case must not count; shown to everyone who sees the stream and kept in "
            "the audit trail. e.g. the printer was out of order for the whole day (outage)"
        ),
    )


class StreamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Stream) -> str:
        return f"{obj.code} — {obj.name}"


class ServiceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The application that will send, unique, e.g. siak-ktp-el"),
    )
    streams = StreamChoiceField(
        label=_("Streams"),
        queryset=Stream.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The streams it may send events to and read the metrics of, e.g. ktp-el"),
    )

    def __init__(self, *args, streams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["streams"].queryset = streams
