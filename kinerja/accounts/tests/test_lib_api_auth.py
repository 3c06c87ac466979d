"""``kinerja.accounts.api_auth``: who may call the API — personal tokens, browser sessions, and
what a refusal looks like."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.accounts.api_auth import LAST_USED_RESOLUTION, TokenAuth, token_touch
from kinerja.accounts.models import ApiToken, Role
from kinerja.accounts.services import token_create, token_revoke
from kinerja.accounts.tests.support import ME, bearer, new_token
from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel


def test_a_request_without_a_token_or_session_gets_401_with_a_bearer_challenge(cast, client):
    response = client.get(ME)

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer knj_not-a-real-token",
        "Bearer ",
        "bearer knj_not-a-real-token",
    ],
)
def test_an_unknown_token_gets_401_invalid_token(cast, client, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_another_authorization_scheme_is_not_a_token_and_gets_401(cast, client):
    response = client.get(ME, HTTP_AUTHORIZATION="Basic YWRtaW46a2luZXJqYQ==")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_401(cast, client):
    token, secret = new_token(cast.employee)
    assert client.get(ME, **bearer(secret)).status_code == 200

    token_revoke(token=token, by=SYSTEM)

    response = client.get(ME, **bearer(secret))
    assert response.status_code == 401
    assert "error" in response.json()


def test_a_token_of_a_disabled_account_gets_401(cast, client):
    _, secret = new_token(cast.employee)
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])

    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_token_of_a_former_employee_gets_401(cast, client):
    _, secret = new_token(cast.employee)
    former = cast.employees["employee"]
    former.active = False
    former.save(update_fields=["active"])

    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_service_token_without_a_user_cannot_read_the_api(cast, client):
    from kinerja.streams.models import Stream

    stream = Stream.objects.create(
        code="ktp-el", name="KTP-el", agency=cast.dukcapil, stages=["diajukan", "diserahkan"],
        start_stage="diajukan", end_stage="diserahkan", sla_limit=8, sla_unit="working_hours",
    )  # fmt: skip
    _, secret = token_create(name="ingest-ktp", user=None, streams=[stream], by=SYSTEM)

    response = client.get(ME, **bearer(secret))

    assert response.status_code == 403
    assert "error" in response.json()


def test_a_wrong_token_is_refused_even_with_a_signed_in_session(cast, client_for):
    client = client_for(cast.admin)

    response = client.get(ME, HTTP_AUTHORIZATION="Bearer knj_wrong")

    assert response.status_code == 401


def test_a_token_answers_with_the_rights_of_its_user(cast, client):
    _, secret = new_token(cast.employee)

    response = client.get(ME, **bearer(secret))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == cast.employee.username
    assert body["employee"] == cast.employees["employee"].nip
    assert body["name"] == cast.employees["employee"].name
    assert body["roles"] == [Role.PEGAWAI]


def test_a_signed_in_browser_session_may_call_the_api(cast, client_for):
    client = client_for(cast.rater)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["employee"] == cast.employees["rater"].nip


def test_a_session_of_a_former_employee_is_refused(cast, client_for):
    client = client_for(cast.employee)
    former = cast.employees["employee"]
    former.active = False
    former.save(update_fields=["active"])

    assert client.get(ME).status_code == 401


def test_using_a_token_notes_when_it_was_last_used(cast, client):
    token, secret = new_token(cast.employee)
    assert token.last_used_at is None

    client.get(ME, **bearer(secret))

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_using_a_token_again_within_a_minute_writes_nothing(cast, client):
    token, secret = new_token(cast.employee)
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    first_use = token.last_used_at

    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME, **bearer(secret)).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at == first_use
    assert not [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")
    ]


def test_token_touch_writes_only_after_the_resolution_has_passed(cast):
    token, _ = new_token(cast.employee)
    start = timezone.now()
    token_touch(token, now=start)

    token_touch(token, now=start + LAST_USED_RESOLUTION - timedelta(seconds=1))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start

    later = start + LAST_USED_RESOLUTION
    token_touch(token, now=later)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_using_a_token_records_nothing_in_the_audit_trail(cast, client):
    _, secret = new_token(cast.admin)
    before = AuditRecord.objects.count()

    for path in [ME, "/api/v1/employees", "/api/v1/audit"]:
        assert client.get(path, **bearer(secret)).status_code == 200

    assert AuditRecord.objects.count() == before


def test_token_authentication_opens_the_api_door_for_its_user(cast):
    _, secret = new_token(cast.employee)
    request = RequestFactory().get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}")

    with audit.door(Channel.WEB):
        user = TokenAuth()(request)
        door = audit.current_door()

    assert user == cast.employee
    assert door.channel == Channel.API
    assert door.actor() == cast.employee


def test_a_request_does_not_leave_its_door_open_afterwards(cast, client):
    _, secret = new_token(cast.employee)

    assert client.get(ME, **bearer(secret)).status_code == 200

    assert audit.current_door().channel == Channel.SYSTEM
    assert audit.current_door().actor() is None


def test_a_change_made_under_the_api_door_is_attributed_to_channel_api(cast):
    """What an endpoint that changes data would record: the door set by authentication."""
    _, secret = new_token(cast.admin)
    request = RequestFactory().get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}")

    with audit.door(Channel.WEB):
        TokenAuth()(request)
        rec = audit.record("test", cast.employees["employee"], note="made through the API")

    assert rec.channel == Channel.API
    assert rec.actor == cast.admin
    assert rec.actor_label == "admin"
