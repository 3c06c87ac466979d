"""Starting a plan, its attachment and approach, the rater's return and the administrator's
transfer, and the leader's expectations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Approach
from .common import TextArea

# --- Starting a plan -------------------------------------------------------------------------


class StartForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, help_text=_("e.g. 2026")
    )
    approach = forms.ChoiceField(
        label=_("Approach"),
        choices=Approach.choices,
        initial=Approach.QUANTITATIVE,
        help_text=_(
            "Kuantitatif: each indicator has a measurable target, e.g. 1200 dokumen; "
            "kualitatif: the target is written inside the indicator."
        ),
    )


# --- The attachment and the approach ---------------------------------------------------------


class AttachmentForm(forms.Form):
    approach = forms.ChoiceField(
        label=_("Approach"),
        choices=Approach.choices,
        help_text=_("e.g. kuantitatif when every indicator has a number as its target"),
    )
    resources = forms.CharField(
        label=_("Resources (dukungan sumber daya)"),
        required=False,
        max_length=5000,
        widget=TextArea(),
        help_text=_("e.g. Aplikasi SIAK, satu komputer loket, anggaran ATK"),
    )
    accountability = forms.CharField(
        label=_("Accountability scheme (skema pertanggungjawaban)"),
        required=False,
        max_length=5000,
        widget=TextArea(),
        help_text=_("e.g. Laporan bulanan kepada Kepala Seksi setiap tanggal 5"),
    )
    consequences = forms.CharField(
        label=_("Consequences (konsekuensi)"),
        required=False,
        max_length=5000,
        widget=TextArea(),
        help_text=_("e.g. Teguran tertulis bila target dua bulan berturut-turut tidak tercapai"),
    )


# --- The workflow -----------------------------------------------------------------------------


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        widget=TextArea(2),
        help_text=_("What must change, e.g. Target IKI 1 terlalu rendah dibanding tahun lalu"),
        error_messages={"required": _("Write the reason, so that the employee knows what to fix.")},
    )


class TransferForm(forms.Form):
    """The TMT of the new position and its SK: the plan closes, a new one starts that day."""

    on = forms.DateField(
        label=_("TMT of the new position"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("As dd/mm/yyyy, e.g. 01/07/2026 (the TMT in the decree)"),
        error_messages={
            "required": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
            "invalid": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
        },
    )
    sk_number = forms.CharField(
        label=_("SK number"),
        max_length=100,
        required=False,
        help_text=_("e.g. 821.2/123/BKPSDM/2026"),
    )


class EndForm(forms.Form):
    """The end of a plan at retirement or death (a transfer has its own form)."""

    reason = forms.ChoiceField(
        label=_("Ended by"),
        choices=[("retirement", _("retirement")), ("death", _("death")), ("other", _("other"))],
    )
    on = forms.DateField(
        label=_("Date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Retirement: the TMT of the pension; death: the day of death"),
        error_messages={
            "required": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
            "invalid": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExpectationsForm(forms.Form):
    """One text per core value; an empty text removes the expectation."""

    def __init__(self, *args, values, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)
        for value in self.values:
            self.fields[f"value-{value.pk}"] = forms.CharField(
                label=value.name,
                required=False,
                max_length=2000,
                widget=TextArea(2),
                initial=current.get(value.pk, ""),
                help_text=_("e.g. Menyelesaikan setiap pengaduan warga dalam 2 hari kerja"),
            )

    def texts(self):
        for value in self.values:
            yield value, self.cleaned_data.get(f"value-{value.pk}", "")
