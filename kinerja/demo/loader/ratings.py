"""The year's story after the plans (``data/story.yaml``): realisations for every quarter so far,
feedback from raters, peers and subordinates with replies, self-assessments, the organisation
predicate of every unit with rated employees, the last ended quarter rated (mostly Baik, some
Sangat Baik, a few Butuh Perbaikan, which open development plans by themselves), Rizal
Effendi's agreed development plan and Yeni Marlina's pending objection.

A seeded generator (``Year.rng``) chooses who does better or worse and the feedback texts: the
draws happen in a fixed order, so every load from the same day is the same.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.periods import Period
from kinerja.evaluations import permissions, rules, services
from kinerja.evaluations.lifecycle import period_window
from kinerja.evaluations.models import DevelopmentPlan
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Unit
from kinerja.skp import services as skp_services
from kinerja.skp.models import Iki

from .. import services as demo
from . import common
from .year import DEVELOPMENT, OBJECTION, PROFILES, STORY, Year, month_end

ROMAN = ["I", "II", "III", "IV"]


def assign_profiles(year: Year) -> None:
    """Who does better or worse in the rated quarter: a unit head as the unit's predicate
    says, the story's people as it says, the others drawn."""
    units = Unit.objects.filter(pk__in={e.unit_id for e in year.employees.values()})
    for unit in units.prefetch_related("positions__reports_to"):
        head = unit_head(unit)
        if head is not None:
            year.heads[head.pk] = unit.code
    for employee in sorted(year.employees.values(), key=lambda e: e.nip):
        name = year.name(employee)
        if employee.pk in year.heads:
            org = STORY["org_predicates"].get(year.heads[employee.pk], "Baik")
            profile = {"Istimewa": "SB", "Baik": "B"}.get(org, "BP")
        elif name in PROFILES:
            profile = PROFILES[name]
        else:
            profile = "SB" if year.rng.random() < STORY["share_sangat_baik"] else "B"
        year.profiles[employee.pk] = profile


def realisations(year: Year, plans) -> None:
    """What each indicator reached in the quarters so far. The earlier quarters are the year's
    history and go in one bulk write (``iki_history_add``, verified); the rated quarter goes
    through ``realisation_record`` itself and the rater's ``realisation_verify``."""
    history = []
    ikis = (
        Iki.objects.filter(rhk__skp__in=plans, binding__isnull=True)
        .select_related("rhk__skp__employee", "rhk__skp__unit__agency")
        .order_by("rhk__skp__employee__nip", "rhk__kind", "rhk__number", "number")
    )
    for iki in ikis:
        skp = iki.rhk.skp
        user = year.user(skp.employee_id)
        low, high = STORY["factors"][year.profiles[skp.employee_id]]
        target, target_low, target_high = iki.target_for_months(3)  # a quarter's target
        if target is None and target_low is not None:
            target = (target_low + target_high) / 2
        if target is None:
            continue  # a qualitative indicator: told in the feedback, not in numbers
        whole = iki.unit_of_measure in STORY["whole_units"]
        for quarter in range(1, year.quarter + 1):
            if skp.starts_on > month_end(year.year, quarter * 3):
                continue  # before the entrant's TMT
            factor = Decimal(str(round(year.rng.uniform(low, high), 3)))
            value = target / factor if iki.lower_is_better else target * factor
            if iki.unit_of_measure == "%":
                value = min(value, Decimal(100))
            value = value.quantize(Decimal(1) if whole else Decimal("0.01"), ROUND_HALF_UP)
            period = f"{year.year}-Q{quarter}"
            if quarter == year.quarter:
                realisation = skp_services.realisation_record(
                    iki=iki, period=period, value=value, by=user
                )
                skp_services.realisation_verify(  # the rater verifies before the rating
                    realisation=realisation, by=year.users.get(skp.rater_id, SYSTEM), accept=True
                )
            else:
                history.append((iki, period, value, user))
            year.counts["realisations"] += 1
    demo.iki_history_add(values=history, by=SYSTEM)


