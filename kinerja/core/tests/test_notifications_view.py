"""The notifications page: everyone sees their own notifications and no one else's, marks them
read (one or all), follows a link only within the site, and sees the unread count in the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.core.notifications import notify, safe_link

PAGE = reverse("core:notifications")


def read_url(item) -> str:
    return reverse("core:notification_read", args=[item.pk])


@pytest.fixture
def notes(cast):
    mine = notify(users=[cast.employee], title="Respon lambat", body="p90 28 menit", link="/x/")
    theirs = notify(users=[cast.colleague, cast.admin], title="Milik orang lain")
    return mine[0], theirs


def test_the_page_shows_only_ones_own_notifications(cast, client_for, notes):
    mine, theirs = notes
    response = client_for(cast.employee).get(PAGE)
    assert response.status_code == 200
    shown = [item.pk for item in response.context["page"]]
    assert shown == [mine.pk]
    html = response.content.decode()
    assert f'id="notification-{mine.pk}"' in html
    assert all(f'id="notification-{other.pk}"' not in html for other in theirs)


@pytest.mark.parametrize("persona", ["admin", "auditor", "outsider"])
def test_nobody_else_sees_or_marks_ones_notifications(cast, client_for, notes, persona):
    mine, _theirs = notes
    client = client_for(getattr(cast, persona))
    assert mine.pk not in [item.pk for item in client.get(PAGE).context["page"]]
    assert client.post(read_url(mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_menu_shows_the_unread_count_until_they_are_read(cast, client_for, notes):
    mine, _theirs = notes
    notify(users=[cast.employee], title="Kedua")
    client = client_for(cast.employee)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'id="nav-unread"' in home
    assert ">2</span>" in home[home.index('id="nav-unread"') :][:80]

    assert client.post(read_url(mine)).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.filter(recipient=cast.employee, read_at=None).count() == 1

    client.post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(recipient=cast.employee, read_at=None).exists()
    assert 'id="nav-unread"' not in client.get(reverse("portal:home")).content.decode()
    # the others' stay unread
    assert Notification.objects.filter(read_at=None).count() == 2


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast, client_for, notes):
    mine, _theirs = notes
    response = client_for(cast.employee).post(read_url(mine), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/x/"
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("/layanan/aliran/ktp-el/dasbor/", "/layanan/aliran/ktp-el/dasbor/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_a_link_leads_only_within_the_site(link, kept):
    assert safe_link(link) == kept


def test_one_notification_per_person_and_none_for_inactive_accounts(cast):
    cast.colleague.is_active = False
    cast.colleague.save()
    created = notify(users=[cast.employee, cast.employee, cast.colleague, None], title="Satu")
    assert [n.recipient_id for n in created] == [cast.employee.pk]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "next=" in response["Location"]
