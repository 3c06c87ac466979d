"""Fixtures shared by the API tests of evaluations: ``api``, a client of the API with the
personas' tokens; ``plan``, the employee's approved plan of 2026 (the page tests build last
year's with ``support.plan``); ``annual``, its annual rating."""

import pytest
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.skp.tests.api_support import Api
from kinerja.skp.tests.factories import approved_plan
from kinerja.skp.tests.support import YEAR_2026_OPEN


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def plan(cast):
    return approved_plan(cast)


@pytest.fixture
def annual(cast):
    """The employee's annual rating (Butuh Perbaikan), rated once the year's rating opened
    (4 January 2027) and received just now."""
    skp = approved_plan(cast)
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026", results_rating="below", behaviour_rating="meets",
        now=YEAR_2026_OPEN,
    )  # fmt: skip
    evaluation.delivered_at = timezone.now()
    evaluation.save(update_fields=["delivered_at"])
    return evaluation
