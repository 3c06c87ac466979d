"""Recording a transfer from the plan page: the plan closes with its record, a new plan starts
in the new position (domain.md §3)."""

import pytest
from django.urls import reverse

from kinerja.skp.models import Skp, SkpState
from kinerja.testing.language import english

from .support import draft

pytestmark = pytest.mark.django_db


def _moved(cast):
    skp = draft(cast)
    employee = cast.employees["employee"]
    employee.position = cast.positions["analis"]
    employee.unit = cast.positions["analis"].unit
    employee.save()
    return skp


def test_the_administrator_records_a_transfer_and_lands_on_the_new_plan(cast, client_for):
    skp = _moved(cast)
    client = client_for(cast.pengelola)
    page = client.get(reverse("skp:detail", args=[skp.pk])).content.decode()
    assert 'id="transfer-form"' in page and "Analis Kepegawaian" in page
    response = client.post(reverse("skp:transfer", args=[skp.pk]), {"on": "01/07/2026"})
    new = Skp.objects.get(employee=cast.employees["employee"], ends_on__isnull=True)
    assert response.status_code == 302 and response["Location"] == reverse(
        "skp:detail", args=[new.pk]
    )
    skp.refresh_from_db()
    assert (skp.state, str(skp.ends_on)) == (SkpState.CLOSED, "2026-07-01")
    assert new.previous == skp and new.position_name == "Analis Kepegawaian"


def test_the_form_is_offered_only_when_the_position_changed(cast, client_for):
    skp = draft(cast)
    page = client_for(cast.pengelola).get(reverse("skp:detail", args=[skp.pk])).content.decode()
    assert 'id="transfer-form"' not in page
    response = english(client_for(cast.pengelola)).post(
        reverse("skp:transfer", args=[skp.pk]), {"on": "01/07/2026"}
    )
    assert response.status_code == 302
    assert Skp.objects.get(pk=skp.pk).state == SkpState.DRAFT
    follow = client_for(cast.pengelola).get(response["Location"])
    assert "record the new position first" in follow.content.decode()


@pytest.mark.parametrize("value", ["", "31/02/2026", "kemarin"])
def test_a_bad_date_changes_nothing(cast, client_for, value):
    skp = _moved(cast)
    client_for(cast.pengelola).post(reverse("skp:transfer", args=[skp.pk]), {"on": value})
    assert Skp.objects.get(pk=skp.pk).state == SkpState.DRAFT
    assert Skp.objects.filter(employee=cast.employees["employee"]).count() == 1


@pytest.mark.parametrize(
    ("who", "status"), [("employee", 403), ("rater", 403), ("colleague", 404), ("outsider", 404)]
)
def test_others_may_not_record_a_transfer(cast, client_for, who, status):
    skp = _moved(cast)
    response = client_for(cast.users[who]).post(
        reverse("skp:transfer", args=[skp.pk]), {"on": "01/07/2026"}
    )
    assert response.status_code == status
    assert Skp.objects.get(pk=skp.pk).state == SkpState.DRAFT


def test_a_transfer_is_only_posted(cast, client_for):
    skp = _moved(cast)
    assert client_for(cast.pengelola).get(reverse("skp:transfer", args=[skp.pk])).status_code == 405


def test_the_transfer_records_the_tmt_and_sk_and_the_pages_show_them(cast, client_for):
    skp = _moved(cast)
    client = client_for(cast.pengelola)
    client.post(
        reverse("skp:transfer", args=[skp.pk]), {"on": "15/07/2026", "sk_number": "821/7/2026"}
    )
    new = Skp.objects.get(employee=cast.employees["employee"], ends_on__isnull=True)
    assert (str(new.starts_on), new.tmt_sk_number) == ("2026-07-15", "821/7/2026")
    page = english(client).get(reverse("skp:detail", args=[new.pk]))
    assert "TMT 15/07/2026" in page.content.decode() and "SK 821/7/2026" in page.content.decode()
    old = client.get(reverse("skp:detail", args=[skp.pk]))
    assert "ended by transfer" in old.content.decode()
