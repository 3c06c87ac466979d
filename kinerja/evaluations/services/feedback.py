"""Continuous feedback on a plan's results and core values, and the employee's
self-assessment of a period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.notifications import notify
from kinerja.core.texts import Text
from kinerja.organizations.models import Employee
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import BehaviourValue, Rhk, Skp, SkpState
from kinerja.skp.services import clean_text, users_of

from .. import permissions
from ..models import Evaluation, Feedback, FeedbackRole, FeedbackTag, SelfAssessment
from .common import rated_period, rating


def _check_subject(
    skp: Skp, role: str, tag: str, rhk: Rhk | None, value: BehaviourValue | None
) -> None:
    """A new thread is on one result of the plan or one core value, tagged."""
    if role == FeedbackRole.EMPLOYEE:
        raise ValidationError({"parent": _("You reply to feedback on your own plan.")})
    if tag not in FeedbackTag.values:
        raise ValidationError({"tag": _("Choose appreciation or improvement.")})
    if (rhk is None) == (value is None):
        raise ValidationError({"rhk": _("Choose one result or one core value.")})
    if rhk is not None and rhk.skp_id != skp.pk:
        raise ValidationError({"rhk": _("Choose a result of this plan.")})


def _notify_feedback(skp: Skp, role: str, parent: Feedback | None, text: str) -> None:
    if role == FeedbackRole.EMPLOYEE:  # a reply (the employee only replies: _check_subject)
        recipients = users_of(parent.author if parent is not None else None)
        title = Text(gettext_lazy("%(name)s replied to your feedback"), name=skp.employee.name)
    else:
        recipients = users_of(skp.employee)
        title = Text(gettext_lazy("New feedback on your %(year)s plan"), year=skp.year)
    notify(users=recipients, title=title, body=text[:200], link=f"/skp/{skp.pk}/")


@transaction.atomic
def feedback_post(
    *,
    skp: Skp,
    by: Actor,
    text: str,
    tag: str = "",
    rhk: Rhk | None = None,
    value: BehaviourValue | None = None,
    parent: Feedback | None = None,
) -> Feedback:
    """Continuous feedback on a result or a core value, from the rater, peers or subordinates;
    the employee answers (a reply names the message it answers)."""
    role = permissions.feedback_role(by, skp)
    me = scope_for(by).employee_id  # not None when ``role`` is not
    if role is None or me is None:
        raise permissions.PermissionDenied(_("You may not give feedback on this plan."))
    if skp.state in {SkpState.DRAFT, SkpState.CLOSED}:
        raise ValidationError({"text": _("Feedback starts once the plan has been submitted.")})
    text = clean_text(text, "text")
    if parent is not None:
        if parent.skp_id != skp.pk:
            raise ValidationError({"parent": _("Reply within the same plan.")})
        rhk, value, tag = parent.rhk, parent.value, ""
    else:
        _check_subject(skp, role, tag, rhk, value)
    author = Employee.objects.get(pk=me)
    feedback = Feedback.objects.create(
        skp=skp, rhk=rhk, value=value, parent=parent, author=author, author_role=role,
        tag=tag, text=text,
    )  # fmt: skip
    audit.record(
        "create",
        feedback,
        object_id=str(feedback.pk),
        after={"role": role, "tag": tag, "text": text},
    )
    _notify_feedback(skp, role, parent, text)
    return feedback


@transaction.atomic
def self_assess(
    *,
    skp: Skp,
    by: Actor,
    period: str,
    text: str,
    results_rating: str = "",
    behaviour_rating: str = "",
) -> SelfAssessment:
    permissions.require(
        permissions.is_self(by, skp.employee), _("Only the employee assesses themselves.")
    )
    parsed = rated_period(period, skp.year)
    if Evaluation.objects.filter(skp=skp, period=str(parsed)).exists():
        raise ValidationError({"period": _("This period is already rated.")})
    for field, value in (
        ("results_rating", results_rating),
        ("behaviour_rating", behaviour_rating),
    ):
        if value:
            rating(value, field)
    text = clean_text(text, "text")
    row, created = SelfAssessment.objects.update_or_create(
        skp=skp, period=str(parsed),
        defaults={
            "text": text, "results_rating": results_rating, "behaviour_rating": behaviour_rating,
        },
    )  # fmt: skip
    audit.record(
        "create" if created else "update", row, object_id=f"{skp.pk}/{parsed}", after={"text": text}
    )
    return row
