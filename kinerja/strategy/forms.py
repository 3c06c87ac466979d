"""Forms of the organisational-performance pages. They only parse what people type; the rules
(formula checks, target shapes, periods, evidence types) live in :mod:`.services`, whose
``ValidationError`` the views put back on the fields named here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField
from kinerja.core.nip import normalize_nip
from kinerja.core.periods import MAX_YEAR, MIN_YEAR, ROMAN
from kinerja.organizations.models import Position, Unit
from kinerja.streams.models import DurationUnit, Metric, Stream

from .evidence_files import TYPES
from .models import DataSource, Indicator, Mission, StrategicTarget
from .services import INDICATOR_FIELDS

EVIDENCE_ACCEPT = ",".join(
    sorted(
        {ext for _type, exts in TYPES.values() for ext in exts} | {t for t, _e in TYPES.values()}
    )
)


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=kwargs.pop("label", _("Year")),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=kwargs.pop("help_text", _("e.g. 2026")),
        **kwargs,
    )


# --- The region's plan ------------------------------------------------------------------------


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("e.g. RPJMD Kota Palembang 2024–2029")
    )
    start_year = year_field(label=_("First year"), help_text=_("e.g. 2024"))
    end_year = year_field(
        label=_("Last year"), help_text=_("Four years after the first, e.g. 2028 for 2024")
    )
    vision = forms.CharField(
        label=_("Vision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. Palembang Emas Darussalam: maju, sejahtera, berkelanjutan"),
    )
    missions = forms.CharField(
        label=_("Missions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One mission per line, in order; the first line is mission 1. "
            "e.g. Meningkatkan kualitas pelayanan publik"
        ),
    )

    def clean_missions(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["missions"].splitlines()]
        return [line for line in lines if line]


# --- Goals and strategic targets ------------------------------------------------------------


class MissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.plan.start_year}–{obj.plan.end_year} · {obj.number}. {obj.text}"


class CodeTextChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.text}"


class GoalForm(forms.Form):
    mission = MissionChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.none(),
        help_text=_("The region's mission this goal serves, e.g. mission 2"),
    )
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. T1"))
    text = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. Meningkatnya derajat kesehatan masyarakat"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "goal")
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = Mission.objects.select_related("plan").order_by(
            "-plan__start_year", "number"
        )


class StrategicTargetForm(forms.Form):
    goal = CodeTextChoiceField(
        label=_("Goal"),
        queryset=StrategicTarget.objects.none(),
        help_text=_("The goal this strategic target serves, e.g. T1"),
    )
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. S1.1"))
    text = forms.CharField(
        label=_("Strategic target"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. Meningkatnya mutu pelayanan kegawatdaruratan"),
    )

    def __init__(self, *args, goals, **kwargs):
        kwargs.setdefault("prefix", "target")
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals


# --- Indicators ---------------------------------------------------------------------------------

FORMULA_HELP = _(
    "Only when the data source is a formula. Numbers, + − * /, parentheses, min(a, b), "
    "max(a, b), if(condition, then, else) and other indicators of this agency by their code "
    "in braces. e.g. {IKU-01} / {IKU-02} * 100"
)


class IndicatorForm(forms.ModelForm):
    """Every field of an indicator, explained in plain words; saved by services.indicator_save."""

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        help_texts = {
            "code": _("Unique in the agency: capital letters, digits, '.', '-'. e.g. IKU-01"),
            "name": _("What is measured, e.g. Waktu respons penanganan kegawatdaruratan"),
            "unit_of_measure": _("The unit of the values, e.g. menit, jam, %, orang"),
            "polarity": _(
                "Higher is better: more is good (e.g. % of teachers trained). Lower is better: "
                "less is good (e.g. response time in minutes). Target range: a value between a "
                "lower and an upper bound is best (e.g. 80–90 % bed occupancy)."
            ),
            "aggregation": _(
                "How the monthly values make a quarter and the year. Sum: add them up (e.g. "
                "people served). Average: their mean (e.g. average waiting time). Last value: "
                "the latest month counts (e.g. the percentage of villages covered so far)."
            ),
            "period_type": _(
                "How often a value is entered. Monthly: every month. Quarterly: in March, June, "
                "September and December (e.g. accreditation reviews). Yearly: in December."
            ),
            "data_source": _(
                "Entered by hand: the owner types the value each period and attaches evidence. "
                "Formula: computed from other indicators; nobody enters it. Stream: a metric "
                "of a service application's data (e.g. the median time to issue a KTP-el) "
                "fills it by itself."
            ),
            "lower_formula": _(
                "Only for lower is better. Standard: (2 − R/T) × 100, e.g. T = 10 minutes and "
                "R = 12 gives 80 %. Inverse: T/R × 100, e.g. the same gives 83.33 %."
            ),
            "range_above": _(
                "Only for a target range: whether a value above the upper bound lowers the "
                "achievement (like lower is better) or still counts as 100 %. e.g. a bed "
                "occupancy of 95 % against 70–85 % is too full: lowers it."
            ),
            "formula": FORMULA_HELP,
            "strategic_target": _("The strategic target (sasaran) it measures, e.g. S1.1"),
            "owner_unit": _("The unit responsible, e.g. Bidang Pelayanan Kesehatan"),
            "owner_position": _(
                "Its holder enters the values and the holder's rater verifies them; empty: the "
                "Pengelola Kinerja enters and the head of the agency verifies. "
                "e.g. Kepala Puskesmas Plaju"
            ),
            "active": _(
                "Untick to stop measuring it, e.g. when the RPJMD drops it; its history stays."
            ),
        }
        widgets = {
            "formula": forms.TextInput(
                attrs={"spellcheck": "false", "autocomplete": "off", "class": "mono"}
            ),
        }

    def __init__(self, *args, agency, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_target"].queryset = (
            StrategicTarget.objects.visible_to(user).filter(agency=agency).order_by("code")
        )
        self.fields["strategic_target"].label_from_instance = lambda t: f"{t.code} {t.text}"
        self.fields["owner_unit"].queryset = (
            Unit.objects.visible_to(user).filter(agency=agency).order_by("code")
        )
        self.fields["owner_unit"].label_from_instance = lambda u: f"{u.name} ({u.code})"
        self.fields["owner_position"].queryset = (
            Position.objects.visible_to(user).filter(unit__agency=agency).order_by("code")
        )
        self.fields["owner_position"].label_from_instance = lambda p: f"{p.name} ({p.code})"

        self._binding_fields(agency, user)

    # --- The stream metric (data source "stream") ------------------------------------------

    binding_stream = forms.ModelChoiceField(
        label=_("Stream"),
        queryset=None,
        required=False,
        help_text=_("Only for the data source stream: the service whose data fill it, e.g. ktp-el"),
    )
    binding_metric = forms.ChoiceField(
        label=_("Metric"),
        required=False,
        help_text=_(
            "The figure of each month, quarter and year, computed over its whole period, e.g. "
            "duration, median. Counts combine as a sum (open cases: the last value), "
            "durations and shares as an average of the months."
        ),
    )
    binding_unit = forms.ModelChoiceField(
        label=_("Only the unit"),
        queryset=None,
        required=False,
        help_text=_("Empty: the whole stream. e.g. UPTD Puskesmas Plaju"),
    )
    binding_officer = forms.CharField(
        label=_("Only the officer (NIP)"),
        max_length=30,
        required=False,
        help_text=_(
            "Only for an indicator with an owning position: the NIP of its holder, e.g. "
            "198503122010011002. Individual figures are seen only by the officer and their "
            "raters."
        ),
    )
    binding_from_stage = forms.CharField(
        label=_("From stage"),
        max_length=40,
        required=False,
        help_text=_("Durations only; empty for the whole case. e.g. diverifikasi"),
    )
    binding_to_stage = forms.CharField(
        label=_("To stage"),
        max_length=40,
        required=False,
        help_text=_("Durations only, with the first stage. e.g. dicetak"),
    )
    binding_duration_unit = forms.ChoiceField(
        label=_("Durations in"),
        required=False,
        help_text=_("Durations only: elapsed time in minutes, hours or days, e.g. hours"),
    )

    BINDING_FORM_FIELDS = {
        "stream": "binding_stream",
        "metric": "binding_metric",
        "unit": "binding_unit",
        "officer": "binding_officer",
        "from_stage": "binding_from_stage",
        "to_stage": "binding_to_stage",
        "duration_unit": "binding_duration_unit",
    }

    def _binding_fields(self, agency, user) -> None:
        self.fields["binding_stream"].queryset = (
            Stream.objects.visible_to(user).select_related("agency").order_by("code")
        )
        self.fields["binding_stream"].label_from_instance = lambda s: f"{s.name} ({s.code})"
        self.fields["binding_metric"].choices = [("", "—"), *Metric.choices]
        self.fields["binding_unit"].queryset = Unit.objects.visible_to(user).order_by("code")
        self.fields["binding_unit"].label_from_instance = lambda u: f"{u.name} ({u.code})"
        self.fields["binding_duration_unit"].choices = [("", "—"), *DurationUnit.choices]
        binding = self.instance.metric_binding if self.instance.metric_binding_id else None
        if binding is not None and not self.is_bound:
            for name, field_name in self.BINDING_FORM_FIELDS.items():
                self.initial[field_name] = getattr(binding, f"{name}_id", None) or getattr(
                    binding, name
                )
        # The stream's fields right after the data source and the formula they replace.
        order = list(self.fields)
        binding_names = list(self.BINDING_FORM_FIELDS.values())
        rest = [name for name in order if name not in binding_names]
        at = rest.index("formula") + 1
        self.order_fields([*rest[:at], *binding_names, *rest[at:]])

    def clean_binding_officer(self) -> str:
        return normalize_nip(self.cleaned_data.get("binding_officer", ""))

    def binding(self) -> dict | None:
        """The stream metric as services.indicator_save takes it; ``None`` unless the data
        source is a stream."""
        if self.cleaned_data.get("data_source") != DataSource.STREAM:
            return None
        return {
            name: self.cleaned_data.get(field_name)
            or ("" if name not in {"stream", "unit"} else None)
            for name, field_name in self.BINDING_FORM_FIELDS.items()
        }

    def _post_clean(self):
        # The model's own checks run once, in services.indicator_save, whose errors the view
        # puts on these fields; running them here too would report some twice.
        pass


# --- Realisations, evidence, verification ------------------------------------------------------


def period_choices(year: int, months: Iterable[int]) -> list[tuple[str, str]]:
    return [(f"{year}-{m:02d}", f"{MONTHS[m]} {year}") for m in months]


class RealisationForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Month"),
        help_text=_("The month the value belongs to, e.g. October 2026"),
    )
    value = NumberField(
        label=_("Value"), help_text=_("In the indicator's unit, e.g. 1,200 or 12.5")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the value comes from, e.g. counted from the queue system's report"),
    )
    supporting = forms.CharField(
        label=_("What helped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. a second ambulance on duty at night"),
    )
    hindering = forms.CharField(
        label=_("What hindered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. two staff on leave in the same week"),
    )

    def __init__(self, *args, periods: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("prefix", "r")
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.fields["value"].required = True


class EvidenceForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Month"), help_text=_("The month the document supports, e.g. October 2026")
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, e.g. rekap-oktober.pdf"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=200,
        help_text=_("e.g. Rekap laporan IGD Oktober"),
    )

    def __init__(self, *args, periods: list[tuple[str, str]], max_mb: int, **kwargs):
        kwargs.setdefault("prefix", "e")
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG, DOCX or XLSX, at most %(mb)d MB, e.g. rekap-oktober.pdf"
        ) % {"mb": max_mb}


class VerifyForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Verify")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Needed when returning: what must be corrected, e.g. the evidence is missing"),
    )


class AgreementActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "agree", "return", "reopen")],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Needed to return or reopen, e.g. the TW II target of IKU-02 is too low"),
    )


# --- The agreement's targets ---------------------------------------------------------------------


@dataclass
class TargetRow:
    indicator: Indicator
    yearly: list  # bound fields: [value] or [low, high]
    quarters: list  # per quarter: [value] or [low, high]

    @property
    def errors(self) -> list[str]:
        fields = [*self.yearly, *(f for quarter in self.quarters for f in quarter)]
        return [e for f in fields for e in f.errors]


class TargetsForm(forms.Form):
    """One row per indicator: the yearly target and TW I–IV, a value or (for a range) low and
    high. Each field is a number as the user's language writes it; empty means "not set"."""

    def __init__(self, *args, indicators: list[Indicator], current: dict, **kwargs):
        """``current``: indicator id → selectors.Target of the year and four quarterly ones."""
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            yearly, quarters = current.get(ind.pk, (None, [None] * 4))
            for suffix, target in [("", yearly)] + [
                (f"_q{q}", quarters[q - 1]) for q in range(1, 5)
            ]:
                for part in ("low", "high") if ind.is_range else ("value",):
                    name = f"t{ind.pk}{suffix}_{part}"
                    self.fields[name] = NumberField(
                        label=self._label(ind, suffix, part),
                        required=False,
                        initial=getattr(target, part, None) if target else None,
                    )

    @staticmethod
    def _label(ind: Indicator, suffix: str, part: str) -> str:
        period = _("year") if not suffix else f"TW {ROMAN[int(suffix[-1])]}"
        words = {"value": _("target"), "low": _("lower bound"), "high": _("upper bound")}
        return f"{ind.code} {period} {words[part]}"

    def rows(self) -> list[TargetRow]:
        rows = []
        for ind in self.indicators:
            parts = ("low", "high") if ind.is_range else ("value",)
            rows.append(
                TargetRow(
                    ind,
                    [self[f"t{ind.pk}_{p}"] for p in parts],
                    [[self[f"t{ind.pk}_q{q}_{p}"] for p in parts] for q in range(1, 5)],
                )
            )
        return rows

    def targets(self) -> list[tuple[Indicator, dict]]:
        """The rows someone filled in, as keyword arguments of services.target_set."""
        out = []
        for ind in self.indicators:
            data = self.cleaned_data
            if ind.is_range:
                low, high = data[f"t{ind.pk}_low"], data[f"t{ind.pk}_high"]
                quarters = []
                for q in range(1, 5):
                    q_low, q_high = data[f"t{ind.pk}_q{q}_low"], data[f"t{ind.pk}_q{q}_high"]
                    quarters.append(None if q_low is None and q_high is None else (q_low, q_high))
                kwargs = {"low": low, "high": high, "quarters": quarters}
                empty = low is None and high is None
            else:
                value = data[f"t{ind.pk}_value"]
                quarters = [data[f"t{ind.pk}_q{q}_value"] for q in range(1, 5)]
                kwargs = {"value": value, "quarters": quarters}
                empty = value is None
            if empty and all(q is None for q in quarters):
                continue  # an untouched row: nothing to set
            out.append((ind, kwargs))
        return out

    def error_fields(self) -> dict[str, str]:
        """Where the refusals of services.targets_set go (``fields`` of
        :func:`kinerja.core.forms.errors_to_form`): a row's yearly target on its first yearly
        field, its quarterly targets on its first quarterly field."""
        fields = {}
        for ind in self.indicators:
            part = "low" if ind.is_range else "value"
            fields[f"{ind.code}.target"] = f"t{ind.pk}_{part}"
            fields[f"{ind.code}.quarterly_targets"] = f"t{ind.pk}_q1_{part}"
        return fields
