"""``accounts:logout``: signing out needs a POST and ends the session."""

from django.urls import reverse


def test_signing_out_needs_a_post_and_ends_the_session(cast, client_for):
    client = client_for(cast.employee)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302
