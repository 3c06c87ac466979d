"""Verifying a realisation on the pages (``skp:realisation_verify``): the plan's rater accepts
or returns (with a note) a value awaiting verification and goes back where he was; refusals
are shown as messages; the others get 403 (or 404 when they do not see the plan). The
realisation page and the rating screen show a pending value's state, not counted, with the
rater's form."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import IkiRealisation
from kinerja.skp.verification import IkiRealisationState

from .support import approved, english, first_iki, html_of, realisation_url, this_year

pytestmark = pytest.mark.django_db


def _url(realisation) -> str:
    return reverse("skp:realisation_verify", args=[realisation.pk])


@pytest.fixture
def recorded(cast):
    skp = approved(cast)
    return services.realisation_record(
        iki=first_iki(skp), period=f"{this_year()}-Q1", value="250", by=cast.employee
    )


def _state(realisation) -> str:
    return IkiRealisation.objects.get(pk=realisation.pk).state


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _page(recorded) -> str:
    return realisation_url(recorded.iki.rhk.skp)


# --- Deciding --------------------------------------------------------------------------------

# (decision, note, state after)
DECISIONS = [
    ("verify", "", IkiRealisationState.VERIFIED),
    ("return", "Lampirkan rekap", IkiRealisationState.RETURNED),
]


@pytest.mark.parametrize(("decision", "note", "after"), DECISIONS)
def test_the_rater_decides_and_goes_back(cast, client_for, recorded, decision, note, after):
    back = _page(recorded)
    response = english(client_for(cast.rater)).post(
        _url(recorded), {"decision": decision, "note": note, "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert _state(recorded) == after
    assert len(_messages(response)) == 1


def test_returning_without_a_note_is_refused_as_a_message(cast, client_for, recorded):
    response = english(client_for(cast.rater)).post(_url(recorded), {"decision": "return"})
    assert response.status_code == 302
    assert response["Location"].startswith(_page(recorded))
    assert _messages(response) == ["Say what needs correcting."]
    assert _state(recorded) == IkiRealisationState.SUBMITTED


def test_a_decided_value_is_refused_as_a_message(cast, client_for, recorded):
    services.realisation_verify(realisation=recorded, by=cast.rater, accept=True)
    response = english(client_for(cast.rater)).post(_url(recorded), {"decision": "return"})
    assert response.status_code == 302
    assert _messages(response) == ["This value is verified already."]


def test_a_next_elsewhere_is_not_followed(cast, client_for, recorded):
    response = client_for(cast.rater).post(
        _url(recorded), {"decision": "verify", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"{_page(recorded)}#iki-{recorded.iki_id}"


# (persona, status): those who see the plan but may not verify, and those who do not see it
OTHERS = [
    ("employee", 403),
    ("rater_superior", 403),
    ("pengelola", 403),
    ("admin", 403),
    ("colleague", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "status"), OTHERS)
def test_others_may_not_verify(cast, client_for, recorded, persona, status):
    response = client_for(cast.users[persona]).post(_url(recorded), {"decision": "verify"})
    assert response.status_code == status
    assert _state(recorded) == IkiRealisationState.SUBMITTED


def test_only_post(cast, client_for, recorded):
    assert client_for(cast.rater).get(_url(recorded)).status_code == 405


def test_a_signed_out_visitor_is_sent_to_sign_in(client, recorded):
    response = client.post(_url(recorded), {"decision": "verify"})
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert _state(recorded) == IkiRealisationState.SUBMITTED


def test_an_unknown_realisation_is_404(cast, client_for):
    response = client_for(cast.rater).post(reverse("skp:realisation_verify", args=[999999]))
    assert response.status_code == 404


# --- What the pages show ---------------------------------------------------------------------


def test_the_rater_sees_the_pending_value_with_his_form(cast, client_for, recorded):
    html = html_of(english(client_for(cast.rater)), _page(recorded))
    assert "awaiting verification" in html
    assert "not counted yet" in html
    assert f'id="verify-{recorded.pk}"' in html


def test_the_employee_sees_the_state_without_a_form(cast, client_for, recorded):
    html = html_of(english(client_for(cast.employee)), _page(recorded))
    assert "awaiting verification" in html
    assert f'id="verify-{recorded.pk}"' not in html


def test_a_returned_value_shows_the_note(cast, client_for, recorded):
    services.realisation_verify(
        realisation=recorded, by=cast.rater, accept=False, note="Lampirkan rekap"
    )
    for persona in ("employee", "rater"):
        html = html_of(english(client_for(cast.users[persona])), _page(recorded))
        assert "returned: Lampirkan rekap" in html
        assert f'id="verify-{recorded.pk}"' not in html


def test_a_verified_value_is_counted_and_unmarked(cast, client_for, recorded):
    services.realisation_verify(realisation=recorded, by=cast.rater, accept=True)
    html = html_of(english(client_for(cast.rater)), _page(recorded))
    assert "not counted yet" not in html
    assert "awaiting verification" not in html


def test_the_rating_screen_offers_the_rater_the_form(cast, client_for, recorded):
    skp = recorded.iki.rhk.skp
    url = reverse("evaluations:rate", args=[skp.pk, recorded.period])
    html = html_of(english(client_for(cast.rater)), url)
    assert "awaiting verification" in html
    assert f'id="verify-{recorded.pk}"' in html
    assert f'name="next" value="{url}"' in html
