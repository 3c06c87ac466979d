"""The leader's special expectations on the plan page (``skp:expectations``): the rater writes
and removes them, a bad one is refused on its value and nothing saved, only the rater writes
them, and not once the plan is approved."""

import pytest

from kinerja.skp.models import BehaviourExpectation

from .support import approved, detail_url, step_url, submitted

pytestmark = pytest.mark.django_db


# --- Special expectations ---------------------------------------------------------------------


def _values(response):
    return response.context["form"].values


def test_the_rater_writes_and_removes_special_expectations(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    response = client.get(step_url("expectations", skp))
    assert response.status_code == 200
    values = _values(response)
    assert len(values) == 7
    first, second = values[0], values[1]
    data = {f"value-{first.pk}": "Ramah kepada pasien", f"value-{second.pk}": "Jujur"}
    assert client.post(step_url("expectations", skp), data).status_code == 302
    assert dict(BehaviourExpectation.objects.values_list("value_id", "text")) == {
        first.pk: "Ramah kepada pasien",
        second.pk: "Jujur",
    }
    client.post(step_url("expectations", skp), {f"value-{first.pk}": "Ramah kepada pasien"})
    assert list(BehaviourExpectation.objects.values_list("text", flat=True)) == [
        "Ramah kepada pasien"
    ]
    html = client_for(cast.employee).get(detail_url(skp)).content.decode()
    assert "Ramah kepada pasien" in html


def test_a_bad_expectation_is_refused_on_its_value_and_nothing_is_saved(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    values = _values(client.get(step_url("expectations", skp)))
    data = {f"value-{values[0].pk}": "Baik", f"value-{values[1].pk}": "a\x07b"}
    response = client.post(step_url("expectations", skp), data)
    assert response.status_code == 400
    assert f"value-{values[1].pk}" in response.context["form"].errors
    assert not BehaviourExpectation.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "rater_superior", "pengelola"])
def test_only_the_rater_writes_expectations_here(cast, client_for, persona):
    skp = submitted(cast)
    assert client_for(cast.users[persona]).get(step_url("expectations", skp)).status_code == 403


def test_expectations_of_an_approved_plan_are_closed(cast, client_for):
    skp = approved(cast)
    response = client_for(cast.rater).get(step_url("expectations", skp))
    assert response.status_code == 302 and response["Location"] == detail_url(skp)
