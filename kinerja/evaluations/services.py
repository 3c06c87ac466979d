"""Operations of individual evaluation: feedback, self-assessment, rating, the organisation
predicate, objections and development plans. Each runs in one transaction, checks who may do
it, validates, and writes its own audit record (architecture.md rule 2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.notifications import notify
from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Agency, Employee, RaterChain, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp import permissions
from kinerja.skp.models import BehaviourValue, Rhk, Skp, SkpState
from kinerja.skp.rules import skp_calendar
from kinerja.skp.services import _clean_text, _users, transition

from . import rules
from .models import (
    ActionKind,
    AgencyRhythm,
    DevelopmentAction,
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    EvaluationState,
    Feedback,
    FeedbackRole,
    FeedbackTag,
    Objection,
    ObjectionOutcome,
    OrgEvaluation,
    OrgPredicate,
    Rating,
    Rhythm,
    SelfAssessment,
)

RATEABLE_STATES = {SkpState.APPROVED, SkpState.EVALUATING}


def _period(text: str, year: int | None = None) -> Period:
    try:
        period = parse_period(text, kinds=ALL_KINDS)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if year is not None and period.year != year:
        raise ValidationError({"period": _("The plan is for %(year)s.") % {"year": year}})
    return period


def _rating(value: str, field: str) -> str:
    if value not in Rating.values:
        raise ValidationError({field: _("Choose above, meets or below.")})
    return value


# --- The agency's rhythm ---------------------------------------------------------------------


def rhythm_of(agency: Agency, year: int) -> str:
    row = (
        AgencyRhythm.objects.filter(agency=agency, valid_from__lte=year)
        .order_by("-valid_from")
        .first()
    )
    return row.rhythm if row else Rhythm.QUARTERLY


@transaction.atomic
def rhythm_set(*, agency: Agency, year: int, rhythm: str, by) -> AgencyRhythm:
    scope = scope_for(by)
    permissions.require(
        scope.region_write or agency.pk in scope.agencies_managed | scope.agencies_headed,
        _("Only the agency's head or performance administrator sets the rhythm."),
    )
    if rhythm not in Rhythm.values:
        raise ValidationError({"rhythm": _("Choose monthly, quarterly or per semester.")})
    before = rhythm_of(agency, year)
    row, _created = AgencyRhythm.objects.update_or_create(
        agency=agency, valid_from=year, defaults={"rhythm": rhythm}
    )
    if before != rhythm:
        audit.record("update", row, before={"rhythm": before}, after={"rhythm": rhythm})
    return row


# --- Feedback and self-assessment ------------------------------------------------------------


def feedback_role(user, skp: Skp) -> str | None:
    """How the user stands to the plan's owner, for feedback; ``None``: may not write."""
    me = scope_for(user).employee_id
    if me is None:
        return None
    if me == skp.employee_id:
        return FeedbackRole.EMPLOYEE
    if me in {skp.rater_id}:
        return FeedbackRole.RATER
    if me == skp.rater_superior_id:
        return FeedbackRole.OTHER
    if skp.rater_id and RaterChain.objects.filter(employee_id=me, rater_id=skp.rater_id).exists():
        return FeedbackRole.PEER
    if RaterChain.objects.filter(employee_id=me, rater_id=skp.employee_id).exists():
        return FeedbackRole.SUBORDINATE
    return None


@transaction.atomic
def feedback_post(
    *,
    skp: Skp,
    by,
    text: str,
    tag: str = "",
    rhk: Rhk | None = None,
    value: BehaviourValue | None = None,
    parent: Feedback | None = None,
) -> Feedback:
    """Continuous feedback on a result or a core value, from the rater, peers or subordinates;
    the employee answers (a reply names the message it answers)."""
    role = feedback_role(by, skp)
    permissions.require(role is not None, _("You may not give feedback on this plan."))
    if skp.state in {SkpState.DRAFT, SkpState.CLOSED}:
        raise ValidationError({"text": _("Feedback starts once the plan has been submitted.")})
    text = _clean_text(text, "text")
    if parent is not None:
        if parent.skp_id != skp.pk:
            raise ValidationError({"parent": _("Reply within the same plan.")})
        rhk, value, tag = parent.rhk, parent.value, ""
    else:
        if role == FeedbackRole.EMPLOYEE:
            raise ValidationError({"parent": _("You reply to feedback on your own plan.")})
        if tag not in FeedbackTag.values:
            raise ValidationError({"tag": _("Choose appreciation or improvement.")})
        if (rhk is None) == (value is None):
            raise ValidationError({"rhk": _("Choose one result or one core value.")})
        if rhk is not None and rhk.skp_id != skp.pk:
            raise ValidationError({"rhk": _("Choose a result of this plan.")})
    author = Employee.objects.get(pk=scope_for(by).employee_id)
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
    if role == FeedbackRole.EMPLOYEE:
        recipients = _users(parent.author)
        title = _("%(name)s replied to your feedback") % {"name": skp.employee.name}
    else:
        recipients = _users(skp.employee)
        title = _("New feedback on your %(year)s plan") % {"year": skp.year}
    notify(users=recipients, title=title, body=text[:200], link=f"/skp/{skp.pk}/")
    return feedback


