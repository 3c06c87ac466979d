"""The plan's workflow on its page: the employee submits, the rater approves or returns with a
reason, the rater writes the special expectations; each step by the right person only."""

import pytest
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import BehaviourExpectation, Skp, SkpState, SkpTransition

from .test_views_support import approved, detail_url, draft, english, submitted

pytestmark = pytest.mark.django_db


def url(name: str, skp: Skp) -> str:
    return reverse(f"skp:{name}", args=[skp.pk])


def state(skp: Skp) -> str:
    return Skp.objects.get(pk=skp.pk).state


# --- Submit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "pengelola"])
def test_the_employee_or_the_administrator_submits_a_draft(cast, client_for, persona):
    skp = draft(cast)
    response = client_for(cast.users[persona]).post(url("submit", skp))
    assert response.status_code == 302 and response["Location"] == detail_url(skp)
    assert state(skp) == SkpState.SUBMITTED


def test_a_plan_without_a_main_result_is_not_submitted_and_the_reason_is_shown(cast, client_for):
    skp = draft(cast, results=0)
    response = english(client_for(cast.employee)).post(url("submit", skp), follow=True)
    assert state(skp) == SkpState.DRAFT
    assert any("main result" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head"])
def test_others_who_see_the_plan_may_not_submit_it(cast, client_for, persona):
    skp = draft(cast)
    assert client_for(cast.users[persona]).post(url("submit", skp)).status_code == 403
    assert state(skp) == SkpState.DRAFT


@pytest.mark.parametrize("name", ["submit", "approve", "return", "expectations"])
@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404_for_every_step(cast, client_for, persona, name):
    skp = submitted(cast)
    assert client_for(cast.users[persona]).post(url(name, skp)).status_code == 404
    assert state(skp) == SkpState.SUBMITTED


@pytest.mark.parametrize("name", ["submit", "approve", "return"])
def test_steps_accept_only_post(cast, client_for, name):
    skp = submitted(cast)
    assert client_for(cast.rater).get(url(name, skp)).status_code == 405


@pytest.mark.parametrize("name", ["submit", "approve", "return", "expectations"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client, name):
    skp = submitted(cast)
    response = client.post(url(name, skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# --- Approve and return --------------------------------------------------------------------------


def test_the_rater_approves_and_the_history_shows_who(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    assert client.post(url("approve", skp)).status_code == 302
    assert state(skp) == SkpState.APPROVED
    html = client.get(detail_url(skp)).content.decode()
    assert html.count('class="transition"') == 3
    assert "dr. Ahmad Fauzi" in html


@pytest.mark.parametrize("persona", ["employee", "rater_superior", "pengelola", "head", "admin"])
def test_only_the_rater_approves_or_returns(cast, client_for, persona):
    skp = submitted(cast)
    client = client_for(cast.users[persona])
    assert client.post(url("approve", skp)).status_code == 403
    assert client.post(url("return", skp), {"reason": "Perbaiki"}).status_code == 403
    assert state(skp) == SkpState.SUBMITTED


def test_approving_a_draft_is_refused_with_the_reason(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.rater)).post(url("approve", skp), follow=True)
    assert state(skp) == SkpState.DRAFT
    assert any("Only a submitted plan" in str(m) for m in response.context["messages"])


def test_the_rater_returns_with_a_reason_that_the_employee_then_sees(cast, client_for):
    skp = submitted(cast)
    response = client_for(cast.rater).post(url("return", skp), {"reason": "Target terlalu rendah"})
    assert response.status_code == 302
    assert state(skp) == SkpState.RETURNED
    transition = SkpTransition.objects.filter(skp=skp).last()
    assert (transition.to_state, transition.reason) == ("returned", "Target terlalu rendah")
    html = client_for(cast.employee).get(detail_url(skp)).content.decode()
    assert 'id="skp-return-reason"' in html and "Target terlalu rendah" in html
    assert 'id="skp-submit"' in html  # the employee may fix and resubmit


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_without_a_reason_is_refused_on_the_field(cast, client_for, reason):
    skp = submitted(cast)
    response = english(client_for(cast.rater)).post(url("return", skp), {"reason": reason})
    assert response.status_code == 400
    assert "Write the reason" in str(response.context["return_form"].errors["reason"]) or (
        "required" in str(response.context["return_form"].errors["reason"])
    )
    assert state(skp) == SkpState.SUBMITTED


def test_returning_an_approved_plan_is_refused_with_the_reason(cast, client_for):
    skp = approved(cast)
    response = english(client_for(cast.rater)).post(url("return", skp), {"reason": "Ubah"})
    assert response.status_code == 400
    assert "Only a submitted plan" in str(response.context["return_form"].non_field_errors())
    assert state(skp) == SkpState.APPROVED


# --- Special expectations ---------------------------------------------------------------------


def _values(response):
    return response.context["form"].values


def test_the_rater_writes_and_removes_special_expectations(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    response = client.get(url("expectations", skp))
    assert response.status_code == 200
    values = _values(response)
    assert len(values) == 7
    first, second = values[0], values[1]
    data = {f"value-{first.pk}": "Ramah kepada pasien", f"value-{second.pk}": "Jujur"}
    assert client.post(url("expectations", skp), data).status_code == 302
    assert dict(BehaviourExpectation.objects.values_list("value_id", "text")) == {
        first.pk: "Ramah kepada pasien",
        second.pk: "Jujur",
    }
    client.post(url("expectations", skp), {f"value-{first.pk}": "Ramah kepada pasien"})
    assert list(BehaviourExpectation.objects.values_list("text", flat=True)) == [
        "Ramah kepada pasien"
    ]
    html = client_for(cast.employee).get(detail_url(skp)).content.decode()
    assert "Ramah kepada pasien" in html


def test_a_bad_expectation_is_refused_on_its_value_and_nothing_is_saved(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    values = _values(client.get(url("expectations", skp)))
    data = {f"value-{values[0].pk}": "Baik", f"value-{values[1].pk}": "a\x07b"}
    response = client.post(url("expectations", skp), data)
    assert response.status_code == 400
    assert f"value-{values[1].pk}" in response.context["form"].errors
    assert not BehaviourExpectation.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "rater_superior", "pengelola"])
def test_only_the_rater_writes_expectations_here(cast, client_for, persona):
    skp = submitted(cast)
    assert client_for(cast.users[persona]).get(url("expectations", skp)).status_code == 403


def test_expectations_of_an_approved_plan_are_closed(cast, client_for):
    skp = approved(cast)
    response = client_for(cast.rater).get(url("expectations", skp))
    assert response.status_code == 302 and response["Location"] == detail_url(skp)


def test_the_whole_round_returned_fixed_and_resubmitted(cast, client_for):
    skp = submitted(cast)
    client_for(cast.rater).post(url("return", skp), {"reason": "Tambah target"})
    rhk = skp.results.get()
    services.rhk_update(
        rhk=rhk,
        by=cast.employee,
        text=rhk.text,
        indicators=[{"aspect": "kuantitas", "text": "Anak", "target": "450", "unit": "anak"}],
    )
    assert client_for(cast.employee).post(url("submit", skp)).status_code == 302
    assert client_for(cast.rater).post(url("approve", skp)).status_code == 302
    assert state(skp) == SkpState.APPROVED
    assert list(SkpTransition.objects.filter(skp=skp).values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
