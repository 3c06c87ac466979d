"""Every operation of organisational performance decides the rights of ``by`` itself, so a
new door (page, API, command, import, demo) cannot skip them: whoever may not is refused with
``PermissionDenied`` and a reason, and nothing is stored or audited."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import PerformanceAgreement

pytestmark = pytest.mark.django_db

YEAR = 2025  # wholly in the past: every month may be reported


@pytest.fixture
def world(cast):
    """A plan, a DINKES goal and strategic target, an indicator owned by the nurse's position
    with a target, and a value its holder entered."""
    plan = services.plan_save(
        by=SYSTEM,
        region=cast.dinkes.region,
        title="RPJMD 2024–2028",
        start_year=2024,
        end_year=2028,
        vision="Kota sehat",
        missions=["Meningkatkan kualitas pelayanan publik"],
    )
    goal = services.goal_save(
        by=SYSTEM, agency=cast.dinkes, mission=plan.missions.get(), code="T1", text="Sehat"
    )
    target = services.strategic_target_save(by=SYSTEM, goal=goal, code="S1.1", text="Cepat")
    indicator = services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-01",
            "name": "Waktu respon",
            "unit_of_measure": "menit",
            "polarity": "lower_is_better",
            "aggregation": "average",
            "strategic_target": target,
            "owner_position": cast.positions["perawat"],
        },
    )
    services.target_set(by=SYSTEM, indicator=indicator, year=YEAR, value=D(15))
    value = services.realisation_record(
        by=cast.employee, indicator=indicator, year=YEAR, month=3, value=D(14)
    )
    return {"plan": plan, "goal": goal, "target": target, "indicator": indicator, "value": value}


def plan_save(w, by):
    plan = w["plan"]
    return services.plan_save(
        by=by, region=plan.region, title="Baru", start_year=2024, end_year=2028,
        vision="Kota sehat", missions=["Misi"], plan=plan,
    )  # fmt: skip


def goal_save(w, by):
    goal = w["goal"]
    return services.goal_save(
        by=by, agency=goal.agency, mission=goal.mission, code="T2", text="Baru", goal=goal
    )


def strategic_target_save(w, by):
    return services.strategic_target_save(
        by=by, goal=w["goal"], code="S1.2", text="Baru", target=w["target"]
    )


def indicator_save(w, by):
    ind = w["indicator"]
    return services.indicator_save(by=by, agency=ind.agency, values={"name": "Baru"}, indicator=ind)


def target_set(w, by):
    return services.target_set(by=by, indicator=w["indicator"], year=YEAR, value=D(14))


def submit(w, by):
    agreement = PerformanceAgreement.objects.get()
    return services.agreement_transition(agreement=agreement, action="submit", by=by)


def agree(w, by):
    agreement = PerformanceAgreement.objects.get()
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(state="submitted")
    agreement.refresh_from_db()
    return services.agreement_transition(agreement=agreement, action="agree", by=by)


def realisation_record(w, by):
    return services.realisation_record(
        by=by, indicator=w["indicator"], year=YEAR, month=4, value=D(13)
    )


def realisation_verify(w, by):
    return services.realisation_verify(realisation=w["value"], by=by, accept=True)


def evidence_add(w, by):
    upload = SimpleUploadedFile("rekap.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    return services.evidence_add(by=by, indicator=w["indicator"], year=YEAR, month=3, upload=upload)


MANAGERS = {"pengelola", "admin", "system"}
CASES = {
    plan_save: {"admin", "system"},
    goal_save: MANAGERS,
    strategic_target_save: MANAGERS,
    indicator_save: MANAGERS,
    target_set: MANAGERS,
    submit: MANAGERS,
    agree: {"head"},
    realisation_record: MANAGERS | {"employee", "colleague"},  # the owning position's holders
    realisation_verify: {"rater"},  # the owner's rater; never the system
    evidence_add: MANAGERS | {"employee", "colleague"},
}
PEOPLE = ["employee", "colleague", "rater", "head", "pengelola", "admin", "auditor", "system"]


def person(cast, who):
    return SYSTEM if who == "system" else cast.users[who]


@pytest.mark.parametrize(
    ("operation", "who"),
    [(op, who) for op, allowed in CASES.items() for who in PEOPLE if who not in allowed],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_those_without_the_right_are_refused_with_a_reason_and_nothing_changes(
    cast, world, operation, who
):
    records = AuditRecord.objects.count()

    with pytest.raises(PermissionDenied) as caught:
        operation(world, person(cast, who))

    assert str(caught.value)
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize(
    ("operation", "who"),
    [(op, who) for op, allowed in CASES.items() for who in PEOPLE if who in allowed],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_those_with_the_right_may(cast, world, operation, who):
    records = AuditRecord.objects.count()

    operation(world, person(cast, who))

    assert AuditRecord.objects.count() > records


def test_another_agencys_manager_may_not_change_dinkes(cast, world):
    # DUKCAPIL's head is no manager of DINKES's data (nor of their own, without the role).
    with pytest.raises(PermissionDenied):
        indicator_save(world, cast.other_head)


def test_the_system_enters_a_value_without_an_author(cast, world):
    value = realisation_record(world, SYSTEM)

    assert value.entered_by is None
