"""Through the year: a realisation of an indicator for a period, and evidence for it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField
from kinerja.strategy.forms import EVIDENCE_ACCEPT

from ..models import RhkKind
from .common import TextArea


class IkiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        group = _("Main") if obj.rhk.kind == RhkKind.MAIN else _("Additional")
        return f"{group} {obj.rhk.number}.{obj.number} {obj.text}"


class RealisationForm(forms.Form):
    iki = IkiChoiceField(
        label=_("Indicator (IKI)"),
        queryset=None,
        help_text=_("The indicator the value belongs to, e.g. Utama 1.1"),
    )
    period = forms.ChoiceField(label=_("Period"), help_text=_("e.g. TW I 2026"))
    value = NumberField(
        label=_("Realisation"),
        help_text=_("What the indicator reached in the period, e.g. 1,200 or 87.5"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=TextArea(2),
        help_text=_("e.g. 312 layanan; dua hari aplikasi mengalami gangguan"),
    )

    def __init__(self, *args, indicators, periods: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("prefix", "r")
        super().__init__(*args, **kwargs)
        self.fields["iki"].queryset = indicators
        self.fields["period"].choices = periods


class EvidenceForm(forms.Form):
    iki = IkiChoiceField(
        label=_("Indicator (IKI)"),
        queryset=None,
        help_text=_("The indicator the document supports, e.g. Utama 1.1"),
    )
    period = forms.ChoiceField(label=_("Period"), help_text=_("e.g. TW I 2026"))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, e.g. rekap-maret.pdf"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=200,
        help_text=_("e.g. Rekap loket Maret"),
    )

    def __init__(self, *args, indicators, periods: list[tuple[str, str]], max_mb: int, **kwargs):
        kwargs.setdefault("prefix", "e")
        super().__init__(*args, **kwargs)
        self.fields["iki"].queryset = indicators
        self.fields["period"].choices = periods
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG, DOCX or XLSX, at most %(mb)d MB, e.g. rekap-maret.pdf"
        ) % {"mb": max_mb}
