"""``kinerja.core.notifications``: a notification's link leads only within the site; one
notification per person, none for inactive accounts."""

from __future__ import annotations

import pytest

from kinerja.core.notifications import notify, safe_link


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
