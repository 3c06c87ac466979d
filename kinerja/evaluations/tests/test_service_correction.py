"""Correcting a recorded rating (``services/correction.py``: ``evaluation_correct``): who may
correct when (the rater until the period's deadline, the rater's superior after it, the region's
administrator for a JPT), a reason required, an annual predicate under objection or decided on
objection left to the objection, and what follows — the earlier rating kept, the predicate and
credit points recomputed, the suggestion kept, the employee told, a development plan below
Baik, the audit record."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.core.models import AuditRecord, Notification
from kinerja.evaluations import services
from kinerja.evaluations.models import DevelopmentPlan, EvaluationCorrection
from kinerja.skp.tests.factories import approved_plan

from .support import WIB, jpt_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages as written in the code (the msgids; the Indonesian catalogue follows them)."""
    with translation.override("en"):
        yield


# TW I 2026 is open from 1 April, due by 5 April; the year 2026 from 1 January 2027 to 31 January.
Q1_RATED = datetime(2026, 4, 2, 9, tzinfo=WIB)
Q1_DUE = datetime(2026, 4, 5, 23, 59, tzinfo=WIB)
Q1_LATE = datetime(2026, 4, 6, 0, 0, tzinfo=WIB)
YEAR_RATED = datetime(2027, 1, 4, 9, tzinfo=WIB)
YEAR_LATE = datetime(2027, 2, 1, 9, tzinfo=WIB)


def quarter_rated(cast, results="meets", behaviour="meets"):
    return services.evaluation_rate(
        skp=approved_plan(cast), by=cast.rater, period="2026-Q1", results_rating=results,
        behaviour_rating=behaviour, now=Q1_RATED,
    )  # fmt: skip


def correct(evaluation, by, now, results="above", behaviour="meets", reason="Data Maret masuk"):
    return services.evaluation_correct(
        evaluation=evaluation, by=by, results_rating=results, behaviour_rating=behaviour,
        reason=reason, now=now,
    )  # fmt: skip


# (who, when, may correct)
WHO_WHEN = [
    ("rater", Q1_RATED, True),
    ("rater", Q1_DUE, True),
    ("rater", Q1_LATE, False),
    ("rater_superior", Q1_DUE, False),
    ("rater_superior", Q1_LATE, True),
    ("employee", Q1_DUE, False),
    ("employee", Q1_LATE, False),
    ("colleague", Q1_DUE, False),
    ("pengelola", Q1_DUE, False),
    ("pengelola", Q1_LATE, False),
    ("head", Q1_LATE, False),
    ("admin", Q1_DUE, False),
    ("admin", Q1_LATE, False),
]


@pytest.mark.parametrize(("who", "when", "allowed"), WHO_WHEN)
def test_who_may_correct_when(cast, who, when, allowed):
    evaluation = quarter_rated(cast)
    if allowed:
        correction = correct(evaluation, cast.users[who], when)
        assert correction.by == cast.employees[who]
        assert correction.recorded_by == cast.users[who]
    else:
        with pytest.raises(PermissionDenied):
            correct(evaluation, cast.users[who], when)
        assert not EvaluationCorrection.objects.exists()
        evaluation.refresh_from_db()
        assert evaluation.results_rating == "meets"


def test_the_refusal_says_who_corrects_after_the_deadline(cast):
    evaluation = quarter_rated(cast)
    with translation.override("en"), pytest.raises(PermissionDenied) as error:
        correct(evaluation, cast.rater, Q1_LATE)
    assert "05/04/2026" in str(error.value) and "superior" in str(error.value)


def test_the_earlier_rating_is_kept_and_the_predicate_follows(cast):
    evaluation = quarter_rated(cast, results="meets", behaviour="meets")
    suggestion = evaluation.suggestion
    correction = correct(evaluation, cast.rater, Q1_DUE, results="above", behaviour="above")
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.behaviour_rating, evaluation.predicate) == (
        "above", "above", "Sangat Baik",
    )  # fmt: skip
    assert evaluation.suggestion == suggestion  # the comparison stays possible
    assert correction.before == {
        "results": "meets", "behaviour": "meets", "predicate": "Baik", "credit_points": "1.250",
    }  # fmt: skip  # a Terampil's quarter Baik: 3 ÷ 12 × 100 % × 5 (the ledger, PerBKN 3/2023)
    assert correction.after["predicate"] == "Sangat Baik"
    # the credit points follow the new predicate: 3 ÷ 12 × 150 % × 5 = 1.875 → 1.88
    assert correction.after["credit_points"] == "1.880"
    assert evaluation.credit_entry.points == Decimal("1.88")
    assert (correction.reason, correction.at) == ("Data Maret masuk", Q1_DUE)
    record = AuditRecord.objects.filter(action="correct").get()
    assert (record.before["predicate"], record.after["predicate"]) == ("Baik", "Sangat Baik")
    assert record.note == "Data Maret masuk"


