"""POST /api/v1/objections/{id}/explanation-request (``objection_explanation_request``): the
decider asks the rater for an explanation with a due date; nobody else (403); an outsider does
not see the objection (404); a second request, a past due date or a JPT's objection are
refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinerja.evaluations.models import Objection

from .api_support import object_to

pytestmark = pytest.mark.django_db


def ask(api, user, objection_id, **body):
    return api.post(user, f"/api/v1/objections/{objection_id}/explanation-request", body)


@pytest.fixture
def objection(api, cast, annual):
    return object_to(api, cast.employee, annual).json()


def test_the_decider_asks_with_the_default_due_date(api, cast, objection):
    response = ask(api, cast.rater_superior, objection["id"])
    assert response.status_code == 200, response.content
    row = response.json()
    due = timezone.localdate() + timedelta(days=5)
    assert (row["explanation_due"], row["explanation"], row["explained_at"]) == (
        due.isoformat(),
        "",
        None,
    )
    assert row["explanation_requested_at"] is not None and row["state"] == "pending"


def test_a_due_date_is_given_and_a_second_request_is_a_conflict(api, cast, objection):
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert ask(api, cast.rater_superior, objection["id"], due=due).json()["explanation_due"] == due
    response = ask(api, cast.rater_superior, objection["id"])
    assert response.status_code == 409
    assert response.json()["error"] == "An explanation has already been asked."


def test_a_due_date_in_the_past_names_the_field(api, cast, objection):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = ask(api, cast.rater_superior, objection["id"], due=past)
    assert response.status_code == 422
    assert "due" in str(response.json())


@pytest.mark.parametrize("who", ["rater", "employee", "head", "pengelola", "admin"])
def test_only_the_decider_asks(api, cast, objection, who):
    response = ask(api, cast.users[who], objection["id"])
    assert response.status_code == 403
    assert Objection.objects.get().explanation_requested_at is None


def test_an_outsider_does_not_see_the_objection(api, cast, objection):
    assert ask(api, cast.outsider, objection["id"]).status_code == 404
