"""``core:notifications_read_all`` (and ``core:notification_read``): the menu shows the unread
count until one's notifications are read, one or all; the others' stay unread."""

from __future__ import annotations

from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.core.notifications import notify
from kinerja.core.tests.support import read_url


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
