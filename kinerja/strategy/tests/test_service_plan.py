"""``plan_save``: the region's plan with its missions — numbered in the given order, five years,
at least one mission, a title and a vision; no second plan starting the same year; missions
renumbered, appended, reworded; a mission that goals serve cannot be dropped, nor its goals
moved; on record with only what changed."""

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Mission, Plan

from .support import MISSIONS, audit_records, save_plan


def missions_of(plan) -> list[tuple[int, str]]:
    return list(Mission.objects.filter(plan=plan).values_list("number", "text"))


# --- The plan ---------------------------------------------------------------------------------


def test_a_plan_is_saved_with_its_missions_numbered_in_the_given_order(cast):
    plan = save_plan(cast.dinkes.region, missions=["  Pelayanan   publik ", "", "SDM unggul"])

    assert (plan.start_year, plan.end_year) == (2025, 2029)
    assert missions_of(plan) == [(1, "Pelayanan publik"), (2, "SDM unggul")]


@pytest.mark.parametrize(
    ("start_year", "end_year", "accepted"),
    [
        (2025, 2029, True),
        (2024, 2028, True),
        (2024, 2029, False),  # six years
        (2025, 2028, False),
        (2025, 2025, False),
        (2029, 2025, False),
    ],
)
def test_a_plan_covers_exactly_five_years(cast, start_year, end_year, accepted):
    if accepted:
        plan = save_plan(cast.dinkes.region, start_year=start_year, end_year=end_year)
        assert plan.covers(start_year) and plan.covers(end_year)
        assert not plan.covers(end_year + 1)
        return
    with pytest.raises(ValidationError) as caught:
        save_plan(cast.dinkes.region, start_year=start_year, end_year=end_year)
    assert "end_year" in caught.value.message_dict
    assert not Plan.objects.exists()


@pytest.mark.parametrize("missions", [[], [""], ["   ", "\t"]])
def test_a_plan_needs_at_least_one_mission(cast, missions):
    with pytest.raises(ValidationError) as caught:
        save_plan(cast.dinkes.region, missions=missions)

    assert "missions" in caught.value.message_dict
    assert not Plan.objects.exists()


def test_a_plan_needs_a_title_and_a_vision(cast):
    with pytest.raises(ValidationError) as caught:
        save_plan(cast.dinkes.region, title="  ", vision="")

    assert {"title", "vision"} <= set(caught.value.message_dict)
    assert not Plan.objects.exists()


def test_a_second_plan_starting_the_same_year_is_refused(cast, plan):
    with pytest.raises(ValidationError):
        save_plan(cast.dinkes.region, title="Another")

    assert Plan.objects.get().pk == plan.pk


def test_the_clash_of_first_years_is_reported_on_the_first_year(cast, plan):
    # The form shows it under the field a person can change, not above the form.
    with pytest.raises(ValidationError) as caught:
        save_plan(cast.dinkes.region, title="Another")

    assert set(caught.value.message_dict) == {"start_year"}


def test_changing_the_missions_renumbers_them_in_the_new_order(cast, plan):
    mission_ids = dict(Mission.objects.filter(plan=plan).values_list("number", "pk"))

    save_plan(
        cast.dinkes.region,
        missions=["Ekonomi kerakyatan", "Pelayanan publik yang cepat"],
        plan=plan,
    )

    assert missions_of(plan) == [(1, "Ekonomi kerakyatan"), (2, "Pelayanan publik yang cepat")]
    # Each mission moves with its text (its goals with it); the second went, as no goal
    # served it.
    assert dict(Mission.objects.filter(plan=plan).values_list("number", "pk")) == {
        1: mission_ids[3],
        2: mission_ids[1],
    }


def test_adding_a_mission_appends_it(cast, plan):
    save_plan(cast.dinkes.region, missions=[*MISSIONS, "Lingkungan lestari"], plan=plan)

    assert missions_of(plan)[-1] == (4, "Lingkungan lestari")


def test_a_mission_that_goals_serve_cannot_be_dropped_and_nothing_changes(cast, plan):
    third = plan.missions.get(number=3)
    services.goal_save(by=SYSTEM, agency=cast.dinkes, mission=third, code="T9", text="Ekonomi")
    before = missions_of(plan)

    with pytest.raises(ValidationError) as caught:
        save_plan(
            cast.dinkes.region, missions=["Baru", "SDM yang unggul"], plan=plan, title="Changed"
        )

    assert "missions" in caught.value.message_dict
    assert missions_of(plan) == before
    assert Plan.objects.get().title == "RPJMD Kota Palembang 2025–2029"


def test_dropping_a_middle_mission_never_moves_its_goals_to_another_mission(cast, plan):
    second = plan.missions.get(number=2)
    goal = services.goal_save(
        by=SYSTEM, agency=cast.dinkes, mission=second, code="T1", text="Sehat"
    )

    try:
        save_plan(cast.dinkes.region, missions=[MISSIONS[0], MISSIONS[2]], plan=plan)
    except ValidationError:
        return  # refusing is a correct answer too
    goal.refresh_from_db()
    assert goal.mission.text == "SDM yang unggul"


def test_creating_and_changing_a_plan_is_on_record_with_only_what_changed(cast):
    plan = save_plan(cast.dinkes.region)
    created = audit_records("strategy.plan").get()
    assert created.action == "create"
    assert created.before is None
    assert created.after["missions"] == MISSIONS
    assert created.object_id == "2025-2029"

    save_plan(cast.dinkes.region, plan=plan, vision="Palembang Emas")

    updated = audit_records("strategy.plan").last()
    assert updated.action == "update"
    assert updated.before == {"vision": "Palembang maju dan sejahtera"}
    assert updated.after == {"vision": "Palembang Emas"}


def test_saving_a_plan_unchanged_writes_no_record(cast, plan):
    count = AuditRecord.objects.count()

    save_plan(cast.dinkes.region, plan=plan)

    assert AuditRecord.objects.count() == count


def test_rewording_a_mission_keeps_its_goals(cast, plan, goal):
    mission = goal.mission
    reworded = [
        "Pelayanan publik yang cepat dan ramah" if text == mission.text else text
        for text in MISSIONS
    ]

    save_plan(cast.dinkes.region, missions=reworded, plan=plan)

    goal.refresh_from_db()
    assert goal.mission_id == mission.pk
    assert goal.mission.text == "Pelayanan publik yang cepat dan ramah"
