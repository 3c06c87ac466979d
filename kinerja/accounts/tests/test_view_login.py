"""``accounts:login``: employees sign in with their NIP (spaces allowed), administrators with a
username; wrong attempts sign nobody in, and repeated ones lock the account or throttle the
address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from kinerja.core.actors import SYSTEM
from kinerja.organizations import services
from kinerja.testing.factories import PASSWORD

LOGIN = "accounts:login"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_an_employee_signs_in_with_their_nip(cast, client):
    response = sign_in(client, cast.employees["employee"].nip)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_nip_typed_with_spaces_is_the_same_nip(cast, client):
    nip = cast.employees["employee"].nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert sign_in(client, spaced).status_code == 302


def test_an_administrator_signs_in_with_a_username_in_any_case(cast, client):
    assert sign_in(client, "ADMIN").status_code == 302


@pytest.mark.parametrize(
    ("username", "password"),
    [("admin", "wrong-password"), ("nobody", PASSWORD), ("", PASSWORD), ("admin", "")],
)
def test_a_wrong_sign_in_shows_an_error_and_signs_nobody_in(cast, client, username, password):
    response = sign_in(client, username, password)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_former_employee_cannot_sign_in(cast, client):
    employee = cast.employees["colleague"]
    employee.active = False
    employee.save()
    assert sign_in(client, employee.nip).status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_after_repeated_wrong_passwords(cast, client, settings):
    nip = cast.employees["employee"].nip
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nip, "wrong-password")
    response = sign_in(client, nip)  # even the right password is refused now
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_counts_per_account_whatever_spelling_of_the_nip(cast, client, settings):
    nip = cast.employees["employee"].nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, spaced if i % 2 else nip, "wrong-password")
    assert sign_in(client, nip).status_code == 429


def test_a_lock_on_one_account_leaves_the_others_alone(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, cast.employees["employee"].nip, "wrong-password")
    assert sign_in(client, cast.employees["colleague"].nip).status_code == 302


def test_a_password_reset_by_an_administrator_lifts_the_lock(cast, client, settings):
    nip = cast.employees["employee"].nip
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nip, "wrong-password")
    services.password_set(user=cast.employee, password="Plaju-2026-aman", by=SYSTEM)
    assert sign_in(client, nip, "Plaju-2026-aman").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(cast, client, settings):
    settings.KINERJA_SIGNIN_FAILURES_PER_ADDRESS = 3
    for i in range(3):
        sign_in(client, f"nobody-{i}", "wrong-password")
    response = sign_in(client, "admin")
    assert response.status_code == 429


def test_the_sign_in_page_explains_the_nip_field_with_an_example(client, db):
    html = client.get(reverse(LOGIN)).content.decode()
    assert "198503122010011002" in html
    assert 'autocomplete="current-password"' in html