@transaction.atomic
def self_assess(
    *, skp: Skp, by, period: str, text: str, results_rating: str = "", behaviour_rating: str = ""
) -> SelfAssessment:
    permissions.require(
        permissions.is_self(by, skp.employee), _("Only the employee assesses themselves.")
    )
    parsed = _period(period, skp.year)
    if Evaluation.objects.filter(skp=skp, period=str(parsed)).exists():
        raise ValidationError({"period": _("This period is already rated.")})
    for field, value in (
        ("results_rating", results_rating),
        ("behaviour_rating", behaviour_rating),
    ):
        if value:
            _rating(value, field)
    text = _clean_text(text, "text")
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


# --- Rating ----------------------------------------------------------------------------------


def _months_served(skp: Skp) -> int:
    """Months of the year covered by this assignment (for credit points)."""
    start = skp.starts_on
    end = skp.ends_on or date(skp.year, 12, 31)
    return max(1, min(12, (end.year - start.year) * 12 + end.month - start.month + 1))


@transaction.atomic
def evaluation_rate(
    *,
    skp: Skp,
    by,
    period: str,
    results_rating: str,
    behaviour_rating: str,
    note: str = "",
    now: datetime | None = None,
) -> Evaluation:
    """The rater's periodic or annual rating. The suggested results rating (computed from
    measured achievement) is kept beside the rater's choice; the predicate comes from the
    year's quadrant. A predicate below Baik opens a development plan."""
    from .selectors import suggestion_for

    now = now or timezone.now()
    skp = Skp.objects.select_for_update().select_related("employee", "unit").get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the plan's rater rates it."))
    parsed = _period(period, skp.year)
    results_rating = _rating(results_rating, "results_rating")
    behaviour_rating = _rating(behaviour_rating, "behaviour_rating")
    if skp.state not in RATEABLE_STATES:
        raise ValidationError(
            {
                "state": _("The plan is %(state)s; an approved plan is rated.")
                % {"state": skp.get_state_display()}
            }
        )
    if not parsed.annual:
        rhythm = rhythm_of(skp.unit.agency, skp.year)
        from .periods import KIND_OF_RHYTHM

        if parsed.kind != KIND_OF_RHYTHM[rhythm]:
            raise ValidationError(
                {"period": _("%(agency)s evaluates %(rhythm)s; %(period)s is not such a period.")
                 % {"agency": skp.unit.agency.name, "rhythm": Rhythm(rhythm).label,
                    "period": parsed}}
            )  # fmt: skip
    if parsed.start > timezone.localtime(now).date():
        raise ValidationError({"period": _("This period has not begun yet.")})
    if Evaluation.objects.filter(skp=skp, period=str(parsed)).exists():
        raise ValidationError(
            {"period": _("%(period)s is already rated.") % {"period": parsed.label}}
        )
    suggestion = suggestion_for(skp, parsed, viewer=by)
    predicate = rules.predicate_for(results_rating, behaviour_rating, skp.year)
    evaluation = Evaluation(
        skp=skp, period=str(parsed), annual=parsed.annual, results_rating=results_rating,
        behaviour_rating=behaviour_rating, suggested_results=suggestion.get("rating") or "",
        suggestion=suggestion, predicate=predicate, note=_clean_text(note, "note", required=False),
        rated_by=skp.rater, recorded_by=by, rated_at=now, delivered_at=now,
    )  # fmt: skip
    if parsed.annual:
        evaluation.months = _months_served(skp)
        evaluation.credit_points = rules.credit_points(
            level=skp.position_level, predicate=predicate, months=evaluation.months,
            rules=rules.credit_rules(skp.year),
        ) if skp.position_kind == "jf" else None  # fmt: skip
    evaluation.save()
    audit.record(
        "rate",
        evaluation,
        after={
            "results": results_rating, "behaviour": behaviour_rating, "predicate": predicate,
            "suggested": evaluation.suggested_results or None,
            "credit_points": audit.to_json(evaluation.credit_points),
        },
    )  # fmt: skip
    transition(skp, SkpState.RATED if parsed.annual else SkpState.EVALUATING, by, str(parsed))
    notify(
        users=_users(skp.employee),
        title=_("Your predicate for %(period)s: %(predicate)s")
        % {"period": parsed.label, "predicate": predicate},
        link=f"/skp/{skp.pk}/",
    )
    if (
        rules.below_baik(predicate)
        and not skp.development_plans.exclude(state=DevelopmentState.CLOSED).exists()
    ):
        development_open(
            skp=skp,
            by=by,
            goal=_("Improve on the %(period)s rating") % {"period": parsed.label},
            evaluation=evaluation,
            _checked=True,
        )
    return evaluation


