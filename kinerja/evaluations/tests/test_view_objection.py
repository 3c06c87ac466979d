"""An objection (``evaluations:objection``), decided by the rater's superior: upheld, or
changed with new ratings and reasons, then final; a bad decision is named on its field; only
the rater's superior decides; outsiders get 404 (here and when filing), anonymous visitors
sign in."""

import pytest
from django.urls import reverse

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation

from .support import (  # noqa: F401
    annual_rating,
    english_pages,
    objection_file_url,
    objection_filed,
    objection_url,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_the_raters_superior_changes_the_predicate_with_reasons(cast, client_for):
    objection = objection_filed(cast, annual_rating(cast))
    client = client_for(cast.rater_superior)
    assert 'id="decision-form"' in text_of(client.get(objection_url(objection)))
    response = client.post(
        objection_url(objection),
        {
            "outcome": "changed",
            "reason": "Data Desember lengkap",
            "results_rating": "meets",
            "behaviour_rating": "meets",
        },
        follow=True,
    )
    html = text_of(response)
    assert "The predicate has been changed to Baik; it is now final." in html
    assert 'id="decision-predicate"' in html and "Data Desember lengkap" in html
    evaluation = Evaluation.objects.get()
    assert (evaluation.predicate, evaluation.state) == ("Baik", "final")


def test_the_raters_superior_upholds_the_predicate(cast, client_for):
    objection = objection_filed(cast, annual_rating(cast))
    response = client_for(cast.rater_superior).post(
        objection_url(objection), {"outcome": "upheld", "reason": "Data sudah lengkap"}, follow=True
    )
    assert "The predicate Butuh Perbaikan has been upheld; it is now final." in text_of(response)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"outcome": "upheld", "reason": ""}, "reason", "This field is required."),
        (
            {
                "outcome": "changed",
                "reason": "Ubah",
                "results_rating": "",
                "behaviour_rating": "meets",
            },
            "results_rating",
            "Choose above, meets or below.",
        ),
        (
            {
                "outcome": "changed",
                "reason": "Ubah",
                "results_rating": "below",
                "behaviour_rating": "meets",
            },
            "results_rating",
            "A changed predicate needs other ratings; otherwise uphold it.",
        ),
        (
            {"outcome": "maybe", "reason": "x"},
            "outcome",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
    ],
)
def test_a_bad_decision_is_named_on_its_field_and_nothing_changes(
    cast, client_for, data, field, message
):
    objection = objection_filed(cast, annual_rating(cast))
    response = client_for(cast.rater_superior).post(objection_url(objection), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    objection.refresh_from_db()
    assert not objection.decided


@pytest.mark.parametrize("who", ["rater", "employee", "head", "pengelola", "admin"])
def test_only_the_raters_superior_decides(cast, client_for, who):
    objection = objection_filed(cast, annual_rating(cast))
    client = client_for(cast.users[who])
    assert client.get(objection_url(objection)).status_code == 200
    assert (
        client.post(objection_url(objection), {"outcome": "upheld", "reason": "x"}).status_code
        == 403
    )
    objection.refresh_from_db()
    assert not objection.decided


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_outsiders_get_404(cast, client_for, who):
    evaluation = annual_rating(cast)
    objection = objection_filed(cast, evaluation)
    client = client_for(cast.users[who])
    assert client.get(objection_url(objection)).status_code == 404
    assert client.get(objection_file_url(evaluation)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    objection = objection_filed(cast, annual_rating(cast))
    assert client.get(objection_url(objection))["Location"].startswith(reverse("accounts:login"))


def test_a_decided_objection_is_final(cast, client_for):
    objection = objection_filed(cast, annual_rating(cast))
    services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="upheld", reason="Tetap"
    )
    response = client_for(cast.rater_superior).post(
        objection_url(objection), {"outcome": "changed", "reason": "x"}, follow=True
    )
    assert "This objection is already decided; the decision is final." in text_of(response)
    assert Evaluation.objects.get().predicate == "Butuh Perbaikan"
