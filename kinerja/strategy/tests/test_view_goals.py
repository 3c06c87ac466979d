"""An agency's goals (each serving a mission) and strategic targets: read by the agency's
people, changed by those who manage the agency."""

import pytest
from django.urls import reverse

from kinerja.strategy.models import Goal, StrategicTarget

from .support import build_sample


def goals_url(agency: str = "DINKES") -> str:
    return reverse("strategy:goals", args=[agency])


def test_the_page_lists_goals_with_their_mission_and_targets(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.employee).get(goals_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="goal-{sample.goal.pk}"' in html
    assert f'id="target-{sample.target.pk}"' in html
    assert 'id="goal-form"' not in html  # a reader gets no forms
    assert f'id="goal-{sample.other_goal.pk}"' not in html


def test_a_manager_adds_a_goal_and_a_strategic_target(cast, client_for):
    sample = build_sample(cast)
    client = client_for(cast.pengelola)
    mission = sample.plan.missions.get(number=1)
    response = client.post(
        goals_url(),
        {"form": "goal", "goal-mission": mission.pk, "goal-code": "t2", "goal-text": "Tujuan"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(agency=cast.dinkes, code="T2")
    assert goal.mission == mission
    response = client.post(
        goals_url(),
        {"form": "target", "target-goal": goal.pk, "target-code": "S2.1", "target-text": "Sas"},
    )
    assert response.status_code == 302
    assert StrategicTarget.objects.get(code="S2.1").goal == goal


def test_a_manager_changes_a_goal_through_its_edit_link(cast, client_for):
    sample = build_sample(cast)
    client = client_for(cast.admin)
    url = f"{goals_url()}?goal={sample.goal.pk}"
    assert client.get(url).context["goal_form"].initial["code"] == "T1"
    data = {
        "form": "goal",
        "goal-mission": sample.goal.mission_id,
        "goal-code": "T1",
        "goal-text": "Teks baru",
    }
    assert client.post(url, data).status_code == 302
    sample.goal.refresh_from_db()
    assert sample.goal.text == "Teks baru"
    assert Goal.objects.filter(agency=cast.dinkes).count() == 1


def test_a_duplicate_code_is_shown_on_the_code_field_and_nothing_changes(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        goals_url(),
        {
            "form": "target",
            "target-goal": sample.goal.pk,
            "target-code": "S1.1",
            "target-text": "Lagi",
        },
    )
    assert response.status_code == 200
    assert response.context["target_form"].errors["code"]
    assert StrategicTarget.objects.filter(agency=cast.dinkes).count() == 1


def test_another_agencys_goal_cannot_be_chosen_for_a_target(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        goals_url(),
        {
            "form": "target",
            "target-goal": sample.other_goal.pk,
            "target-code": "S9",
            "target-text": "x",
        },
    )
    assert response.status_code == 200
    assert response.context["target_form"].errors["goal"]
    assert not StrategicTarget.objects.filter(code="S9").exists()


@pytest.mark.parametrize("persona", ["outsider", "employee", "head", "pengelola"])
def test_another_agencys_goals_are_404(cast, client_for, persona):
    build_sample(cast)
    other = "DINKES" if persona == "outsider" else "DUKCAPIL"
    client = client_for(cast.users[persona])
    assert client.get(goals_url(other)).status_code == 404
    assert client.post(goals_url(other), {"form": "goal"}).status_code == 404


@pytest.mark.parametrize("persona", ["employee", "head", "rater", "auditor"])
def test_those_who_do_not_manage_the_agency_may_not_change_it(cast, client_for, persona):
    sample = build_sample(cast)
    client = client_for(cast.users[persona])
    data = {
        "form": "goal",
        "goal-mission": sample.goal.mission_id,
        "goal-code": "T7",
        "goal-text": "x",
    }
    assert client.post(goals_url(), data).status_code == 403
    assert client.get(f"{goals_url()}?goal={sample.goal.pk}").status_code == 403
    assert not Goal.objects.filter(code="T7").exists()


def test_editing_another_agencys_goal_through_the_query_is_404(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.admin).get(f"{goals_url()}?goal={sample.other_goal.pk}")
    assert response.status_code == 404
