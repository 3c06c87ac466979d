"""The employee's objection (keberatan) to the annual predicate, and its decision by the
rater's superior, in named steps: the checks of the filing, the new ratings of a changed
predicate, and the final state."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.notifications import notify
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rules import skp_calendar
from kinerja.skp.services import clean_text, transition, users_of

from .. import permissions, rules
from ..ledger import ledger_refresh
from ..models import Evaluation, EvaluationState, Objection, ObjectionOutcome
from .common import rating


def _check_objection(evaluation: Evaluation, skp: Skp, now: datetime) -> None:
    """An annual predicate, not objected to yet, within the objection period, with a
    rater's superior to decide."""
    if not evaluation.annual:
        raise ValidationError({"evaluation": _("An objection concerns the annual predicate only.")})
    if Objection.objects.filter(evaluation=evaluation).exists():
        raise ValidationError(
            {"evaluation": _("You have already objected to this predicate; the decision is final.")}
        )
    days = skp_calendar(skp.year).objection_days
    if not rules.objection_open(evaluation.delivered_at, now, days):
        deadline = rules.objection_deadline(evaluation.delivered_at, days)
        raise ValidationError(
            {"evaluation": _("The objection period ended on %(date)s (%(days)d days after you "
                               "received the predicate).")
             % {"date": timezone.localtime(deadline).strftime("%d/%m/%Y"), "days": days}}
        )  # fmt: skip
    if skp.rater_superior_id is None:
        raise ValidationError(
            {
                "evaluation": _(
                    "Your rater has no superior recorded to decide an objection; ask the "
                    "performance administrator."
                )
            }
        )


@transaction.atomic
def objection_file(
    *,
    evaluation: Evaluation,
    by: Actor,
    reason: str,
    evidence: str = "",
    now: datetime | None = None,
) -> Objection:
    """The employee objects to the annual predicate, within the objection period (14 days from
    receiving it, [param]); once only; the rater's superior decides."""
    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().select_related("skp").get(pk=evaluation.pk)
    skp = evaluation.skp
    permissions.require(
        permissions.is_self(by, skp.employee),
        _("Only the employee objects to their own predicate."),
    )
    _check_objection(evaluation, skp, now)
    objection = Objection.objects.create(
        evaluation=evaluation, reason=clean_text(reason, "reason"),
        evidence=clean_text(evidence, "evidence", required=False), filed_at=now,
        decider=skp.rater_superior,
        before={
            "results": evaluation.results_rating, "behaviour": evaluation.behaviour_rating,
            "predicate": evaluation.predicate,
        },
    )  # fmt: skip
    evaluation.state = EvaluationState.OBJECTED
    evaluation.save(update_fields=["state"])
    transition(skp, SkpState.OBJECTED, by, objection.reason[:500])
    audit.record("object", objection, after={"reason": objection.reason})
    notify(
        users=users_of(skp.rater_superior),
        title=_("%(name)s objects to the %(year)s predicate")
        % {"name": skp.employee.name, "year": skp.year},
        body=objection.reason[:200],
        link=f"/penilaian/keberatan/{objection.pk}/",
    )
    return objection


def _change_predicate(evaluation: Evaluation, skp: Skp, results: str, behaviour: str) -> None:
    """A changed predicate: other ratings, the predicate from the year's quadrant, and the
    credit points again."""
    results = rating(results, "results_rating")
    behaviour = rating(behaviour, "behaviour_rating")
    if (results, behaviour) == (evaluation.results_rating, evaluation.behaviour_rating):
        raise ValidationError(
            {"results_rating": _("A changed predicate needs other ratings; otherwise uphold it.")}
        )
    evaluation.results_rating, evaluation.behaviour_rating = results, behaviour
    evaluation.predicate = rules.predicate_for(results, behaviour, skp.year)
    if evaluation.credit_points is not None or skp.position_kind == "jf":
        evaluation.credit_points = rules.credit_points(
            level=skp.position_level, predicate=evaluation.predicate,
            months=evaluation.months, rules=rules.credit_rules(skp.year),
        )  # fmt: skip


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    by: Actor,
    outcome: str,
    reason: str,
    results_rating: str = "",
    behaviour_rating: str = "",
    now: datetime | None = None,
) -> Objection:
    """The rater's superior upholds or changes the predicate, with reasons; then it is final."""
    now = now or timezone.now()
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    evaluation = (
        Evaluation.objects.select_for_update().select_related("skp").get(pk=objection.evaluation_id)
    )
    skp = evaluation.skp
    permissions.require(
        permissions.decides(by, objection, skp),
        _("Only the rater's superior decides an objection."),
    )
    if objection.decided:
        raise ValidationError(
            {"objection": _("This objection is already decided; the decision is final.")}
        )
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose upheld or changed.")})
    reason = clean_text(reason, "reason")
    if outcome == ObjectionOutcome.CHANGED:
        _change_predicate(evaluation, skp, results_rating, behaviour_rating)
    objection.outcome, objection.decision_reason, objection.decided_at = outcome, reason, now
    objection.save()
    evaluation.state = EvaluationState.FINAL
    evaluation.save()
    ledger_refresh(evaluation)  # the credit points follow a changed predicate
    transition(skp, SkpState.FINAL, by, reason[:500])
    audit.record(
        "decide", objection, before=objection.before,
        after={"outcome": outcome, "reason": reason, "results": evaluation.results_rating,
               "behaviour": evaluation.behaviour_rating, "predicate": evaluation.predicate},
    )  # fmt: skip
    notify(
        users=users_of(skp.employee),
        title=_("Decision on your objection: %(predicate)s") % {"predicate": evaluation.predicate},
        body=reason[:200],
        link=f"/skp/{skp.pk}/",
    )
    return objection
