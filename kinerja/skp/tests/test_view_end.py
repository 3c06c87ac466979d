"""Recording the end of a plan at retirement or death from the plan page (``skp:end``): the
Pengelola Kinerja only; the plan closes with its reason and keeps its record."""

import pytest
from django.urls import reverse

from kinerja.skp.models import Skp, SkpState
from kinerja.testing.language import english

from .support import draft

pytestmark = pytest.mark.django_db


def test_the_administrator_records_a_death_and_the_page_shows_it(cast, client_for):
    skp = draft(cast)
    client = client_for(cast.pengelola)
    page = client.get(reverse("skp:detail", args=[skp.pk])).content.decode()
    assert 'id="end-form"' in page
    response = client.post(
        reverse("skp:end", args=[skp.pk]), {"reason": "death", "on": "10/10/2026"}
    )
    assert response.status_code == 302
    skp.refresh_from_db()
    assert (skp.state, str(skp.ends_on), skp.end_reason) == (SkpState.CLOSED, "2026-10-10", "death")
    page = english(client).get(reverse("skp:detail", args=[skp.pk]))
    text = page.content.decode()
    assert "ended by death" in text and 'id="end-form"' not in text


@pytest.mark.parametrize("who", ["employee", "rater"])
def test_others_get_403(cast, client_for, who):
    skp = draft(cast)
    client = client_for(cast.users[who])
    assert 'id="end-form"' not in client.get(reverse("skp:detail", args=[skp.pk])).content.decode()
    response = client.post(
        reverse("skp:end", args=[skp.pk]), {"reason": "death", "on": "10/10/2026"}
    )
    assert response.status_code == 403
    assert Skp.objects.get(pk=skp.pk).ends_on is None


def test_an_outsider_gets_404(cast, client_for):
    skp = draft(cast)
    response = client_for(cast.outsider).post(
        reverse("skp:end", args=[skp.pk]), {"reason": "death", "on": "10/10/2026"}
    )
    assert response.status_code == 404


def test_a_bad_date_is_said_and_nothing_changes(cast, client_for):
    skp = draft(cast)
    client = english(client_for(cast.pengelola))
    response = client.post(
        reverse("skp:end", args=[skp.pk]), {"reason": "death", "on": "10/10/2027"}, follow=True
    )
    assert "The end must lie in 2026" in response.content.decode()
    assert Skp.objects.get(pk=skp.pk).ends_on is None
