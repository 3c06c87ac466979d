"""The objection page (``evaluations:objection``), the explanation step: the decider asks the
rater ("Minta penjelasan penilai"), the rater sees the request and explains, the decision form
then shows both sides; the decision waits for the explanation; nobody else asks or explains."""

from datetime import timedelta

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from kinerja.evaluations.models import Objection

from .support import (  # noqa: F401
    annual_rating,
    english_pages,
    objection_filed,
    objection_url,
    text_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(cast):
    return objection_filed(cast, annual_rating(cast))


def ask(client, objection, due=""):
    return client.post(objection_url(objection), {"step": "ask", "ask-due": due}, follow=True)


def test_ask_explain_then_decide_with_both_sides(cast, client_for, objection):
    decider = client_for(cast.rater_superior)
    assert 'id="explanation-request-form"' in text_of(decider.get(objection_url(objection)))
    html = text_of(ask(decider, objection))
    with translation.override("en"):  # a date in a sentence is written out (architecture.md)
        due = date_filter(timezone.localdate() + timedelta(days=5), "DATE_FORMAT")
    assert "The rater has been asked for an explanation." in html
    assert f"explanation is awaited until {due}" in html

    rater = client_for(cast.rater)
    page = text_of(rater.get(objection_url(objection)))
    assert 'id="explanation-asked"' in page and 'id="explanation-form"' in page
    assert 'id="decision-form"' not in page
    done = rater.post(
        objection_url(objection),
        {"step": "explain", "explain-text": "Data Desember belum diverifikasi"},
        follow=True,
    )
    assert "Your explanation has been sent" in text_of(done)

    decider = client_for(cast.rater_superior)  # one client: signs in again
    html = text_of(decider.get(objection_url(objection)))
    assert "Data Desember belum masuk" in html  # the employee's reasons
    assert "Data Desember belum diverifikasi" in html  # the rater's explanation
    assert 'id="decision-form"' in html and 'id="decision-awaiting"' not in html
    decided = decider.post(
        objection_url(objection), {"step": "decide", "outcome": "upheld", "reason": "Cukup"},
        follow=True,
    )  # fmt: skip
    assert "has been upheld" in text_of(decided)


def test_a_decision_while_the_explanation_is_awaited_is_refused(cast, client_for, objection):
    decider = client_for(cast.rater_superior)
    ask(decider, objection)
    response = decider.post(
        objection_url(objection), {"step": "decide", "outcome": "upheld", "reason": "Cukup"}
    )
    assert response.status_code == 200
    assert "explanation is awaited until" in text_of(response)
    assert Objection.objects.get().decided_at is None


def test_an_empty_explanation_is_named_on_its_field(cast, client_for, objection):
    ask(client_for(cast.rater_superior), objection)
    response = client_for(cast.rater).post(
        objection_url(objection), {"step": "explain", "explain-text": ""}
    )
    assert "This field is required." in text_of(response)
    assert Objection.objects.get().explained_at is None


OTHERS = [("rater", "ask"), ("employee", "ask"), ("employee", "explain"), ("head", "explain")]


@pytest.mark.parametrize(("who", "step"), OTHERS)
def test_nobody_else_asks_or_explains(cast, client_for, objection, who, step):
    if step == "explain":
        ask(client_for(cast.rater_superior), objection)
    response = client_for(cast.users[who]).post(
        objection_url(objection), {"step": step, f"{step}-text": "x", f"{step}-due": ""}
    )
    assert response.status_code == 403
    assert Objection.objects.get().explained_at is None


def test_an_outsider_gets_404(cast, client_for, objection):
    assert client_for(cast.outsider).get(objection_url(objection)).status_code == 404