def test_the_employee_is_told_in_their_own_language(cast):
    cast.employee.language = "en"  # the notification follows the reader, not the rater
    cast.employee.save(update_fields=["language"])
    correct(quarter_rated(cast), cast.rater, Q1_DUE)
    notice = Notification.objects.filter(recipient=cast.employee, title__contains="corrected")
    assert notice.get().body == "Data Maret masuk"


def test_a_predicate_below_baik_opens_a_development_plan_once(cast):
    evaluation = quarter_rated(cast)
    correct(evaluation, cast.rater, Q1_DUE, results="below", behaviour="meets")
    assert DevelopmentPlan.objects.filter(skp=evaluation.skp).count() == 1
    correct(evaluation, cast.rater, Q1_DUE, results="below", behaviour="below")
    assert DevelopmentPlan.objects.filter(skp=evaluation.skp).count() == 1
    assert evaluation.corrections.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"results": "great"}, "results_rating"),
        ({"behaviour": ""}, "behaviour_rating"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(cast, body, field):
    evaluation = quarter_rated(cast)
    with pytest.raises(ValidationError) as error:
        correct(evaluation, cast.rater, Q1_DUE, **body)
    assert field in error.value.message_dict
    assert not EvaluationCorrection.objects.exists()


def test_the_annual_credit_points_follow(cast):
    evaluation = services.evaluation_rate(
        skp=approved_plan(cast), by=cast.rater, period="2026", results_rating="below",
        behaviour_rating="meets", now=YEAR_RATED,
    )  # fmt: skip
    assert evaluation.credit_points == Decimal("3.75")  # Terampil (5), Butuh Perbaikan 75 %
    correction = correct(evaluation, cast.rater, YEAR_RATED + timedelta(days=1), results="meets")
    evaluation.refresh_from_db()
    assert (evaluation.predicate, evaluation.credit_points) == ("Baik", Decimal("5"))
    assert (correction.before["credit_points"], correction.after["credit_points"]) == (
        "3.750", "5.000",
    )  # fmt: skip


def test_after_the_years_deadline_the_raters_superior_corrects_the_annual_rating(cast):
    evaluation = services.evaluation_rate(
        skp=approved_plan(cast), by=cast.rater, period="2026", results_rating="meets",
        behaviour_rating="meets", now=YEAR_RATED,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        correct(evaluation, cast.rater, YEAR_LATE)
    assert (
        correct(evaluation, cast.rater_superior, YEAR_LATE).by == cast.employees["rater_superior"]
    )


@pytest.mark.parametrize("decided", [False, True])
def test_an_annual_predicate_objected_to_changes_only_by_the_decision(cast, decided):
    evaluation = services.evaluation_rate(
        skp=approved_plan(cast), by=cast.rater, period="2026", results_rating="below",
        behaviour_rating="meets", now=YEAR_RATED,
    )  # fmt: skip
    objection = services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Data Desember belum masuk",
        now=YEAR_RATED + timedelta(days=1),
    )  # fmt: skip
    if decided:
        services.objection_decide(
            objection=objection, by=cast.rater_superior, outcome="upheld", reason="Tetap",
            now=YEAR_RATED + timedelta(days=2),
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        correct(evaluation, cast.rater, YEAR_RATED + timedelta(days=3))
    assert "objection" in str(error.value)
    assert not EvaluationCorrection.objects.exists()


def test_the_region_administrator_corrects_the_head_of_regions_rating_of_a_jpt(cast):
    skp = jpt_plan(cast)
    # a unit head's results rating follows the unit's organisation predicate: Baik → meets
    services.org_predicate_set(unit=skp.unit, period="2026-Q1", predicate="Baik", by=cast.admin)
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.admin, period="2026-Q1", results_rating="meets",
        behaviour_rating="meets", now=Q1_RATED,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        correct(evaluation, cast.head, Q1_DUE)
    for when in (Q1_DUE, Q1_LATE):
        correction = correct(evaluation, cast.admin, when, results="meets", behaviour="above")
        assert (correction.by, correction.recorded_by) == (None, cast.admin)