def finalise_due(
    *, now: datetime | None = None, evaluations: Iterable[Evaluation] | None = None
) -> int:
    """Make annual ratings final once their objection period has passed without an objection."""
    now = now or timezone.now()
    rows = (
        evaluations
        if evaluations is not None
        else Evaluation.objects.filter(annual=True, state=EvaluationState.RATED).select_related(
            "skp"
        )
    )
    done = 0
    for evaluation in rows:
        days = skp_calendar(evaluation.skp.year).objection_days
        if evaluation.delivered_at is None or rules.objection_open(
            evaluation.delivered_at, now, days
        ):
            continue  # not received yet, or still within the objection period
        with transaction.atomic():
            evaluation.state = EvaluationState.FINAL
            evaluation.save(update_fields=["state"])
            transition(evaluation.skp, SkpState.FINAL, None, _("Objection period over"))
        done += 1
    return done


# --- Objection -------------------------------------------------------------------------------


@transaction.atomic
def objection_file(
    *, evaluation: Evaluation, by, reason: str, evidence: str = "", now: datetime | None = None
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
    objection = Objection.objects.create(
        evaluation=evaluation, reason=_clean_text(reason, "reason"),
        evidence=_clean_text(evidence, "evidence", required=False), filed_at=now,
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
        users=_users(skp.rater_superior),
        title=_("%(name)s objects to the %(year)s predicate")
        % {"name": skp.employee.name, "year": skp.year},
        body=objection.reason[:200],
        link=f"/penilaian/keberatan/{objection.pk}/",
    )
    return objection


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    by,
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
    me = scope_for(by).employee_id
    permissions.require(
        me is not None and me == objection.decider_id and me != skp.employee_id,
        _("Only the rater's superior decides an objection."),
    )
    if objection.decided:
        raise ValidationError(
            {"objection": _("This objection is already decided; the decision is final.")}
        )
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose upheld or changed.")})
    reason = _clean_text(reason, "reason")
    if outcome == ObjectionOutcome.CHANGED:
        results_rating = _rating(results_rating, "results_rating")
        behaviour_rating = _rating(behaviour_rating, "behaviour_rating")
        if (results_rating, behaviour_rating) == (
            evaluation.results_rating,
            evaluation.behaviour_rating,
        ):
            raise ValidationError(
                {
                    "results_rating": _(
                        "A changed predicate needs other ratings; otherwise uphold it."
                    )
                }
            )
        evaluation.results_rating, evaluation.behaviour_rating = results_rating, behaviour_rating
        evaluation.predicate = rules.predicate_for(results_rating, behaviour_rating, skp.year)
        if evaluation.credit_points is not None or skp.position_kind == "jf":
            evaluation.credit_points = rules.credit_points(
                level=skp.position_level, predicate=evaluation.predicate,
                months=evaluation.months, rules=rules.credit_rules(skp.year),
            )  # fmt: skip
    objection.outcome, objection.decision_reason, objection.decided_at = outcome, reason, now
    objection.save()
    evaluation.state = EvaluationState.FINAL
    evaluation.save()
    transition(skp, SkpState.FINAL, by, reason[:500])
    audit.record(
        "decide", objection, before=objection.before,
        after={"outcome": outcome, "reason": reason, "results": evaluation.results_rating,
               "behaviour": evaluation.behaviour_rating, "predicate": evaluation.predicate},
    )  # fmt: skip
    notify(
        users=_users(skp.employee),
        title=_("Decision on your objection: %(predicate)s") % {"predicate": evaluation.predicate},
        body=reason[:200],
        link=f"/skp/{skp.pk}/",
    )
    return objection


# --- Organisation predicate --------------------------------------------------------------------


def may_set_org_predicate(user, unit: Unit) -> bool:
    """The leader above the unit — the rater of its head — or the agency's head, or the
    region's administrator (for a top unit, whose leader is the head of region)."""
    scope = scope_for(user)
    if scope.region_write or unit.agency_id in scope.agencies_headed:
        return True
    head = unit_head(unit)
    if head is None or scope.employee_id is None or head.pk == scope.employee_id:
        return False
    return RaterChain.objects.filter(employee=head, rater_id=scope.employee_id).exists()


@transaction.atomic
def org_predicate_set(
    *, unit: Unit, period: str, predicate: str, reason: str = "", by
) -> OrgEvaluation:
    permissions.require(
        may_set_org_predicate(by, unit), _("Only the leader above the unit sets its predicate.")
    )
    parsed = _period(period)
    if predicate not in OrgPredicate.values:
        raise ValidationError(
            {"predicate": _("Choose Istimewa, Baik, Butuh Perbaikan, Kurang or Sangat Kurang.")}
        )
    me = scope_for(by).employee_id
    current = OrgEvaluation.objects.filter(unit=unit, period=str(parsed)).first()
    before = {"predicate": current.predicate} if current else None
    row, _created = OrgEvaluation.objects.update_or_create(
        unit=unit, period=str(parsed),
        defaults={
            "predicate": predicate, "set_by_id": me,
            "reason": _clean_text(reason, "reason", required=False),
        },
    )  # fmt: skip
    if before != {"predicate": predicate}:
        audit.record(
            "update" if before else "create",
            row,
            object_id=f"{unit.code}/{parsed}",
            before=before,
            after={"predicate": predicate},
        )
    return row


# --- Development plans ------------------------------------------------------------------------


def may_develop(user, skp: Skp) -> bool:
    """The employee, the rater and the agency's administrators work on development plans."""
    return (
        permissions.is_self(user, skp.employee)
        or permissions.rates_plan(user, skp)
        or permissions.can_administer(user, skp)
    )


@transaction.atomic
def development_open(
    *, skp: Skp, by, goal: str, evaluation: Evaluation | None = None, _checked: bool = False
) -> DevelopmentPlan:
    """Open a development plan — anyone may have one; a predicate below Baik opens one."""
    if not _checked:
        permissions.require(may_develop(by, skp), _("You may not open a development plan here."))
    plan = DevelopmentPlan.objects.create(
        skp=skp, goal=_clean_text(goal, "goal"), opened_by_evaluation=evaluation
    )
    audit.record(
        "create",
        plan,
        object_id=str(plan.pk),
        after={"goal": plan.goal, "evaluation": evaluation.period if evaluation else None},
    )
    return plan


@transaction.atomic
def development_action_add(
    *, plan: DevelopmentPlan, by, kind: str, description: str, owner: str, due_on: date
) -> DevelopmentAction:
    permissions.require(may_develop(by, plan.skp), _("You may not change this development plan."))
    if plan.state != DevelopmentState.DRAFT:
        raise ValidationError({"plan": _("The plan is agreed; record progress in the follow-up.")})
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose training, mentoring or coaching.")})
    if not isinstance(due_on, date):
        raise ValidationError({"due_on": _("Give a date, e.g. 30/06/2026.")})
    action = DevelopmentAction.objects.create(
        plan=plan, kind=kind, description=_clean_text(description, "description"),
        owner=_clean_text(owner, "owner", limit=200), due_on=due_on,
    )  # fmt: skip
    audit.record(
        "create",
        action,
        object_id=f"{plan.pk}/{action.pk}",
        after={"kind": kind, "description": action.description, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def development_agree(*, plan: DevelopmentPlan, by, now: datetime | None = None) -> DevelopmentPlan:
    """The employee and the rater each agree; the plan is agreed when both have."""
    now = now or timezone.now()
    plan = DevelopmentPlan.objects.select_for_update().select_related("skp").get(pk=plan.pk)
    skp = plan.skp
    if plan.state != DevelopmentState.DRAFT:
        raise ValidationError({"plan": _("The plan is already agreed.")})
    if not plan.actions.exists():
        raise ValidationError({"plan": _("Add at least one action first.")})
    if permissions.is_self(by, skp.employee):
        plan.employee_agreed_at = now
    elif permissions.rates_plan(by, skp):
        plan.rater_agreed_at = now
    else:
        permissions.require(False, _("Only the employee and the rater agree a development plan."))
    if plan.employee_agreed_at and plan.rater_agreed_at:
        plan.state = DevelopmentState.AGREED
    plan.save()
    audit.record("agree", plan, object_id=str(plan.pk), after={"state": plan.state})
    return plan


@transaction.atomic
def development_follow_up(
    *, plan: DevelopmentPlan, by, text: str, done: Iterable[int] = (), close: bool = False
) -> DevelopmentPlan:
    """The rater records progress at the next evaluation; closing ends the plan."""
    plan = DevelopmentPlan.objects.select_for_update().select_related("skp").get(pk=plan.pk)
    permissions.require(permissions.rates_plan(by, plan.skp), _("The rater follows the plan up."))
    if plan.state != DevelopmentState.AGREED:
        raise ValidationError({"plan": _("Only an agreed plan is followed up.")})
    plan.follow_up = _clean_text(text, "text")
    today = timezone.localdate()
    plan.actions.filter(pk__in=list(done), done_on__isnull=True).update(done_on=today)
    if close:
        plan.state = DevelopmentState.CLOSED
    plan.save()
    audit.record(
        "follow_up",
        plan,
        object_id=str(plan.pk),
        after={"text": plan.follow_up, "state": plan.state},
    )
    return plan
