"""``set_language`` (the language switch in every page's footer): the cookie for pages before
signing in and, for a signed-in person, their saved choice that every later sign-in follows."""

from django.urls import reverse

from kinerja.accounts.models import User
from kinerja.core.models import AuditRecord

URL = reverse("set_language")


def test_a_signed_in_user_saves_the_choice_and_gets_it_at_the_next_sign_in(cast, client):
    client.force_login(cast.employee, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    response = client.post(URL, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.employee.pk).language == "en"
    assert AuditRecord.objects.filter(
        action="update", object_id=cast.employee.username, after={"language": "en"}
    ).exists()
    client.logout()
    client.cookies.clear()  # another browser: only the saved choice is left
    client.force_login(cast.employee, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    home = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="id")
    assert home["Content-Language"] == "en"


def test_switching_back_to_indonesian_is_saved_too(cast, client_for):
    cast.employee.language = "en"
    cast.employee.save(update_fields=["language"])
    client = client_for(cast.employee)
    client.post(URL, {"language": "id", "next": "/"})
    assert User.objects.get(pk=cast.employee.pk).language == "id"
    assert client.get(reverse("portal:home"))["Content-Language"] == "id"


def test_someone_not_signed_in_gets_the_cookie_only(db, client):
    response = client.post(URL, {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert client.get(reverse("accounts:login"))["Content-Language"] == "en"


def test_a_language_not_offered_changes_nothing(cast, client_for):
    client_for(cast.employee).post(URL, {"language": "fr", "next": "/"})
    assert User.objects.get(pk=cast.employee.pk).language == "id"


def test_the_switch_needs_a_post(db, client):
    assert client.get(URL).status_code == 405
