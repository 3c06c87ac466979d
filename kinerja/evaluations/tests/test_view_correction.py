"""The page "Koreksi penilaian" (``evaluations:correction``): whoever may correct now (the
rater's superior after the period's deadline here: the plans are of last year) sees the form
filled with the rating; the first POST shows what will be recorded and stores nothing, "Back"
returns to the form, the confirmed POST records the correction and goes back to the rating;
a reason is required; anyone else 403, those who cannot see the plan 404; an annual predicate
objected to offers no form."""

import pytest
from django.urls import reverse

from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationCorrection

from .support import ANNUAL, english_pages, plan, rated, text_of  # noqa: F401

pytestmark = pytest.mark.django_db

DATA = {"results_rating": "above", "behaviour_rating": "above", "reason": "Data Maret masuk"}


def url(evaluation) -> str:
    return reverse("evaluations:correction", args=[evaluation.pk])


@pytest.fixture
def evaluation(cast):
    return rated(cast, plan(cast))  # last year's TW I, Baik: past its deadline


def test_the_form_shows_the_rating_to_correct(cast, client_for, evaluation):
    response = client_for(cast.rater_superior).get(url(evaluation))
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "results_rating": "meets",
        "behaviour_rating": "meets",
    }
    assert 'id="correction-form"' in text_of(response)


def test_the_correction_is_confirmed_before_it_is_recorded(cast, client_for, evaluation):
    client = client_for(cast.rater_superior)
    summary = client.post(url(evaluation), DATA)
    html = text_of(summary)
    assert summary.status_code == 200 and 'id="confirm-form"' in html
    assert "predicate Sangat Baik." in html
    assert not EvaluationCorrection.objects.exists()
    back = client.post(url(evaluation), {**DATA, "confirm": "1", "back": "1"})
    assert 'id="correction-form"' in text_of(back)
    assert not EvaluationCorrection.objects.exists()
    done = client.post(url(evaluation), {**DATA, "confirm": "1"})
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "evaluations:rate", args=[evaluation.skp_id, f"{evaluation.period}"]
    )
    correction = EvaluationCorrection.objects.get()
    assert (correction.before["predicate"], correction.after["predicate"]) == (
        "Baik",
        "Sangat Baik",
    )
    assert correction.by == cast.employees["rater_superior"]
    again = text_of(client.get(url(evaluation)))
    assert "Data Maret masuk" in again


def test_a_reason_is_required(cast, client_for, evaluation):
    response = client_for(cast.rater_superior).post(
        url(evaluation), {**DATA, "reason": "", "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert not EvaluationCorrection.objects.exists()


@pytest.mark.parametrize("who", ["rater", "employee", "pengelola", "head", "admin"])
def test_who_may_not_correct_now_gets_403(cast, client_for, evaluation, who):
    client = client_for(cast.users[who])
    assert client.get(url(evaluation)).status_code == 403
    assert client.post(url(evaluation), {**DATA, "confirm": "1"}).status_code == 403
    assert not EvaluationCorrection.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider", "other_head"])
def test_those_who_cannot_see_the_plan_get_404(cast, client_for, evaluation, who):
    assert client_for(cast.users[who]).get(url(evaluation)).status_code == 404


def test_an_annual_predicate_objected_to_offers_no_form(cast, client_for):
    annual = rated(cast, plan(cast), ANNUAL, results="below")
    services.objection_file(evaluation=annual, by=cast.employee, reason="Data belum masuk")
    client = client_for(cast.rater_superior)
    html = text_of(client.get(url(annual)))
    assert 'id="correction-form"' not in html
    assert "changes only by the objection's decision" in html
    client.post(url(annual), {**DATA, "confirm": "1"})
    assert not EvaluationCorrection.objects.exists()
