"""A JPT's objection (``objection_file``, ``objection_decide``): the head of region rated the
JPT's plan, so the head of region decides — recorded by the region's administrator, as the
ratings are; never by the JPT, another agency's administrator or the agency's own."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.core.models import Notification
from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationState

from .support import WIB, jpt_plan

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2027, 1, 1, 9, tzinfo=WIB)


def jpt_annual(cast):
    """The head of Dinas Kesehatan's plan of 2026, rated 'below' by the head of region."""
    skp = jpt_plan(cast)
    # a unit head's results rating follows the organisation predicate: Butuh Perbaikan → below
    services.org_predicate_set(
        unit=skp.unit, period="2026", predicate="Butuh Perbaikan", reason="PK 2026", by=cast.admin
    )
    return services.evaluation_rate(
        skp=skp, by=cast.admin, period="2026", results_rating="below", behaviour_rating="meets",
        now=RECEIVED,
    )  # fmt: skip


@pytest.fixture
def jpt_objection(cast):
    return services.objection_file(
        evaluation=jpt_annual(cast), by=cast.head, reason="Akreditasi Desember belum dihitung",
        now=RECEIVED + timedelta(days=2),
    )  # fmt: skip


def decide(objection, by, **kw):
    return services.objection_decide(
        objection=objection, by=by, outcome="changed", reason="Akreditasi lengkap",
        results_rating="meets", behaviour_rating="meets", **kw,
    )  # fmt: skip


def test_the_jpt_objects_and_the_regions_administrator_is_told(cast, jpt_objection):
    assert (jpt_objection.for_region_head, jpt_objection.decider) == (True, None)
    assert jpt_objection.evaluation.state == EvaluationState.OBJECTED
    assert Notification.objects.filter(recipient=cast.admin, title__contains="Hendra").exists()


def test_the_regions_administrator_decides_for_the_head_of_region(cast, jpt_objection):
    decided = decide(jpt_objection, cast.admin)
    assert (decided.decided, decided.decision_recorded_by) == (True, cast.admin)
    evaluation = decided.evaluation
    evaluation.refresh_from_db()
    assert (evaluation.predicate, evaluation.state) == ("Baik", EvaluationState.FINAL)


def other_agencys_administrator(cast):
    RoleAssignment.objects.create(
        user=cast.outsider, role=Role.PENGELOLA_KINERJA, agency=cast.dukcapil
    )
    return cast.outsider


@pytest.mark.parametrize("who", ["head", "pengelola", "other_head", "rater_superior", "auditor"])
def test_nobody_else_decides_not_the_jpt_themself(cast, jpt_objection, who):
    with pytest.raises(PermissionDenied):
        decide(jpt_objection, cast.users[who])


def test_another_agencys_administrator_does_not_decide(cast, jpt_objection):
    with pytest.raises(PermissionDenied):
        decide(jpt_objection, other_agencys_administrator(cast))


def test_no_explanation_is_asked_of_the_head_of_region(cast, jpt_objection):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.objection_explanation_request(objection=jpt_objection, by=cast.admin)
    assert "head of region rated" in str(error.value)
