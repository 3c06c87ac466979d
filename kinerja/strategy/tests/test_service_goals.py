"""``goal_save`` and ``strategic_target_save``: each agency's goals and strategic targets —
upper-case codes unique in the agency, on record; a strategic target belongs to its goal's
agency and moves only within it."""

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Goal, StrategicTarget

from .support import audit_records

# --- Goals ----------------------------------------------------------------------------------


def test_a_goal_is_saved_with_an_upper_case_code_and_on_record(cast, plan):
    goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=plan.missions.get(number=2),
        code=" t1 ",
        text=" Sehat ",
    )

    assert (goal.agency, goal.code, goal.text) == (cast.dinkes, "T1", "Sehat")
    record = audit_records("strategy.goal").get()
    assert (record.action, record.object_id, record.agency_code) == (
        "create",
        "DINKES/T1",
        "DINKES",
    )


def test_goal_codes_are_unique_in_an_agency_but_not_across_agencies(cast, plan, goal):
    mission = plan.missions.get(number=1)

    with pytest.raises(ValidationError) as caught:
        services.goal_save(by=SYSTEM, agency=cast.dinkes, mission=mission, code="t1", text="Lain")
    other = services.goal_save(
        by=SYSTEM, agency=cast.dukcapil, mission=mission, code="T1", text="Lain"
    )

    assert set(caught.value.message_dict) & {"code", "__all__"}
    assert Goal.objects.filter(code="T1").count() == 2
    assert other.agency == cast.dukcapil


@pytest.mark.parametrize("code", ["", "T 1", "t/1", "-T1", "T" * 41])
def test_a_goal_code_must_be_a_code(cast, plan, code):
    with pytest.raises(ValidationError) as caught:
        services.goal_save(
            by=SYSTEM,
            agency=cast.dinkes,
            mission=plan.missions.get(number=1),
            code=code,
            text="Sehat",
        )

    assert "code" in caught.value.message_dict
    assert not Goal.objects.exists()


def test_changing_a_goal_keeps_its_agency_and_records_the_change(cast, plan, goal):
    first = plan.missions.get(number=1)

    changed = services.goal_save(
        by=SYSTEM, agency=cast.dukcapil, mission=first, code="T1", text="Sehat", goal=goal
    )

    assert changed.pk == goal.pk
    assert changed.agency == cast.dinkes
    assert changed.mission == first
    record = audit_records("strategy.goal").last()
    assert record.action == "update"
    assert record.before == {"mission": "2025/M2"} and record.after == {"mission": "2025/M1"}


# --- Strategic targets --------------------------------------------------------------------------


def test_a_strategic_target_belongs_to_its_goals_agency(cast, goal):
    target = services.strategic_target_save(
        by=SYSTEM, goal=goal, code="s1.1", text="Gawat darurat cepat"
    )

    assert (target.agency, target.goal, target.code) == (cast.dinkes, goal, "S1.1")
    record = audit_records("strategy.strategictarget").get()
    assert (record.action, record.object_id) == ("create", "DINKES/S1.1")


def test_strategic_target_codes_are_unique_in_an_agency(cast, plan, goal):
    services.strategic_target_save(by=SYSTEM, goal=goal, code="S1.1", text="A")
    other_goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=plan.missions.get(number=1),
        code="T2",
        text="Layanan",
    )

    with pytest.raises(ValidationError) as caught:
        services.strategic_target_save(by=SYSTEM, goal=other_goal, code="S1.1", text="B")

    assert set(caught.value.message_dict) & {"code", "__all__"}
    assert StrategicTarget.objects.count() == 1


def test_a_strategic_target_cannot_move_to_a_goal_of_another_agency(cast, plan, goal):
    target = services.strategic_target_save(by=SYSTEM, goal=goal, code="S1.1", text="A")
    foreign = services.goal_save(
        by=SYSTEM,
        agency=cast.dukcapil,
        mission=plan.missions.get(number=1),
        code="T1",
        text="Adminduk",
    )
    count = AuditRecord.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.strategic_target_save(
            by=SYSTEM, goal=foreign, code="S1.1", text="A", target=target
        )

    assert "goal" in caught.value.message_dict
    target.refresh_from_db()
    assert target.goal == goal
    assert AuditRecord.objects.count() == count


def test_moving_a_strategic_target_within_the_agency_is_on_record(cast, plan, goal):
    target = services.strategic_target_save(by=SYSTEM, goal=goal, code="S1.1", text="A")
    second = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=plan.missions.get(number=1),
        code="T2",
        text="Layanan",
    )

    services.strategic_target_save(by=SYSTEM, goal=second, code="S1.1", text="A", target=target)

    target.refresh_from_db()
    assert target.goal == second
    record = audit_records("strategy.strategictarget").last()
    assert (record.before, record.after) == ({"goal": "DINKES/T1"}, {"goal": "DINKES/T2"})
