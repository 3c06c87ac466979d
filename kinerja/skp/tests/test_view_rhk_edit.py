"""Changing a work result of a draft (``skp:rhk_edit``): its indicators replaced; a result of
another plan is 404 under this one."""

import pytest
from django.urls import reverse

from .support import draft, rhk_data, rhk_edit_url

pytestmark = pytest.mark.django_db


def test_changing_a_result_replaces_its_indicators(cast, client_for):
    skp = draft(cast)
    rhk = skp.results.get()
    client = client_for(cast.employee)
    form = client.get(rhk_edit_url(rhk))
    assert form.context["rows"][1]["target"].value() == "80-90"
    data = rhk_data(text="Imunisasi lengkap", rows=[("kuantitas", "Anak", "450", "anak")])
    del data["kind"]
    assert client.post(rhk_edit_url(rhk), data).status_code == 302
    rhk.refresh_from_db()
    assert rhk.text == "Imunisasi lengkap"
    assert [i.target for i in rhk.indicators.all()] == [450]


def test_a_result_of_another_plan_is_404_under_this_one(cast, client_for):
    mine = draft(cast)
    other = draft(cast, "colleague")
    url = reverse("skp:rhk_edit", args=[mine.pk, other.results.get().pk])
    assert client_for(cast.pengelola).get(url).status_code == 404
