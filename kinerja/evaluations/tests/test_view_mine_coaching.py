"""'Kinerja saya' (``evaluations:mine``) shows the support the rater offered when a measure
slipped — once sent, with the data behind it — and never the rater's open item (a draft)."""

import pytest
from django.urls import reverse

from kinerja.evaluations import services

from .coaching_support import open_item
from .support import YEAR, english_pages  # noqa: F401

pytestmark = pytest.mark.django_db

URL = f"{reverse('evaluations:mine')}?year={YEAR}"


def test_an_open_item_is_not_shown_to_the_employee(cast, client_for):
    item = open_item(cast)
    page = client_for(cast.employee).get(URL).content.decode()
    assert 'id="support"' not in page
    assert f'id="support-{item.pk}"' not in page


def test_the_sent_feedback_shows_as_support_with_the_data(cast, client_for):
    item = open_item(cast)
    services.coaching_send_feedback(item=item, by=cast.rater, text="Mari kita cari jalannya.")
    response = client_for(cast.employee).get(URL)
    page = response.content.decode()
    assert f'id="support-{item.pk}"' in page
    assert "Mari kita cari jalannya." in page
    assert "Jumlah pasien yang dilayani" in page
    assert "Support from your rater" in page
    shown, rows = response.context["support"][0]
    assert shown == item
    assert ("Value", "200 pasien") in rows
    assert ("Target", "300 pasien") in rows


def test_a_development_action_shows_with_its_plan(cast, client_for):
    item = open_item(cast)
    item = services.coaching_add_development(
        item=item, by=cast.rater, goal="Kembali ke target", description="Supervisi mingguan",
        owner="dr. Ahmad Fauzi", due_on=item.due_on,
    )  # fmt: skip
    page = client_for(cast.employee).get(URL).content.decode()
    assert "Supervisi mingguan" in page
    assert reverse("evaluations:development", args=[item.development_action.plan_id]) in page
