"""Picking a unit (``evaluations:unit_pick``): the picker leads to the unit's current period."""

import pytest
from django.urls import reverse

from .support import PKM, Q1, english_pages, unit_url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_unit_picker_leads_to_the_current_period(cast, client_for):
    response = client_for(cast.head).get(
        reverse("evaluations:unit_pick") + f"?unit={PKM}&period={Q1}"
    )
    assert response["Location"] == unit_url()
    assert (
        client_for(cast.outsider).get(reverse("evaluations:unit_pick") + f"?unit={PKM}").status_code
        == 404
    )
