"""GET /api/v1/me/tasks (``my_tasks``): the caller's worklist — the same tasks as the page, in
the documented shape, for a token or a signed-in session; nobody else's."""

import pytest
from django.utils import translation

from kinerja.accounts.tests.support import bearer, new_token
from kinerja.api import api
from kinerja.portal.tasks import KINDS
from kinerja.skp import services as skp_services
from kinerja.skp.rules import plan_deadline
from kinerja.skp.tests.support import submitted, this_year

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/tasks"


def test_the_rater_gets_the_plan_to_approve_in_the_documented_shape(cast, client):
    skp = submitted(cast)
    _, secret = new_token(cast.rater)
    with translation.override("en"):
        body = client.get(URL, **bearer(secret)).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert set(item) == {"kind", "title", "due", "url", "object_id"}
    assert item["kind"] == "plan_approve"
    assert item["due"] == plan_deadline(this_year()).isoformat()
    assert item["url"] == f"/skp/{skp.pk}/"
    assert item["object_id"] == str(skp.pk)
    assert skp.employee.name in item["title"]


@pytest.mark.parametrize("persona", ["employee", "rater_superior", "head", "outsider", "admin"])
def test_others_do_not_get_the_raters_task(cast, client, persona):
    submitted(cast)
    _, secret = new_token(cast.users[persona])
    body = client.get(URL, **bearer(secret)).json()
    assert [i for i in body["items"] if i["kind"] == "plan_approve"] == []


def test_the_employee_gets_her_returned_plan_through_a_session(cast, client_for):
    skp = submitted(cast)
    skp_services.skp_return(skp=skp, by=cast.rater, reason="Target belum sesuai")
    body = client_for(cast.employee).get(URL).json()
    assert [(i["kind"], i["url"]) for i in body["items"]] == [("plan_submit", f"/skp/{skp.pk}/")]


def test_nothing_to_do_is_an_empty_list(cast, client):
    _, secret = new_token(cast.outsider)
    assert client.get(URL, **bearer(secret)).json() == {"items": [], "count": 0}


def test_without_a_token_or_session_it_is_401(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert "error" in response.json()


def test_the_schema_documents_every_kind():
    schema = api.get_openapi_schema()
    operation = schema["paths"][URL]["get"]
    assert operation["summary"] == "My tasks (the worklist)"
    kind = schema["components"]["schemas"]["TaskOut"]["properties"]["kind"]
    assert set(kind["enum"]) == set(KINDS)
    for name in KINDS:
        assert f"`{name}`" in kind["description"]
