"""The plans part of the demo: every demo employee's plan (SKP) for the current year, built
top-down — the head of each agency first, so that each subordinate's main results name the
superior's result they support — then the year's story (:mod:`.ratings`).

Everything goes through the skp and evaluations operations, each step by the person who takes
it in real life (the employee drafts, submits and reports; the rater approves or returns,
writes expectations and feedback, rates; the leader above a unit sets its predicate), so the
operations' permission checks run too. The four heads of agency (JPT) name their agency's
indicator and a perspective; their rater is the Wali Kota, who is not an employee in the
system, so the regional administrator (``admin``) records the approval on the Wali Kota's
behalf. The role-result matrix hands a rater's result to the team (``data/plans.yaml``), and
the officers' copies are bound to the service data filtered to themselves.

Loading again changes nothing: once any demo employee has a plan for the year, this part
leaves the year to the people. The notifications the operations send along the way are
removed at the end: the plans' story happened months before the load and its notices are not
news (the service-data alert, the pending objection and the notice of a plan still awaiting its
rater stay).
"""

from __future__ import annotations

from django.urls import reverse

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.models import Notification
from kinerja.organizations.models import Unit
from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState
from kinerja.strategy.models import Indicator
from kinerja.streams.models import Stream

from .. import services as demo
from . import common, edges, organisation, ratings
from .coaching import load_coaching
from .year import (
    ATTACHMENT,
    CONSEQUENCES,
    COUNT_KEYS,
    EXPECTATIONS,
    MATRIX,
    NOT_RATED,
    QUALITATIVE,
    RETURNED,
    STORY,
    SUBMITTED_ONLY,
    Result,
    Year,
)

#: The notices that stay: the objection filed the day before the load waits for its decider.
OBJECTION_LINKS = "/penilaian/keberatan/"