def feedback(year: Year, skp) -> None:
    """The rater's word (and the employee's reply), a peer's and a subordinate's."""
    results = list(skp.results.order_by("kind", "number"))
    if skp.rater_id is None or not results:
        return
    _raters_word(year, skp, results)
    employee = skp.employee
    chances = STORY["chances"]
    peers = [
        pk
        for pk, r in year.rater_of.items()
        if r == skp.rater_id and pk != employee.pk and pk in year.users
    ]
    if peers and year.rng.random() < chances["peer"]:
        peer = year.rng.choice(sorted(peers))
        said = year.rng.choice(STORY["peer_says"])
        services.feedback_post(
            skp=skp, by=year.user(peer), text=said["text"], tag=said["tag"], rhk=results[0]
        )
        year.counts["feedback"] += 1
    subordinates = sorted(pk for pk, r in year.rater_of.items() if r == employee.pk)
    if subordinates and year.rng.random() < chances["subordinate"]:
        said = year.rng.choice(STORY["subordinate_says"])
        services.feedback_post(
            skp=skp,
            by=year.user(year.rng.choice(subordinates)),
            text=said["text"] % {"title": year.title(employee.pk)},
            tag=said["tag"],
            value=year.values[said["value"]],
        )
        year.counts["feedback"] += 1


def _raters_word(year: Year, skp, results: list) -> None:
    profile = year.profiles[skp.employee.pk]
    chances = STORY["chances"]
    roll = year.rng.random()
    if profile == "BP" or (profile == "B" and roll < chances["improvement_if_baik"]):
        tag = "improvement"
    elif profile == "SB" or roll < chances["appreciation_if_baik"]:
        tag = "appreciation"
    else:
        return  # the rater has said nothing in writing yet
    message = services.feedback_post(
        skp=skp,
        by=year.user(skp.rater_id),
        text=year.rng.choice(STORY["rater_says"][tag]),
        tag=tag,
        rhk=year.rng.choice(results),
    )
    year.counts["feedback"] += 1
    if year.rng.random() < chances["reply"]:
        services.feedback_post(
            skp=skp,
            by=year.user(skp.employee.pk),
            text=STORY["replies"][tag] % {"title": year.title(skp.rater_id)},
            parent=message,
        )
        year.counts["feedback"] += 1


def org_predicates(year: Year, rated) -> None:
    """The predicate of each unit with rated employees, set by the first who may of the unit
    head's rater, the head of the agency and the regional administrator."""
    admin = User.objects.filter(username="admin").first()
    units = {skp.unit.pk: skp.unit for skp in rated}
    head_of_unit = {code: pk for pk, code in year.heads.items()}
    agency_heads = {}
    for unit in sorted(units.values(), key=lambda u: u.code):
        predicate = STORY["org_predicates"].get(unit.code, "Baik")
        candidates = []
        head = head_of_unit.get(unit.code)
        if head is not None and year.rater_of.get(head) in year.users:
            candidates.append(year.user(year.rater_of[head]))
        agency = unit.agency
        if agency.pk not in agency_heads:
            holder = (
                agency.head_position.holders.filter(active=True).order_by("pk").first()
                if agency.head_position_id
                else None
            )
            agency_heads[agency.pk] = year.users.get(holder.pk) if holder else None
        candidates += [u for u in (agency_heads[agency.pk], admin) if u is not None]
        by = next((u for u in candidates if permissions.may_set_org_predicate(u, unit)), None)
        if by is None:
            continue
        reasons = STORY["org_reasons"]
        services.org_predicate_set(
            unit=unit,
            period=year.period(),
            predicate=predicate,
            reason=reasons.get(predicate, reasons["Baik"]) % {"q": ROMAN[year.quarter - 1]},
            by=by,
        )
        year.counts["org_predicates"] += 1


