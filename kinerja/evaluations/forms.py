"""Forms of the evaluation pages. They only parse what people type; the rules (who may rate,
periods, deadlines, what a changed objection needs) live in :mod:`.services`, whose
``ValidationError`` the views put back on the fields named here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.skp.rhythm import Rhythm

from .models import ActionKind, FeedbackTag, ObjectionOutcome, OrgPredicate, Rating


def _rating_field(label, help_text, *, required: bool = True) -> forms.ChoiceField:
    choices = Rating.choices if required else [("", _("(not given)")), *Rating.choices]
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def _text(label, help_text, *, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class RatingForm(forms.Form):
    results_rating = _rating_field(
        _("Results rating"),
        _(
            "Your own judgement of the work results; the suggestion above is only a guide, "
            "e.g. Sesuai Ekspektasi"
        ),
    )
    behaviour_rating = _rating_field(
        _("Behaviour rating"),
        _("How the BerAKHLAK values were lived, e.g. Di Atas Ekspektasi"),
    )
    note = _text(
        _("Note to the employee"),
        _("e.g. Capaian kunjungan baik; perbaiki kelengkapan rekam medis"),
        required=False,
    )


class CorrectionForm(forms.Form):
    results_rating = _rating_field(_("Results rating"), _("The corrected results rating"))
    behaviour_rating = _rating_field(_("Behaviour rating"), _("The corrected behaviour rating"))
    reason = _text(
        _("Reason for the correction"),
        _("Required; the employee reads it, e.g. Realisasi Maret belum terhitung"),
    )


class SelfAssessmentForm(forms.Form):
    text = _text(
        _("Self-assessment"),
        _(
            "What went well, what did not and why, e.g. Target layanan tercapai; "
            "saya perlu belajar menyusun laporan yang lebih ringkas"
        ),
        rows=5,
    )
    results_rating = _rating_field(
        _("My results"), _("How you judge your results, e.g. Sesuai Ekspektasi"), required=False
    )
    behaviour_rating = _rating_field(
        _("My behaviour"), _("How you judge your behaviour, e.g. Sesuai Ekspektasi"), required=False
    )


class FeedbackForm(forms.Form):
    about = forms.ChoiceField(
        label=_("About"),
        help_text=_(
            "A work result of the plan or one of the BerAKHLAK values, e.g. Berorientasi Pelayanan"
        ),
    )
    tag = forms.ChoiceField(
        label=_("Kind"),
        choices=FeedbackTag.choices,
        widget=forms.RadioSelect,
        help_text=_("Appreciation for what went well, improvement for what could go better"),
    )
    text = _text(
        _("Feedback"), _("e.g. Antrean pagi lebih tertib sejak nomor antrean daring"), rows=3
    )

    def __init__(self, *args, results=(), values=(), **kwargs):
        kwargs.setdefault("prefix", "fb")
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [
            (_("Work results"), [(f"rhk-{r.pk}", f"{r.number}. {r.text[:90]}") for r in results]),
            (_("Core values (BerAKHLAK)"), [(f"value-{v.pk}", v.name) for v in values]),
        ]
        self._results = {f"rhk-{r.pk}": r for r in results}
        self._values = {f"value-{v.pk}": v for v in values}

    def clean_about(self):
        key = self.cleaned_data["about"]
        return self._results.get(key), self._values.get(key)


class ReplyForm(forms.Form):
    text = _text(_("Reply"), _("e.g. Terima kasih, akan saya perbaiki bulan ini"), rows=2)


class ObjectionForm(forms.Form):
    reason = _text(
        _("Reasons"),
        _(
            "Why the predicate should be different, e.g. Realisasi Desember belum dihitung "
            "karena server gangguan"
        ),
        rows=5,
    )
    evidence = _text(
        _("Evidence"),
        _(
            "What supports your reasons, e.g. Rekap loket Desember, "
            "surat keterangan gangguan server"
        ),
        required=False,
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=ObjectionOutcome.choices,
        widget=forms.RadioSelect,
        help_text=_("Uphold the predicate, or change it with new ratings"),
    )
    reason = _text(
        _("Reasons for the decision"),
        _("e.g. Data Desember sudah lengkap dan menunjukkan target tercapai"),
        rows=4,
    )
    results_rating = _rating_field(
        _("New results rating"), _("Only when changing, e.g. Sesuai Ekspektasi"), required=False
    )
    behaviour_rating = _rating_field(
        _("New behaviour rating"), _("Only when changing, e.g. Sesuai Ekspektasi"), required=False
    )


class ExplanationRequestForm(forms.Form):
    due = forms.DateField(
        label=_("Explain by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the year's number of days from today, e.g. 5 days"),
    )


class ExplanationForm(forms.Form):
    text = _text(
        _("Your explanation of the rating"),
        _("e.g. Realisasi Desember belum diverifikasi saat penilaian"),
        rows=4,
    )


class OrgPredicateForm(forms.Form):
    predicate = forms.ChoiceField(
        label=_("Organisation predicate"),
        choices=OrgPredicate.choices,
        help_text=_("The unit's predicate for the period, e.g. Baik"),
    )
    reason = _text(
        _("Basis"), _("e.g. Capaian PK TW I 96 %, rencana aksi 11 dari 12"), required=False
    )


class RhythmForm(forms.Form):
    year = forms.IntegerField(
        label=_("From the year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("The rhythm applies from this year on, e.g. 2026"),
    )
    rhythm = forms.ChoiceField(
        label=_("Rhythm of periodic evaluation"),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        help_text=_("How often raters evaluate during the year, e.g. quarterly"),
    )


class DevelopmentOpenForm(forms.Form):
    goal = _text(_("What to develop"), _("e.g. Ketelitian verifikasi berkas kependudukan"), rows=2)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ActionKind.choices,
        help_text=_("Training, mentoring or coaching, e.g. mentoring"),
    )
    description = _text(
        _("Action"), _("e.g. Pelatihan verifikasi dokumen kependudukan, 3 hari"), rows=2
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=200,
        help_text=_("Who makes it happen, e.g. Kepala Seksi Pelayanan"),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("As dd/mm/yyyy, e.g. 30/06/2026"),
        error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 30/06/2026.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "act")
        super().__init__(*args, **kwargs)


class FollowUpForm(forms.Form):
    text = _text(
        _("Follow-up"),
        _("What has happened since, e.g. Pelatihan selesai 12/06, hasil baik"),
        rows=3,
    )
    done = forms.MultipleChoiceField(
        label=_("Actions done"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the actions that have been carried out"),
    )
    close = forms.BooleanField(
        label=_("Close the development plan"),
        required=False,
        help_text=_("Tick when nothing more needs to be followed up"),
    )

    def __init__(self, *args, actions=(), **kwargs):
        kwargs.setdefault("prefix", "fu")
        super().__init__(*args, **kwargs)
        self.fields["done"].choices = [
            (str(a.pk), a.description[:80]) for a in actions if a.done_on is None
        ]

    def clean_done(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["done"]]


class CreditBaseForm(forms.Form):
    """A PAK (penetapan angka kredit), the base of the credit-point ledger."""

    amount = NumberField(
        label=_("Cumulative credit points"), max_length=20, help_text=_("e.g. 112.5")
    )
    pak_number = forms.CharField(
        label=_("PAK number"), max_length=100, help_text=_("e.g. 800/PAK/12/BKPSDM/2026")
    )
    pak_date = forms.DateField(
        label=_("PAK date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("As dd/mm/yyyy, e.g. 31/01/2026"),
        error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 31/01/2026.")},
    )


# --- Coaching (views/coaching.py) ---------------------------------------------------------------


class CoachingFeedbackForm(forms.Form):
    """The feedback a coaching item proposes, as the rater edits it, on one of the plan's
    results (``results``: (pk, label) pairs)."""

    text = _text(
        _("Message to the employee"),
        _("Pre-filled with the data and where they come from; edit it as you would say it"),
        rows=7,
    )
    rhk = forms.TypedChoiceField(
        label=_("On the result"), coerce=int, help_text=_("The result the feedback is about")
    )

    def __init__(self, *args, results=(), **kwargs):
        kwargs.setdefault("prefix", "fb")
        super().__init__(*args, **kwargs)
        self.fields["rhk"].choices = list(results)


class CoachingDevelopmentForm(ActionForm):
    """A development action a coaching item proposes, added to the employee's draft
    development plan (opened with ``goal`` when there is none)."""

    goal = _text(
        _("What to develop"),
        _("Used when the employee has no development plan in draft yet"),
        rows=2,
    )

    field_order = ["goal", "kind", "description", "owner", "due_on"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "dev")
        super().__init__(*args, **kwargs)


class CoachingDismissForm(forms.Form):
    reason = _text(
        _("Reason"), _("Why no action is needed, e.g. Listrik padam tiga hari di bulan ini")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "dis")
        super().__init__(*args, **kwargs)
