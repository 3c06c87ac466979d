"""User journeys in a real browser: signing in, role navigation, the phone layout."""

import pytest

from kinerja.testing.browser import nav_labels, nav_link, sign_in

pytestmark = pytest.mark.browser


def test_an_employee_signs_in_with_the_nip_and_sees_their_own_menu(cast_live, page):
    nip = cast_live.employees["employee"].nip
    sign_in(page, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    assert page.locator("h1").inner_text().startswith("Selamat datang")
    labels = nav_labels(page)
    assert "Kinerja saya" in labels
    assert "Impor" not in labels and "Jejak audit" not in labels
    # The own profile opens from the name in the menu bar.
    page.locator("#main-nav").get_by_role("link", name="Profil saya").click()
    chain = page.locator("#rater-chain")
    assert cast_live.employees["rater"].name in chain.inner_text()


def test_a_wrong_password_shows_a_clear_error_in_indonesian(cast_live, page):
    sign_in(page, "admin", "salah-sekali", then=None)
    alert = page.get_by_role("alert")
    assert "salah" in alert.inner_text()
    assert page.url.endswith("/masuk/")


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("admin", {"Impor", "Jejak audit", "Pohon organisasi"}, {"Kinerja saya"}),
        ("auditor", {"Jejak audit", "Pohon organisasi"}, {"Impor"}),
        ("pengelola", {"Impor", "Kinerja saya"}, {"Jejak audit"}),
    ],
)
def test_the_menu_follows_the_role(cast_live, page, persona, expected, absent):
    sign_in(page, cast_live.users[persona].username)
    labels = set(nav_labels(page))
    assert expected <= labels
    assert not (absent & labels)


def test_english_can_be_chosen_from_any_page(cast_live, page):
    sign_in(page, "admin")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert "Audit trail" in nav_labels(page)


def test_on_a_phone_the_menu_opens_from_a_button(cast_live, phone_page):
    sign_in(phone_page, "admin")
    menu = phone_page.locator("#main-nav")
    assert not menu.is_visible()
    phone_page.get_by_role("button", name="Menu").click()
    assert menu.is_visible()
    nav_link(phone_page, "Pegawai").click()
    phone_page.wait_for_url("**/pegawai/")
    # The directory table folds into cards: no horizontal scrolling of the page.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
