"""The role-result matrix: handing a result to subordinates, templates per position."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField

from ..models import RhkKind
from .common import TextArea
from .results import RhkChoiceField


class MatrixForm(forms.Form):
    """Hand one of my results to subordinates: tick them, optionally give each a volume."""

    rhk = RhkChoiceField(
        label=_("My result"),
        queryset=None,
        help_text=_("The result of your plan to hand out, e.g. Utama 1"),
    )
    employees = forms.MultipleChoiceField(
        label=_("Subordinates"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone who takes part in this result, e.g. all nurses"),
        error_messages={"required": _("Choose at least one subordinate.")},
    )

    def __init__(self, *args, results, subordinates, **kwargs):
        kwargs.setdefault("prefix", "m")
        super().__init__(*args, **kwargs)
        self.subordinates = list(subordinates)
        self.fields["rhk"].queryset = results
        self.fields["employees"].choices = [
            (str(e.pk), f"{e.name} — {e.position.name if e.position else '-'}")
            for e in self.subordinates
        ]
        for employee in self.subordinates:
            self.fields[f"volume-{employee.pk}"] = NumberField(
                label=_("Volume for %(name)s") % {"name": employee.name},
                required=False,
                help_text=_("Leave empty for the same target; a share, e.g. 400"),
            )

    def volume_fields(self):
        return [self[f"volume-{e.pk}"] for e in self.subordinates]

    def assignments(self):
        chosen = set(self.cleaned_data["employees"])
        return [
            (e, self.cleaned_data.get(f"volume-{e.pk}"))
            for e in self.subordinates
            if str(e.pk) in chosen
        ]


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.unit.name})"


class TemplateForm(forms.Form):
    position = PositionChoiceField(
        label=_("Position"),
        queryset=None,
        help_text=_("A position that reports to yours, e.g. Perawat Terampil"),
    )
    kind = forms.ChoiceField(
        label=_("Group"), choices=RhkKind.choices, initial=RhkKind.MAIN, help_text=_("e.g. utama")
    )
    text = forms.CharField(
        label=_("Work result (RHK)"),
        max_length=2000,
        widget=TextArea(2),
        help_text=_("e.g. Terlaksananya asuhan keperawatan pasien rawat jalan"),
    )

    def __init__(self, *args, positions, **kwargs):
        kwargs.setdefault("prefix", "t")
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions


class TemplateApplyForm(forms.Form):
    supports = RhkChoiceField(
        label=_("Supports my result"),
        required=False,
        queryset=None,
        empty_label=_("— none —"),
        help_text=_("The result of your plan the holders' results support, e.g. Utama 1"),
    )

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supports"].queryset = results