def load_plans() -> dict[str, int]:
    """Load the plans of the demo; call it inside the demo's transaction and audit door, after
    the organisation, the strategy and the service data. Returns counts of what was created."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    today = common.today()
    nips = [organisation.nip_of(p) for p in organisation.PEOPLE]
    if Skp.objects.filter(year=today.year, employee__nip__in=nips).exists():
        return counts  # the year's plans are in place: people own them now
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    if today.month == 12:  # the region rates the year's end in December (data/story.yaml)
        demo.calendar_rating_opens_early(
            year=today.year, days=STORY["december_rating_opens_days_before"], by=SYSTEM
        )
    year = Year(today, common.now(), counts)
    _tell(year)
    load_coaching(year)  # its notices go with the story's: the raters' worklists show them
    waiting = Skp.objects.filter(year=today.year, state=SkpState.SUBMITTED).values_list(
        "pk", flat=True
    )
    demo.story_notices_clear(
        after=last_notification or 0,
        keep_link_prefix=OBJECTION_LINKS,
        # a plan awaiting its rater still asks something ("X submitted the plan", its only
        # notice; a returned plan's link carries the rater's old notice too: it goes)
        keep_links=[reverse("skp:detail", args=[pk]) for pk in waiting],
        by=SYSTEM,
    )
    return counts


def _tell(year: Year) -> None:
    """The year, step by step."""
    ratings.assign_profiles(year)
    for employee in year.order():
        _plan(year, employee)
    approved = [s for s in year.plans.values() if s.state == SkpState.APPROVED]
    ratings.realisations(year, approved)
    for skp in approved:
        ratings.feedback(year, skp)
    rated = [s for s in approved if year.name(s.employee) not in NOT_RATED]
    if rated and not edges.quarter_open(year, rated[0]):
        return  # January to March: no quarter of the year may be rated yet
    ratings.org_predicates(year, rated)
    edges.earlier_quarters(year)
    for skp in rated:
        ratings.rate(year, skp)
    ratings.development(year)
    ratings.objection(year)


def _plan(year: Year, employee) -> None:
    results = year.results_for(employee)
    if not results:
        return
    user = year.user(employee.pk)
    skp = _draft(year, employee, user, results)
    _hand_out(year, employee)
    if year.bound_officer(employee):
        for rhk in skp.results.filter(supports__isnull=False).select_related("supports"):
            spec = year.spec_of(rhk.supports)
            if spec is not None and rhk.text == rhk.supports.text:  # a matrix copy
                _bind(year, skp, rhk, spec, user, unit=False)
    if employee.position.kind == "jpt":
        # The Wali Kota rates the heads of agency; the regional administrator records the
        # approval on the Wali Kota's behalf.
        admin = User.objects.filter(username="admin", is_active=True).first()
        if admin is not None:
            services.skp_submit(skp=skp, by=user)
            services.skp_approve(skp=skp, by=admin)
            year.counts["approved"] += 1
        return
    if year.rater_of.get(employee.pk) is not None:
        _submit_and_decide(year, employee, skp, user)


def _draft(year: Year, employee, user, results: list[Result]):
    """The plan (created unless the matrix made it), its attachment and its results."""
    skp = year.plans.get(employee.pk)
    if skp is None:
        entrant = edges.entrant_start(year, employee)  # a TMT, recorded by the administrator
        by = User.objects.get(username="admin") if entrant else user
        skp = services.skp_create(
            employee=employee, year=year.year, by=by, today=year.today, **entrant
        )
        year.plans[employee.pk] = skp
        year.counts["plans"] += 1
    attachment = ATTACHMENT[employee.unit.agency.code]
    if year.name(employee) in QUALITATIVE:
        services.skp_update(skp=skp, by=user, approach="kualitatif")
    services.skp_update(
        skp=skp,
        by=user,
        resources=attachment["resources"],
        accountability=attachment["accountability"],
        consequences=CONSEQUENCES,
    )
    jpt = employee.position.kind == "jpt"
    for spec in results:
        indicator = None
        if jpt and spec.iku:
            indicator = Indicator.objects.get(agency=employee.unit.agency, code=spec.iku)
        rhk = services.rhk_add(
            skp=skp,
            by=user,
            kind=spec.kind,
            text=spec.text,
            indicators=[
                {
                    "aspect": i.aspect,
                    "text": i.text,
                    "target": i.target,
                    "unit": i.unit,
                    # "per triwulan" targets hold in every quarter; other counts are the
                    # year's total (the operation's default)
                    **({"yearly_total": False} if "per triwulan" in i.text else {}),
                }
                for i in spec.indicators
            ],
            supports=None if jpt else year.supported(employee, spec.supports),
            indicator=indicator,
            perspective=spec.perspective if jpt else "",
        )
        year.remember(employee, rhk, spec.tag)
        year.counts["results"] += 1
        _bind(year, skp, rhk, spec, user, unit=True)
    return skp


def _submit_and_decide(year: Year, employee, skp, user) -> None:
    """Submitted by the employee; the rater writes the expectations, then approves or
    returns (or has not decided yet)."""
    services.skp_submit(skp=skp, by=user)
    rater = year.user(year.rater_of[employee.pk])
    code_of_post = employee.position.code
    for expectation in EXPECTATIONS:
        if code_of_post.startswith(expectation.prefix) and code_of_post.endswith(
            expectation.suffix
        ):
            services.expectation_set(
                skp=skp, value=year.values[expectation.value], text=expectation.text, by=rater
            )
    name = year.name(employee)
    if name in SUBMITTED_ONLY:
        skp.refresh_from_db()
        return
    if name in RETURNED:
        skp = services.skp_return(skp=skp, by=rater, reason=RETURNED[name])
        year.counts["returned"] += 1
    else:
        skp = services.skp_approve(skp=skp, by=rater)
        year.counts["approved"] += 1
    year.plans[employee.pk] = Skp.objects.select_related("employee", "unit__agency").get(pk=skp.pk)


def _bind(year: Year, skp, rhk, spec: Result, user, *, unit: bool) -> None:
    """Bind the result's indicators to service data: the unit's (the owner's own result) or
    the officer's own (a handed-out copy)."""
    ikis = list(rhk.indicators.order_by("number"))
    for iki, ind in zip(ikis, spec.indicators, strict=False):
        if unit and ind.unit_binding:
            bound = ind.unit_binding
            binding = {"unit": Unit.objects.get(code=bound["unit"])}
        elif not unit and ind.officer_binding:
            bound = ind.officer_binding
            binding = {"officer": skp.employee.nip}
        else:
            continue
        binding.update(
            stream=Stream.objects.filter(code=bound["stream"]).first(),
            metric=bound["metric"],
            duration_unit=bound.get("duration_unit", ""),
        )
        if binding["stream"] is None:
            continue  # no service data in this installation
        services.iki_bind(iki=iki, by=user, binding=binding)
        year.counts["bound"] += 1


def _hand_out(year: Year, rater) -> None:
    """The role-result matrix: the rater's result to the holders of a subordinate post."""
    for row in MATRIX:
        if rater.position.code != row.rater or (rater.pk, row.tag) not in year.tagged:
            continue
        holders = sorted(
            (
                e
                for e in year.employees.values()
                if e.position.code.startswith(row.to) and year.rater_of.get(e.pk) == rater.pk
            ),
            key=lambda e: e.nip,
        )
        if not holders:
            continue
        services.matrix_assign(
            rhk=year.tagged[(rater.pk, row.tag)],
            by=year.user(rater.pk),
            assignments=[(e, row.volume) for e in holders],
        )
        for employee in holders:
            if employee.pk not in year.plans:
                year.plans[employee.pk] = Skp.objects.get(
                    employee=employee, year=year.year, ends_on__isnull=True
                )
                year.counts["plans"] += 1
            year.counts["results"] += 1
