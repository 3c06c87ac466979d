"""A work result (RHK) with its indicator rows (IKI): the result's form, one form per indicator
row, and putting the service's errors back on the row they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberOrRangeField, errors_to_form

from ..models import Aspect, Perspective, RhkKind
from ..services import MAX_INDICATORS
from .common import TextArea

#: Indicator rows shown on an empty result form; more appear when a result already has more.
IKI_ROWS = 5


class RhkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        group = _("Main") if obj.kind == RhkKind.MAIN else _("Additional")
        return f"{group} {obj.number}. {obj.text}"


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"


class RhkForm(forms.Form):
    """The result itself; its indicators are :class:`IkiRowForm` rows beside it."""

    kind = forms.ChoiceField(
        label=_("Group"),
        choices=RhkKind.choices,
        initial=RhkKind.MAIN,
        help_text=_("Utama for the results of your position, tambahan for extra assignments"),
    )
    text = forms.CharField(
        label=_("Work result (RHK)"),
        max_length=2000,
        widget=TextArea(2),
        help_text=_("e.g. Terlaksananya layanan kepada masyarakat tepat waktu"),
    )
    supports = RhkChoiceField(
        label=_("Supports the rater's result"),
        required=False,
        queryset=None,
        empty_label=_("— none —"),
        help_text=_("The result of your rater's plan that this one helps to reach, e.g. Utama 1"),
    )
    indicator = IndicatorChoiceField(
        label=_("Agency indicator (IKU)"),
        required=False,
        queryset=None,
        empty_label=_("— none —"),
        help_text=_("For a JPT: the agency indicator this result serves, e.g. IKU-01"),
    )
    perspective = forms.ChoiceField(
        label=_("Perspective"),
        required=False,
        choices=[("", _("— none —")), *Perspective.choices],
        help_text=_("For a JPT, e.g. Penerima Layanan"),
    )

    def __init__(self, *args, supports_qs, indicator_qs, jpt: bool, editing: bool = False, **kw):
        super().__init__(*args, **kw)
        self.fields["supports"].queryset = supports_qs
        if jpt:
            self.fields["indicator"].queryset = indicator_qs
        else:
            del self.fields["indicator"]
            del self.fields["perspective"]
        if editing:
            # rhk_update keeps the group: a result moves between groups by adding it again.
            del self.fields["kind"]


class IkiRowForm(forms.Form):
    """One indicator row; a row left empty is ignored."""

    aspect = forms.ChoiceField(
        label=_("Aspect"),
        required=False,
        choices=[("", "—"), *Aspect.choices],
        help_text=_("e.g. Kuantitas"),
    )
    text = forms.CharField(
        label=_("Indicator (IKI)"),
        required=False,
        max_length=2000,
        help_text=_("e.g. Jumlah layanan yang diselesaikan tepat waktu"),
    )
    target = NumberOrRangeField(
        label=_("Target"),
        required=False,
        help_text=_("A number or a range, e.g. 1,200 or 80-90"),
    )
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=40, help_text=_("e.g. dokumen, %, hari")
    )
    basis = forms.ChoiceField(
        label=_("The target holds for"),
        required=False,
        choices=[
            ("", _("automatic")),
            ("year", _("the year (shared out over the periods)")),
            ("period", _("each period as it is")),
        ],
        help_text=_(
            "e.g. 1200 dokumen a year is 300 a quarter; 95 % holds in every period. Automatic: "
            "counts (not %) are yearly totals."
        ),
    )
    direction = forms.ChoiceField(
        label=_("Better is"),
        required=False,
        choices=[("", _("automatic")), ("higher", _("higher")), ("lower", _("lower"))],
        help_text=_("e.g. lower for a processing time; automatic: lower for the time aspect"),
    )

    @property
    def is_empty(self) -> bool:
        data = self.cleaned_data
        return data.get("target") is None and not any(
            (data.get(name) or "").strip() for name in ("aspect", "text", "unit")
        )

    def clean(self):
        data = super().clean()
        if not self.is_empty:
            if not data.get("aspect"):
                self.add_error("aspect", _("Choose kuantitas, kualitas, waktu or biaya."))
            if not (data.get("text") or "").strip():
                self.add_error(
                    "text",
                    _("Write the indicator, e.g. Jumlah layanan yang diselesaikan tepat waktu."),
                )
        return data


def iki_initial(iki) -> dict:
    target: object = iki.target
    if iki.has_range:
        target = {"low": iki.target_low, "high": iki.target_high}
    return {
        "aspect": iki.aspect,
        "text": iki.text,
        "target": target,
        "unit": iki.unit_of_measure,
        "basis": "year" if iki.yearly_total else "period",
        "direction": "lower" if iki.lower_is_better else "higher",
    }


def iki_rows(
    data=None, *, initial: list[dict] | None = None, prefix: str = "iki"
) -> list[IkiRowForm]:
    """The indicator rows of a result form: at least :data:`IKI_ROWS`, one empty row beyond the
    existing ones, at most ``MAX_INDICATORS``; a posted form reads every row it may have."""
    initial = initial or []
    count = (
        MAX_INDICATORS if data is not None else min(MAX_INDICATORS, max(IKI_ROWS, len(initial) + 1))
    )
    return [
        IkiRowForm(data, prefix=f"{prefix}-{n}", initial=initial[n] if n < len(initial) else None)
        for n in range(count)
    ]


def rows_valid(rows: list[IkiRowForm]) -> bool:
    return all([row.is_valid() for row in rows])  # noqa: C419 — validate every row


def filled_rows(rows: list[IkiRowForm]) -> list[tuple[IkiRowForm, dict]]:
    """The non-empty rows with the indicator each gives to the service."""
    items = []
    for row in rows:
        if row.is_empty:
            continue
        data = row.cleaned_data
        items.append(
            (
                row,
                {
                    "aspect": data["aspect"],
                    "text": data["text"],
                    "target": data["target"],
                    "unit": data["unit"],
                    **({"yearly_total": data["basis"] == "year"} if data.get("basis") else {}),
                    **(
                        {"lower_is_better": data["direction"] == "lower"}
                        if data.get("direction")
                        else {}
                    ),
                },
            )
        )
    return items


def indicator_errors_to_rows(
    form, rows: list[tuple[IkiRowForm, dict]], exc: ValidationError, *, fields=None
) -> None:
    """A service error about ``indicators.<n>.<field>`` goes on the n-th filled row; the rest
    on the result form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    rest = {}
    for key, errors in exc.error_dict.items():
        parts = key.split(".")
        if parts[0] == "indicators" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                row = rows[index][0]
                name = parts[2] if len(parts) > 2 and parts[2] in row.fields else None
                for error in errors:
                    row.add_error(name, error.messages)
                continue
        rest[key] = errors
    if rest:
        errors_to_form(form, ValidationError(rest), fields=fields)
