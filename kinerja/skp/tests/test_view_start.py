"""Starting one's own plan from 'Kinerja saya' (``skp:start``): a draft of the year opened at
once; bad input and a second plan refused with the reason, nothing stored; POST only."""

import pytest
from django.urls import reverse

from kinerja.skp.models import Skp, SkpState

from .support import draft, this_year

pytestmark = pytest.mark.django_db

START = reverse("skp:start")


def test_starting_my_plan_creates_a_draft_and_opens_it(cast, client_for):
    response = client_for(cast.employee).post(
        START, {"year": this_year(), "approach": "kualitatif"}
    )
    skp = Skp.objects.get(employee=cast.employees["employee"])
    assert response.status_code == 302
    assert response["Location"] == reverse("skp:detail", args=[skp.pk])
    assert (skp.state, skp.approach, skp.year) == (SkpState.DRAFT, "kualitatif", this_year())


@pytest.mark.parametrize(
    "data",
    [{"year": "tahun", "approach": "kuantitatif"}, {"year": 2026, "approach": "campuran"}, {}],
)
def test_bad_input_to_start_changes_nothing_and_says_why(cast, client_for, data):
    client = client_for(cast.employee)
    response = client.post(START, data, follow=True)
    assert response.status_code == 200
    assert not Skp.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"] * len(
        list(response.context["messages"])
    )
    assert list(response.context["messages"])


def test_a_second_plan_for_the_year_is_refused_with_the_reason(cast, client_for):
    draft(cast)
    response = client_for(cast.employee).post(
        START, {"year": this_year(), "approach": "kuantitatif"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Siti Aminah" in m for m in messages)
    assert Skp.objects.count() == 1


def test_start_accepts_only_post(cast, client_for):
    assert client_for(cast.employee).get(START).status_code == 405
