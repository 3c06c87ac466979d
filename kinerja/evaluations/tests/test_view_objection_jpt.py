"""The objection page (``evaluations:objection``) of a JPT's objection: the region's
administrator decides it for the head of region; the JPT and the agency's administrator see it
without the decision form; no explanation is asked."""

import pytest
from django.utils import timezone

from kinerja.evaluations import services

from .support import english_pages, objection_url, text_of  # noqa: F401
from .test_service_objection_jpt import jpt_annual

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(cast):
    evaluation = jpt_annual(cast)
    evaluation.delivered_at = timezone.now()
    evaluation.save(update_fields=["delivered_at"])
    return services.objection_file(evaluation=evaluation, by=cast.head, reason="Akreditasi")


def test_the_regions_administrator_decides_for_the_head_of_region(cast, client_for, objection):
    admin = client_for(cast.admin)
    html = text_of(admin.get(objection_url(objection)))
    assert 'id="decision-form"' in html and 'id="explanation-request-form"' not in html
    assert "Wali Kota Palembang" in html and "no explanation is asked" in html
    response = admin.post(
        objection_url(objection), {"step": "decide", "outcome": "upheld", "reason": "Cukup"},
        follow=True,
    )  # fmt: skip
    assert "has been upheld" in text_of(response)


@pytest.mark.parametrize("who", ["head", "pengelola"])
def test_the_jpt_and_the_agencys_administrator_do_not_decide(cast, client_for, objection, who):
    client = client_for(cast.users[who])
    assert 'id="decision-form"' not in text_of(client.get(objection_url(objection)))
    response = client.post(
        objection_url(objection), {"step": "decide", "outcome": "upheld", "reason": "x"}
    )
    assert response.status_code == 403
