"""The rater's answers to a coaching item (``coaching_send_feedback``,
``coaching_add_development``, ``coaching_dismiss``): who may answer, each answer on record,
an item answered once."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.evaluations import services
from kinerja.evaluations.models import (
    CoachingItem,
    CoachingState,
    DevelopmentPlan,
    Feedback,
)
from kinerja.skp.tests.factories import verified_realisation

from .coaching_support import check, open_item
from .support import Q2

pytestmark = pytest.mark.django_db

REFUSED = ["employee", "colleague", "outsider", "head", "pengelola", "admin", "auditor"]


def test_the_rater_sends_the_edited_message_as_feedback_on_the_indicators_result(cast):
    item = open_item(cast)
    item = services.coaching_send_feedback(item=item, by=cast.rater, text="Mari kita bahas.")
    assert (item.state, item.acted_by) == (CoachingState.FEEDBACK_SENT, cast.rater)
    feedback = Feedback.objects.get(pk=item.feedback_id)
    assert (feedback.text, feedback.tag, feedback.rhk) == (
        "Mari kita bahas.",
        "improvement",
        item.iki.rhk,
    )
    record = AuditRecord.objects.filter(object_type="evaluations.coachingitem").latest("seq")
    assert record.action == "transition"
    assert record.after["state"] == "feedback_sent"
    assert record.after["feedback"] == feedback.pk


def test_the_raters_superior_may_send_feedback(cast):
    item = services.coaching_send_feedback(
        item=open_item(cast), by=cast.rater_superior, text="Semangat, kami bantu."
    )
    assert item.state == CoachingState.FEEDBACK_SENT


@pytest.mark.parametrize("who", REFUSED)
def test_others_may_not_answer(cast, who):
    item = open_item(cast)
    with pytest.raises(PermissionDenied):
        services.coaching_send_feedback(item=item, by=cast.users[who], text="x")
    with pytest.raises(PermissionDenied):
        services.coaching_dismiss(item=item, by=cast.users[who], reason="x")
    assert CoachingItem.objects.get(pk=item.pk).state == "open"


def test_an_answered_item_is_not_answered_again(cast):
    item = open_item(cast)
    services.coaching_dismiss(item=item, by=cast.rater, reason="Sudah dibahas langsung")
    with pytest.raises(ValidationError):
        services.coaching_send_feedback(item=item, by=cast.rater, text="Lagi")


def test_dismissing_needs_a_reason_and_keeps_it(cast):
    item = open_item(cast)
    with pytest.raises(ValidationError):
        services.coaching_dismiss(item=item, by=cast.rater, reason="  ")
    item = services.coaching_dismiss(item=item, by=cast.rater, reason="Cuti sakit")
    assert (item.state, item.reason) == (CoachingState.DISMISSED, "Cuti sakit")


def _develop(item, by, description="Pendampingan pencatatan pasien"):
    return services.coaching_add_development(
        item=item, by=by, goal="Kembali ke target", description=description,
        owner="dr. Ahmad Fauzi", due_on=date(2027, 1, 31),
    )  # fmt: skip


def test_the_rater_adds_a_development_action_to_a_draft_plan(cast):
    item = _develop(open_item(cast), cast.rater)
    assert item.state == CoachingState.DEVELOPMENT_ADDED
    action = item.development_action
    assert (action.kind, action.plan.goal, action.plan.state) == (
        "coaching",
        "Kembali ke target",
        "draft",
    )


def test_a_second_action_joins_the_draft_plan(cast):
    first = _develop(open_item(cast), cast.rater)
    verified_realisation(iki=first.iki, period=Q2, value="100", by=cast.employee)
    check(first.skp, Q2)
    second = CoachingItem.objects.get(skp=first.skp, period=Q2)
    second = _develop(second, cast.rater, "Supervisi mingguan")
    assert second.development_action.plan == first.development_action.plan
    assert DevelopmentPlan.objects.filter(skp=first.skp).count() == 1


def test_the_raters_superior_may_not_add_a_development_action(cast):
    with pytest.raises(PermissionDenied):
        _develop(open_item(cast), cast.rater_superior)