def rate(year: Year, skp) -> None:
    """The employee's self-assessment (mostly), then the rater's rating of the quarter."""
    employee = skp.employee
    profile = year.profiles[employee.pk]
    if year.rng.random() < STORY["chances"]["self_assessment"] or profile == "BP":
        proposed = STORY["self_assessments"][profile]
        services.self_assess(
            skp=skp,
            by=year.user(employee.pk),
            period=year.period(),
            text=proposed["text"],
            results_rating=proposed["results"],
            behaviour_rating=proposed["behaviour"],
        )
        year.counts["self_assessments"] += 1
    if employee.pk in year.heads:
        org = STORY["org_predicates"].get(year.heads[employee.pk], "Baik")
        results = rules.head_results_rating(org, rules.evaluation_setting(year.year))
        above = results == "above" and year.rng.random() < STORY["chances"]["head_behaviour_above"]
        behaviour = "above" if above else "meets"
    elif profile == "SB":
        results, behaviour = "above", "above"
    elif profile == "BP":
        results, behaviour = "below", "meets"
    else:
        results, behaviour = year.rng.choice(STORY["ratings"])
    predicate = rules.predicate_for(results, behaviour, year.year)
    services.evaluation_rate(
        skp=skp,
        by=year.user(skp.rater_id),
        period=year.period(),
        results_rating=results,
        behaviour_rating=behaviour,
        note=STORY["notes"].get(predicate, ""),
        now=year.rating_moment(),
    )
    year.counts["evaluations"] += 1


def development(year: Year) -> None:
    """The development plans the ratings opened; the story's one gets its actions and is
    agreed by the employee and the rater."""
    year.counts["development_plans"] = DevelopmentPlan.objects.filter(
        skp__in=list(year.plans.values())
    ).count()
    employee = year.by_name.get(DEVELOPMENT["person"])
    skp = year.plans.get(employee.pk) if employee else None
    plan = DevelopmentPlan.objects.filter(skp=skp).first() if skp else None
    if plan is None:
        return
    rater = year.user(skp.rater_id)
    rated = year.rating_moment().date()
    for action in DEVELOPMENT["actions"]:
        month = rated.month + action["months"] - 1
        services.development_action_add(
            plan=plan,
            by=rater,
            kind=action["kind"],
            description=action["description"],
            owner=action["owner"],
            due_on=month_end(rated.year + month // 12, month % 12 + 1),
        )
    moment = year.rating_moment()
    services.development_agree(
        plan=plan, by=year.user(employee.pk), now=min(moment + timedelta(days=2), year.now)
    )
    services.development_agree(plan=plan, by=rater, now=min(moment + timedelta(days=3), year.now))


def objection(year: Year) -> None:
    """The annual rating and the objection to it, pending with the rater's superior — once the
    year's annual rating is open (from 1 January of the next year); none while it runs."""
    employee = year.by_name.get(OBJECTION["person"])
    skp = year.plans.get(employee.pk) if employee else None
    if skp is None or skp.rater_superior_id is None:
        return
    skp.refresh_from_db()
    window = period_window(skp, Period.of_year(year.year), year.today)
    if window.upcoming:
        return  # the annual rating waits for its window (evaluations.lifecycle)
    # rated two days before the load (not before the window opens) and objected to the day
    # after (10:00 WIB), so that the objection lies well within its period on the day of loading
    today = year.today
    earliest = min(common.at(window.opens_on, hour=0), year.now)
    rated = max(year.rating_moment(), earliest, min(common.at(today - timedelta(days=2)), year.now))
    evaluation = services.evaluation_rate(
        skp=skp,
        by=year.user(skp.rater_id),
        period=str(year.year),
        results_rating=OBJECTION["results"],
        behaviour_rating=OBJECTION["behaviour"],
        note=OBJECTION["note"],
        now=rated,
    )
    year.counts["evaluations"] += 1
    services.objection_file(
        evaluation=evaluation,
        by=year.user(employee.pk),
        reason=OBJECTION["reason"],
        evidence=OBJECTION["evidence"],
        now=max(rated, min(common.at(today - timedelta(days=1)), year.now)),
    )
    year.counts["objections"] += 1
