"""The interface language in a real browser: an English browser (as Windows is by default)
still gets Indonesian; a person who chose English gets English after signing in anywhere."""

import pytest

from kinerja.accounts.models import User
from kinerja.testing.browser import sign_in

pytestmark = pytest.mark.browser


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
