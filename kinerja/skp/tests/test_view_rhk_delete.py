"""Removing a work result from a draft (``skp:rhk_delete``): removed, unless others support
it (the reason shown); POST only."""

import pytest

from kinerja.skp.models import Rhk

from .support import draft, english, rhk_delete_url

pytestmark = pytest.mark.django_db


def test_removing_a_result(cast, client_for):
    skp = draft(cast, results=2)
    rhk = skp.results.order_by("number").first()
    response = client_for(cast.employee).post(rhk_delete_url(rhk))
    assert response.status_code == 302
    assert skp.results.count() == 1


def test_a_result_others_support_is_not_removed_and_the_reason_is_shown(cast, client_for):
    rater_plan = draft(cast, "rater")
    result = rater_plan.results.get()
    draft(cast, supports=result)
    response = english(client_for(cast.rater)).post(rhk_delete_url(result), follow=True)
    assert Rhk.objects.filter(pk=result.pk).exists()
    assert any("support this one" in str(m) for m in response.context["messages"])


def test_delete_accepts_only_post(cast, client_for):
    rhk = draft(cast).results.get()
    assert client_for(cast.employee).get(rhk_delete_url(rhk)).status_code == 405
