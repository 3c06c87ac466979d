"""Development plans (``services/development.py``): a weak predicate opens one; actions added,
agreed and followed up later."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kinerja.evaluations import services
from kinerja.evaluations.models import DevelopmentState
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db


def test_a_weak_predicate_opens_a_development_plan_followed_up_later(cast):
    skp = approved_plan(cast)
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="below", behaviour_rating="meets"
    )
    assert evaluation.predicate == "Butuh Perbaikan"
    plan = skp.development_plans.get()
    assert plan.opened_by_evaluation == evaluation
    with pytest.raises(ValidationError):
        services.development_agree(plan=plan, by=cast.employee)  # no action yet
    services.development_action_add(
        plan=plan,
        by=cast.rater,
        kind="training",
        description="Pelatihan asuhan keperawatan",
        owner="Kepala Puskesmas",
        due_on=date(2026, 6, 30),
    )
    services.development_agree(plan=plan, by=cast.employee)
    plan = services.development_agree(plan=plan, by=cast.rater)
    assert plan.state == DevelopmentState.AGREED
    plan = services.development_follow_up(
        plan=plan, by=cast.rater, text="Pelatihan selesai", done=[plan.actions.get().pk], close=True
    )
    assert plan.state == DevelopmentState.CLOSED
    assert plan.actions.get().done_on is not None
