"""The employee's objection (keberatan) to the annual predicate, the rater's explanation asked
by the decider (PP 30/2019 Ps. 59), and the decision by the rater's superior — for a JPT rated
by the head of region, the head of region's decision recorded by the region's administrator —
in named steps: the checks of the filing, the explanation, the new ratings of a changed
predicate, and the final state.

The explanation step: the decider may ask the rater once, with a due date (default: the year's
``EvaluationSetting.objection_explanation_days`` calendar days from the request). The rater may
explain once, until the decision (a late explanation is kept and marked late). While an
explanation is asked, not given and its due date (inclusive) not past, the decision is refused;
after the explanation or the due date, the decider decides. A JPT's objection has no explanation
step: the head of region both rated and decides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.models import Role, User
from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.texts import Text
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.permissions import rated_by_region_head
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
    if skp.rater_superior_id is None and not rated_by_region_head(skp):
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
    for_head = skp.rater_superior_id is None
    objection = Objection.objects.create(
        evaluation=evaluation, reason=clean_text(reason, "reason"),
        evidence=clean_text(evidence, "evidence", required=False), filed_at=now,
        decider=skp.rater_superior, for_region_head=for_head,
        before={
            "results": evaluation.results_rating, "behaviour": evaluation.behaviour_rating,
            "predicate": evaluation.predicate,
        },
    )  # fmt: skip
    evaluation.state = EvaluationState.OBJECTED
    evaluation.save(update_fields=["state"])
    if skp.state != SkpState.CLOSED:  # a plan closed by a transfer keeps its state
        transition(skp, SkpState.OBJECTED, by, objection.reason[:500])
    audit.record("object", objection, after={"reason": objection.reason})
    notify(
        users=region_administrators() if for_head else users_of(skp.rater_superior),
        title=Text(
            gettext_lazy("%(name)s objects to the %(year)s predicate"),
            name=skp.employee.name,
            year=skp.year,
        ),
        body=objection.reason[:200],
        link=f"/penilaian/keberatan/{objection.pk}/",
    )
    return objection


def region_administrators() -> list[User]:
    """The region's administrators, who record the head of region's decisions."""
    return list(
        User.objects.filter(role_assignments__role=Role.ADMIN_BKPSDM, is_active=True).distinct()
    )


def _locked(objection: Objection) -> tuple[Objection, Skp]:
    objection = (
        Objection.objects.select_for_update(of=("self",))  # the rater may be empty (a JPT's)
        .select_related("evaluation__skp__employee", "evaluation__skp__rater")
        .get(pk=objection.pk)
    )
    return objection, objection.evaluation.skp


def _check_pending(objection: Objection) -> None:
    if objection.decided:
        raise ValidationError(
            {"objection": _("This objection is already decided; the decision is final.")}
        )


@transaction.atomic
def objection_explanation_request(
    *, objection: Objection, by: Actor, due: date | None = None, now: datetime | None = None
) -> Objection:
    """The decider asks the rater to explain the rating objected to, by ``due`` (default: the
    year's ``objection_explanation_days`` calendar days from today); once, before deciding."""
    now = now or timezone.now()
    objection, skp = _locked(objection)
    permissions.require(
        permissions.decides(by, objection, skp),
        _("Only the rater's superior asks the rater for an explanation."),
    )
    _check_pending(objection)
    rater = objection.evaluation.rated_by or skp.rater
    if objection.for_region_head or rater is None:
        raise ValidationError(
            {"objection": _("The head of region rated this plan; no explanation is asked.")}
        )
    if objection.explanation_requested:
        raise ValidationError({"objection": _("An explanation has already been asked.")})
    today = timezone.localtime(now).date()
    due = due or today + timedelta(
        days=rules.evaluation_setting(skp.year).objection_explanation_days
    )
    if due < today:
        raise ValidationError({"due": _("The due date cannot be in the past.")})
    objection.explanation_requested_at, objection.explanation_due = now, due
    objection.save(update_fields=["explanation_requested_at", "explanation_due"])
    audit.record("explanation_request", objection, after={"due": due.isoformat()})
    notify(
        users=users_of(rater),
        title=Text(
            gettext_lazy("Explain your rating of %(name)s by %(date)s"),
            name=skp.employee.name,
            date=due.strftime("%d/%m/%Y"),
        ),
        body=objection.reason[:200],
        link=f"/penilaian/keberatan/{objection.pk}/",
    )
    return objection


@transaction.atomic
def objection_explain(
    *, objection: Objection, by: Actor, text: str, now: datetime | None = None
) -> Objection:
    """The rater explains the rating objected to, once, when asked and until the decision (a
    late explanation is kept, and shown as late)."""
    now = now or timezone.now()
    objection, skp = _locked(objection)
    permissions.require(
        permissions.explains(by, objection, skp),
        _("Only the rater who gave the rating explains it."),
    )
    _check_pending(objection)
    if not objection.explanation_requested:
        raise ValidationError(
            {"objection": _("The rater's superior has not asked for an explanation.")}
        )
    if objection.explained:
        raise ValidationError({"objection": _("The explanation has already been given.")})
    objection.explanation = clean_text(text, "text")
    objection.explained_at, objection.explained_by = now, objection.evaluation.rated_by or skp.rater
    objection.save(update_fields=["explanation", "explained_at", "explained_by"])
    audit.record("explain", objection, after={"explanation": objection.explanation})
    notify(
        users=users_of(objection.decider),
        title=Text(
            gettext_lazy("%(name)s has explained the rating objected to"),
            name=objection.explained_by.name if objection.explained_by else "—",
        ),
        body=objection.explanation[:200],
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


def _check_explanation(objection: Objection, now: datetime) -> None:
    if objection.awaits_explanation(timezone.localtime(now).date()):
        due = objection.explanation_due
        raise ValidationError(
            {"objection": _("The rater's explanation is awaited until %(date)s; decide when it "
                            "arrives or after that date.")
             % {"date": due.strftime("%d/%m/%Y") if due else "—"}}
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
    """The rater's superior (for a JPT: the region's administrator on behalf of the head of
    region) upholds or changes the predicate, with reasons; then it is final. Refused while an
    explanation asked of the rater is neither given nor past its due date."""
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
    _check_pending(objection)
    _check_explanation(objection, now)
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose upheld or changed.")})
    reason = clean_text(reason, "reason")
    if outcome == ObjectionOutcome.CHANGED:
        _change_predicate(evaluation, skp, results_rating, behaviour_rating)
    objection.outcome, objection.decision_reason, objection.decided_at = outcome, reason, now
    objection.decision_recorded_by = user_of(by)
    objection.save()
    evaluation.state = EvaluationState.FINAL
    evaluation.save()
    ledger_refresh(evaluation)  # the credit points follow a changed predicate
    if skp.state != SkpState.CLOSED:
        transition(skp, SkpState.FINAL, by, reason[:500])
    audit.record(
        "decide", objection, before=objection.before,
        after={"outcome": outcome, "reason": reason, "results": evaluation.results_rating,
               "behaviour": evaluation.behaviour_rating, "predicate": evaluation.predicate},
    )  # fmt: skip
    notify(
        users=users_of(skp.employee),
        title=Text(
            gettext_lazy("Decision on your objection: %(predicate)s"),
            predicate=evaluation.predicate,
        ),
        body=reason[:200],
        link=f"/skp/{skp.pk}/",
    )
    return objection
