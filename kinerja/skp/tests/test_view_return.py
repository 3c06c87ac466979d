"""Returning a plan on its page (``skp:return``): the rater returns it with a reason the
employee then sees; no reason or an approved plan refused; the whole round returned, fixed
and resubmitted."""

import pytest

from kinerja.skp import services
from kinerja.skp.models import SkpState, SkpTransition

from .support import approved, detail_url, english, state, step_url, submitted

pytestmark = pytest.mark.django_db


def test_the_rater_returns_with_a_reason_that_the_employee_then_sees(cast, client_for):
    skp = submitted(cast)
    response = client_for(cast.rater).post(
        step_url("return", skp), {"reason": "Target terlalu rendah"}
    )
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
    response = english(client_for(cast.rater)).post(step_url("return", skp), {"reason": reason})
    assert response.status_code == 400
    assert "Write the reason" in str(response.context["return_form"].errors["reason"]) or (
        "required" in str(response.context["return_form"].errors["reason"])
    )
    assert state(skp) == SkpState.SUBMITTED


def test_returning_an_approved_plan_is_refused_with_the_reason(cast, client_for):
    skp = approved(cast)
    response = english(client_for(cast.rater)).post(step_url("return", skp), {"reason": "Ubah"})
    assert response.status_code == 400
    assert "Only a submitted plan" in str(response.context["return_form"].non_field_errors())
    assert state(skp) == SkpState.APPROVED


def test_the_whole_round_returned_fixed_and_resubmitted(cast, client_for):
    skp = submitted(cast)
    client_for(cast.rater).post(step_url("return", skp), {"reason": "Tambah target"})
    rhk = skp.results.get()
    services.rhk_update(
        rhk=rhk,
        by=cast.employee,
        text=rhk.text,
        indicators=[{"aspect": "kuantitas", "text": "Anak", "target": "450", "unit": "anak"}],
    )
    assert client_for(cast.employee).post(step_url("submit", skp)).status_code == 302
    assert client_for(cast.rater).post(step_url("approve", skp)).status_code == 302
    assert state(skp) == SkpState.APPROVED
    assert list(SkpTransition.objects.filter(skp=skp).values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
