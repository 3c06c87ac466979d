"""Forms of the plan (SKP) pages. They only parse what people type; the rules (target shapes,
supported results, states, periods, evidence types) live in :mod:`.services`, whose
``ValidationError`` the views put back on the fields named here (:func:`errors_to_form`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import errors_to_form
from kinerja.strategy.forms import EVIDENCE_ACCEPT, decimal_text

from .models import Approach, Aspect, Perspective, RhkKind
from .services import MAX_INDICATORS

#: Indicator rows shown on an empty result form; more appear when a result already has more.
IKI_ROWS = 5


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 3, **attrs):
        super().__init__(attrs={"rows": rows, **attrs})


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


# --- A result with its indicators --------------------------------------------------------------


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
        help_text=_("e.g. Terlaksananya pelayanan KTP-el tepat waktu"),
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
        help_text=_("e.g. Jumlah KTP-el yang diterbitkan"),
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        max_length=40,
        help_text=_("A number or a range, e.g. 1200 or 80-90"),
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
        return not any(
            (data.get(name) or "").strip() for name in ("aspect", "text", "target", "unit")
        )

    def clean(self):
        data = super().clean()
        if not self.is_empty:
            if not data.get("aspect"):
                self.add_error("aspect", _("Choose kuantitas, kualitas, waktu or biaya."))
            if not (data.get("text") or "").strip():
                self.add_error(
                    "text", _("Write the indicator, e.g. Jumlah KTP-el yang diterbitkan.")
                )
        return data


def iki_initial(iki) -> dict:
    if iki.has_range:
        target = f"{decimal_text(iki.target_low)}-{decimal_text(iki.target_high)}"
    else:
        target = decimal_text(iki.target)
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
    """The day a transfer took effect: the plan closes, a new one starts in the new position."""

    on = forms.DateField(
        label=_("Transfer took effect on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("As dd/mm/yyyy, e.g. 01/07/2026 (the date of the decree)"),
        error_messages={
            "required": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
            "invalid": _("Write the date as dd/mm/yyyy, e.g. 01/07/2026."),
        },
    )


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


# --- Through the year -----------------------------------------------------------------------


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
    value = forms.CharField(
        label=_("Realisation"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("What the indicator reached in the period, e.g. 312 or 87,5"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=TextArea(2),
        help_text=_("e.g. 312 KTP-el; dua hari server SIAK gangguan"),
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


# --- The role-result matrix -------------------------------------------------------------------


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
            self.fields[f"volume-{employee.pk}"] = forms.CharField(
                label=_("Volume for %(name)s") % {"name": employee.name},
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                help_text=_("Leave empty for the same target; a share, e.g. 400"),
            )

    def volume_fields(self):
        return [self[f"volume-{e.pk}"] for e in self.subordinates]

    def assignments(self):
        chosen = set(self.cleaned_data["employees"])
        return [
            (e, (self.cleaned_data.get(f"volume-{e.pk}") or "").strip() or None)
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


# --- Service data behind an indicator ---------------------------------------------------------

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
        from kinerja.streams.models import DurationUnit, Metric, Stream

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
