"""The interface language in a real browser: an English browser (as Windows is by default)
still gets Indonesian; a person who chose English gets English after signing in anywhere."""

import pytest

from kinerja.accounts.models import User
from kinerja.testing.browser import wait_for_path
from kinerja.testing.factories import PASSWORD
from kinerja.testing.personas import build_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def cast_live(transactional_db):
    return build_cast()


@pytest.fixture
def english_browser(_browser, live_server):
    """A new browser that asks for English pages (Accept-Language: en-US), as Windows does."""
    contexts = []

    def open_page(width=1366, height=768):
        context = _browser.new_context(
            base_url=live_server.url, locale="en-US", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username):
    """The sign-in page is Indonesian whatever the browser asks."""
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_for_path(page, "/")


def test_an_english_browser_gets_indonesian_and_a_chosen_english_follows_the_person(
    cast_live, english_browser
):
    nip = cast_live.employees["employee"].nip
    page = english_browser()
    page.goto("/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    sign_in(page, nip)
    assert page.locator("html").get_attribute("lang") == "id"

    page.get_by_label("Bahasa").select_option("en")  # the footer's switch (submits itself)
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_label("Language").is_visible()
    assert User.objects.get(pk=cast_live.employee.pk).language == "en"

    phone = english_browser(390, 844)  # another device, no cookie: the saved choice counts
    phone.goto("/masuk/")
    assert phone.locator("html").get_attribute("lang") == "id"
    sign_in(phone, nip)
    assert phone.locator("html").get_attribute("lang") == "en"
