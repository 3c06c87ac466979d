"""Feedback (``services/feedback.py``): from the rater, peers and subordinates, and the
employee's reply; nobody else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.evaluations import services
from kinerja.evaluations.models import FeedbackRole
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db


def test_feedback_comes_from_rater_peers_and_subordinates_and_the_employee_replies(cast):
    skp = approved_plan(cast)
    rhk = skp.results.get()
    first = services.feedback_post(
        skp=skp, by=cast.rater, text="Bagus", tag="appreciation", rhk=rhk
    )
    peer = services.feedback_post(
        skp=skp, by=cast.colleague, text="Lebih teliti", tag="improvement", rhk=rhk
    )
    reply = services.feedback_post(skp=skp, by=cast.employee, text="Terima kasih", parent=first)
    assert (first.author_role, peer.author_role, reply.author_role) == (
        FeedbackRole.RATER,
        FeedbackRole.PEER,
        FeedbackRole.EMPLOYEE,
    )
    assert reply.rhk == rhk
    with pytest.raises(PermissionDenied):
        services.feedback_post(skp=skp, by=cast.outsider, text="x", tag="appreciation", rhk=rhk)
    with pytest.raises(ValidationError):
        services.feedback_post(
            skp=skp, by=cast.employee, text="Saya hebat", tag="appreciation", rhk=rhk
        )
