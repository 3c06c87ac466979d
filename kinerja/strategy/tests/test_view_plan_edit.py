"""Changing the region's plan (``strategy:plan_edit``): by Admin BKPSDM only; a plan recorded
with one mission per line, changed with its missions keeping their numbers; bad input shown on
its field; a mission that goals serve cannot be dropped; an unknown plan is 404; CSRF
protected."""

import pytest
from django.urls import reverse

from kinerja.core.models import AuditRecord
from kinerja.strategy.models import Mission, Plan

from .support import build_sample

EDIT = reverse("strategy:plan_edit")


def plan_data(**changes) -> dict:
    return {
        "title": "RPJMD Kota Palembang 2030–2034",
        "start_year": "2030",
        "end_year": "2034",
        "vision": "Palembang Maju",
        "missions": "Meningkatkan pelayanan publik\n\n  Meningkatkan   kesehatan  \n",
        **changes,
    }


@pytest.mark.parametrize("persona", ["employee", "outsider", "head", "pengelola", "auditor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_admin_bkpsdm_may_change_the_plan(cast, client_for, persona, method):
    client = client_for(cast.users[persona])
    response = getattr(client, method)(EDIT, plan_data() if method == "post" else None)
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_the_admin_records_a_plan_with_one_mission_per_line(cast, client_for):
    response = client_for(cast.admin).post(EDIT, plan_data())
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.start_year, plan.end_year, plan.region) == (2030, 2034, cast.dinkes.region)
    assert list(plan.missions.values_list("number", "text")) == [
        (1, "Meningkatkan pelayanan publik"),
        (2, "Meningkatkan kesehatan"),
    ]
    assert AuditRecord.objects.filter(object_type="strategy.plan", action="create").exists()


def test_the_admin_changes_a_plan_and_its_missions_keep_their_numbers(cast, client_for):
    sample = build_sample(cast)
    url = f"{EDIT}?plan={sample.plan.pk}"
    client = client_for(cast.admin)
    form = client.get(url).context["form"]
    assert form.initial["missions"].splitlines() == [
        "Meningkatkan kualitas pelayanan publik",
        "Meningkatkan derajat kesehatan",
    ]
    data = plan_data(
        start_year=str(sample.plan.start_year),
        end_year=str(sample.plan.end_year),
        missions=form.initial["missions"] + "\nMeningkatkan tata kelola",
    )
    assert client.post(url, data).status_code == 302
    assert sample.plan.missions.count() == 3
    assert Mission.objects.get(plan=sample.plan, number=2) == sample.goal.mission


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_year": "2031"}, "end_year"),  # not five years
        ({"missions": "  \n "}, "missions"),
        ({"start_year": "199"}, "start_year"),
        ({"vision": ""}, "vision"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_stored(cast, client_for, changes, field):
    response = client_for(cast.admin).post(EDIT, plan_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Plan.objects.exists()


def test_a_mission_that_goals_serve_cannot_be_dropped(cast, client_for):
    sample = build_sample(cast)
    data = plan_data(
        start_year=str(sample.plan.start_year),
        end_year=str(sample.plan.end_year),
        missions="Meningkatkan kualitas pelayanan publik",
    )
    response = client_for(cast.admin).post(f"{EDIT}?plan={sample.plan.pk}", data)
    assert response.status_code == 200
    assert response.context["form"].errors["missions"]
    sample.plan.refresh_from_db()
    assert sample.plan.missions.count() == 2
    assert sample.plan.title != data["title"]


def test_an_unknown_plan_is_404(cast, client_for):
    assert client_for(cast.admin).get(f"{EDIT}?plan=999").status_code == 404
    assert client_for(cast.admin).get(f"{EDIT}?plan=x").status_code == 404


def test_the_form_is_csrf_protected(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    assert client.post(EDIT, plan_data()).status_code == 403
    assert not Plan.objects.exists()
