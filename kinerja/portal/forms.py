"""The audit trail's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import Channel

OBJECT_TYPES = [
    ("", _("all")),
    ("organizations.agency", _("agency")),
    ("organizations.unit", _("unit")),
    ("organizations.position", _("position")),
    ("organizations.employee", _("employee")),
    ("organizations.actingofficial", _("acting official")),
    ("organizations.rateroverride", _("rater override")),
    ("organizations.region", _("region")),
    ("organizations.import", _("import")),
    ("accounts.user", _("account")),
    ("accounts.roleassignment", _("role")),
    ("accounts.apitoken", _("API token")),
]


class AuditFilterForm(forms.Form):
    text = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=100,
        help_text=_("NIP, code or name, e.g. DINKES"),
    )
    object_type = forms.ChoiceField(label=_("Kind of data"), required=False, choices=OBJECT_TYPES)
    channel = forms.ChoiceField(
        label=_("Door"), required=False, choices=[("", _("all")), *Channel.choices]
    )
    actor = forms.CharField(
        label=_("By"), required=False, max_length=150, help_text=_("e.g. admin")
    )
    agency = forms.CharField(
        label=_("Agency code"), required=False, max_length=40, help_text=_("e.g. DINKES")
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("'Until' must not be before 'From'."))
        return data
