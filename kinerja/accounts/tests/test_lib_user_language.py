"""``kinerja.accounts.middleware``: the pages speak the user's saved language (default
Indonesian), never the browser's Accept-Language; the API stays English."""

from django.urls import reverse

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _speaks(response, language: str) -> bool:
    return response["Content-Language"] == language and (
        f'<html lang="{language}">' in response.content.decode()
    )


def test_a_browser_asking_for_english_still_gets_indonesian_before_signing_in(db, client):
    response = client.get(reverse("accounts:login"), **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert _speaks(response, "id")
    assert "Masuk" in response.content.decode()


def test_a_browser_asking_for_english_gets_indonesian_for_a_user_who_did_not_choose(
    cast, client_for
):
    response = client_for(cast.employee).get(reverse("portal:home"), **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert _speaks(response, "id")
    assert "Ganti bahasa" in response.content.decode()


def test_a_user_who_chose_english_gets_english_whatever_the_browser_or_cookie_says(
    cast, client_for
):
    cast.employee.language = "en"
    cast.employee.save(update_fields=["language"])
    client = client_for(cast.employee)
    client.cookies["django_language"] = "id"
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="id")
    assert _speaks(response, "en")
    assert "Switch language" in response.content.decode()


def test_the_language_cookie_chooses_for_someone_not_signed_in(db, client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("accounts:login"))
    assert _speaks(response, "en")


def test_an_unknown_cookie_value_falls_back_to_indonesian(db, client):
    client.cookies["django_language"] = "fr"
    assert _speaks(client.get(reverse("accounts:login"), **ENGLISH_BROWSER), "id")


def test_the_api_answers_in_english_for_a_user_who_kept_indonesian(cast, client_for):
    response = client_for(cast.employee).get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
