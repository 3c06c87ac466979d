"""A development plan (``evaluations:development``), opened from a plan or by a weak
predicate: actions with owners and due dates, agreed by employee and rater, followed up by the
rater; readers see it and change nothing; outsiders get 404 (here and when opening one),
anonymous visitors sign in."""

import pytest
from django.urls import reverse

from kinerja.evaluations import services
from kinerja.evaluations.models import DevelopmentAction, DevelopmentPlan

from .support import (  # noqa: F401
    PLAN_READERS,
    development_open_url,
    development_url,
    english_pages,
    plan,
    text_of,
)

pytestmark = pytest.mark.django_db


ACTION = {
    "action": "add",
    "act-kind": "training",
    "act-description": "Pelatihan rekam medis",
    "act-owner": "Kepala Puskesmas",
    "act-due_on": "30/06/2026",
}


def development_opened(cast, skp=None) -> DevelopmentPlan:
    return services.development_open(
        skp=skp or plan(cast), by=cast.rater, goal="Ketelitian rekam medis"
    )


def test_actions_are_added_then_both_agree_and_the_rater_follows_up(cast, client_for):
    development = development_opened(cast)
    rater, employee = client_for(cast.rater), None
    response = rater.post(development_url(development), ACTION)
    assert response.status_code == 302
    action = DevelopmentAction.objects.get()
    assert (action.kind, action.owner, action.due_on.isoformat()) == (
        "training",
        "Kepala Puskesmas",
        "2026-06-30",
    )
    assert "30/06/2026" in text_of(rater.get(development_url(development)))
    rater.post(development_url(development), {"action": "agree"})
    employee = client_for(cast.employee)
    response = employee.post(development_url(development), {"action": "agree"}, follow=True)
    assert "The development plan is agreed by both." in text_of(response)
    development.refresh_from_db()
    assert development.state == "agreed"
    rater = client_for(cast.rater)
    assert 'id="follow-up-form"' in text_of(rater.get(development_url(development)))
    rater.post(
        development_url(development),
        {
            "action": "follow_up",
            "fu-text": "Pelatihan selesai",
            "fu-done": [str(action.pk)],
            "fu-close": "on",
        },
    )
    development.refresh_from_db()
    action.refresh_from_db()
    assert (development.state, development.follow_up) == ("closed", "Pelatihan selesai")
    assert action.done_on is not None


def test_agreeing_without_an_action_is_explained(cast, client_for):
    development = development_opened(cast)
    response = client_for(cast.employee).post(development_url(development), {"action": "agree"})
    assert response.status_code == 200
    assert "Add at least one action first." in text_of(response)
    development.refresh_from_db()
    assert development.employee_agreed_at is None


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"act-due_on": "31/02/2026"}, "due_on", "Write the date as dd/mm/yyyy, e.g. 30/06/2026."),
        (
            {"act-kind": "course"},
            "kind",
            "Select a valid choice. course is not one of the available choices.",
        ),
        ({"act-owner": ""}, "owner", "This field is required."),
    ],
)
def test_a_bad_action_is_named_on_its_field(cast, client_for, change, field, message):
    development = development_opened(cast)
    response = client_for(cast.rater).post(development_url(development), {**ACTION, **change})
    assert response.context["action_form"].errors[field] == [message]
    assert not DevelopmentAction.objects.exists()


@pytest.mark.parametrize("who", ["rater_superior", "head", "auditor"])
def test_readers_see_the_plan_but_change_nothing(cast, client_for, who):
    development = development_opened(cast)
    client = client_for(cast.users[who])
    page = client.get(development_url(development))
    assert page.status_code == 200 and 'id="action-form"' not in text_of(page)
    assert client.post(development_url(development), ACTION).status_code == 403
    assert client.post(development_url(development), {"action": "agree"}).status_code == 403
    assert not DevelopmentAction.objects.exists()


def test_the_employee_may_not_follow_up(cast, client_for):
    development = development_opened(cast)
    response = client_for(cast.employee).post(
        development_url(development), {"action": "follow_up", "fu-text": "Selesai"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_outsiders_get_404(cast, client_for, who):
    development = development_opened(cast)
    client = client_for(cast.users[who])
    assert client.get(development_url(development)).status_code == 404
    assert client.get(development_open_url(development.skp)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    assert client.get(development_url(development_opened(cast)))["Location"].startswith(
        reverse("accounts:login")
    )


def test_every_reader_of_the_plan_sees_it(cast, client_for):
    development = development_opened(cast)
    for who in [*PLAN_READERS, "employee"]:
        assert client_for(cast.users[who]).get(development_url(development)).status_code == 200
