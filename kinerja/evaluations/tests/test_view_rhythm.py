"""The agency's rhythm of periodic evaluation, set by its head or performance administrator."""

import pytest
from django.urls import reverse

from kinerja.evaluations.models import AgencyRhythm

from .support import YEAR, english_pages, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def url(agency="DINKES") -> str:
    return reverse("evaluations:rhythm") + f"?agency={agency}&year={YEAR}"


@pytest.mark.parametrize("who", ["pengelola", "head", "admin"])
def test_the_head_or_administrator_sets_the_rhythm(cast, client_for, who):
    client = client_for(cast.users[who])
    assert "quarterly" in text_of(client.get(url()))
    response = client.post(url(), {"year": YEAR, "rhythm": "monthly"}, follow=True)
    row = AgencyRhythm.objects.get()
    assert (row.agency, row.valid_from, row.rhythm) == (cast.dinkes, YEAR, "monthly")
    assert f"Dinas Kesehatan now evaluates monthly from {YEAR}." in text_of(response)


@pytest.mark.parametrize("who", ["rater", "employee", "rater_superior", "auditor"])
def test_others_get_403(cast, client_for, who):
    client = client_for(cast.users[who])
    assert client.get(url()).status_code == 403
    assert client.post(url(), {"year": YEAR, "rhythm": "monthly"}).status_code == 403
    assert not AgencyRhythm.objects.exists()


def test_another_agency_is_not_found(cast, client_for):
    assert client_for(cast.other_head).get(url()).status_code == 404


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"year": YEAR, "rhythm": "weekly"},
            "rhythm",
            "Select a valid choice. weekly is not one of the available choices.",
        ),
        (
            {"year": 1999, "rhythm": "monthly"},
            "year",
            "Ensure this value is greater than or equal to 2000.",
        ),
    ],
)
def test_bad_input_is_named_on_its_field(cast, client_for, data, field, message):
    response = client_for(cast.pengelola).post(url(), data)
    assert response.context["form"].errors[field] == [message]
    assert not AgencyRhythm.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    assert client.get(url())["Location"].startswith(reverse("accounts:login"))


def test_the_administrator_opens_the_page_from_the_evaluation_page_and_picks_an_agency(
    cast, client_for
):
    """The link on /penilaian/ carries only the year: the region's administrator, who has no
    agency of their own, gets the first agency and a choice of every agency."""
    client = client_for(cast.users["admin"])
    home = client.get(reverse("evaluations:home") + f"?year={YEAR}").content.decode()
    link = reverse("evaluations:rhythm") + f"?year={YEAR}"
    assert f'href="{link}"' in home
    response = client.get(link)
    assert response.status_code == 200
    choices = [a.code for a in response.context["agencies"]]
    assert cast.dinkes.code in choices and len(choices) > 1
    assert response.context["agency"].code == choices[0]


def test_the_head_gets_the_own_agency_without_a_choice(cast, client_for):
    response = client_for(cast.head).get(reverse("evaluations:rhythm") + f"?year={YEAR}")
    assert response.context["agency"] == cast.dinkes
    assert response.context["agencies"] == []
