"""``POST /api/v1/streams/{code}/events`` answers exactly as the contract's table says
(service-data-api.md, "Sending events" → "Answers"), and hostile bodies get 4xx, never 5xx."""

from __future__ import annotations

import json
from decimal import Decimal

import orjson
import pytest
from django.conf import settings
from django.core.cache import cache

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.core.actors import SYSTEM
from kinerja.streams.models import Event, Stream

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
MAX_BYTES = 5 * 1024 * 1024
NIP = "198503122010011002"


@pytest.fixture
def stream(cast) -> Stream:
    return Stream.objects.create(
        code="gawat-darurat",
        name="Gawat darurat",
        agency=cast.dinkes,
        stages=["dilaporkan", "diberangkatkan", "tiba"],
        start_stage="dilaporkan",
        end_stage="tiba",
        sla_limit=Decimal(15),
        sla_unit="minutes",
    )


@pytest.fixture
def secret(stream) -> str:
    return token_create(name="dispatch", user=None, streams=[stream], by=SYSTEM)[1]


@pytest.fixture
def api(client):
    """The test client answering 500s as responses (not raised), as a real server would."""
    client.raise_request_exception = False
    cache.clear()  # the rate limit's counters
    return client


def event(n: int = 1, **changes) -> dict:
    base = {
        "id": f"GD-{n}-dilaporkan",
        "case": f"GD-{n}",
        "stage": "dilaporkan",
        "at": "2026-01-05T08:15:00+07:00",
        "unit": "DINKES-PKM-PLAJU",
        "officer": NIP,
        "attributes": {"kecamatan": "Plaju"},
    }
    return {**base, **changes}


def post(client, body: bytes | dict, *, secret: str | None, code: str = "gawat-darurat"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret is not None else {}
    # The standard library's encoder: orjson refuses to write more than 254 levels, and some
    # tests send deeper bodies on purpose.
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        f"/api/v1/streams/{code}/events", data=data, content_type="application/json", **headers
    )


def stored(stream) -> int:
    return Event.objects.filter(stream=stream).count()


def test_a_valid_batch_answers_200_with_accepted_and_duplicates(api, stream, secret):
    response = post(api, {"events": [event(1), event(2)]}, secret=secret)
    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "duplicates": 0}
    response = post(api, {"events": [event(2), event(3)]}, secret=secret)
    assert response.json() == {"accepted": 2, "duplicates": 1}
    assert stored(stream) == 3


def _revoked(stream) -> str:
    token, secret = token_create(name="old", user=None, streams=[stream], by=SYSTEM)
    token_revoke(token=token, by=SYSTEM)
    return secret


@pytest.mark.parametrize(
    "which", ["none", "empty", "unknown", "revoked"], ids=lambda w: f"{w} token"
)
def test_a_missing_unknown_or_revoked_token_answers_401(api, stream, secret, which):
    token = {"none": None, "empty": "", "unknown": "knj_nope", "revoked": _revoked(stream)}[which]
    response = post(api, {"events": [event()]}, secret=token)
    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert stored(stream) == 0


def test_a_token_of_another_stream_answers_403(api, stream, cast):
    other = Stream.objects.create(
        code="ktp-el", name="KTP-el", agency=cast.dukcapil, stages=["a", "b"],
        start_stage="a", end_stage="b", sla_limit=Decimal(8), sla_unit="working_hours",
    )  # fmt: skip
    _token, other_secret = token_create(name="ktp", user=None, streams=[other], by=SYSTEM)
    response = post(api, {"events": [event()]}, secret=other_secret)
    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert stored(stream) == 0


@pytest.mark.parametrize("who", ["employee", "admin"])
def test_a_personal_token_may_not_send_events(api, stream, cast, who):
    _token, personal = token_create(name=f"personal-{who}", user=getattr(cast, who), by=SYSTEM)
    response = post(api, {"events": [event()]}, secret=personal)
    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert stored(stream) == 0


def test_an_unknown_stream_answers_404(api, stream, secret):
    response = post(api, {"events": [event()]}, secret=secret, code="no-such-stream")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_5000_events_are_accepted_and_5001_answer_413(api, stream, secret):
    response = post(api, {"events": [event(n) for n in range(5001)]}, secret=secret)
    assert response.status_code == 413
    assert set(response.json()) == {"error"}
    assert stored(stream) == 0
    response = post(api, {"events": [event(n) for n in range(5000)]}, secret=secret)
    assert response.json() == {"accepted": 5000, "duplicates": 0}


def _padded(size: int) -> bytes:
    """A valid body of exactly ``size`` bytes (JSON allows any amount of white space)."""
    body = orjson.dumps({"events": [event()]})
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_a_body_of_5_mib_is_accepted_and_one_byte_more_answers_413(api, stream, secret):
    response = post(api, _padded(MAX_BYTES + 1), secret=secret)
    assert response.status_code == 413
    assert set(response.json()) == {"error"}
    assert stored(stream) == 0
    response = post(api, _padded(MAX_BYTES), secret=secret)
    assert response.json() == {"accepted": 1, "duplicates": 0}


def test_a_much_larger_body_answers_413(api, stream, secret):
    response = post(api, _padded(12 * 1024 * 1024), secret=secret)
    assert response.status_code == 413


def test_an_invalid_event_answers_422_with_index_field_and_message_and_stores_nothing(
    api, stream, secret
):
    batch = [event(1), event(2, at="2026-01-05T08:15:00"), event(3), event(4, unit="NOPE")]
    response = post(api, {"events": batch}, secret=secret)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "at"), (3, "unit")]
    assert all(set(e) == {"index", "field", "message"} and e["message"] for e in errors)
    assert stored(stream) == 0


def test_a_conflicting_resend_answers_422_naming_the_event(api, stream, secret):
    post(api, {"events": [event(1)]}, secret=secret)
    response = post(api, {"events": [event(2), event(1, stage="tiba")]}, secret=secret)
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "id")]
    assert stored(stream) == 1


BAD_BODIES = [
    ("not JSON", b"events: 1"),
    ("empty", b""),
    ("truncated", b'{"events": [{"id": "x"'),
    ("invalid UTF-8", b'{"events": [{"id": "\xff\xfe"}]}'),
    ("a lone surrogate", b'{"events": [{"id": "\\ud800"}]}'),
    ("NaN", b'{"events": [{"id": NaN}]}'),
    ("a JSON array", orjson.dumps([event()])),
    ("a JSON string", b'"events"'),
    ("null", b"null"),
    ("an object without events", b'{"event": []}'),
    ("events not a list", b'{"events": {"0": {}}}'),
    ("events a string", b'{"events": "[]"}'),
    ("100,000 nested lists", b"[" * 100_000 + b"]" * 100_000),
    ("100,000 nested lists as events", b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("100,000 nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
]


@pytest.mark.parametrize("body", [b[1] for b in BAD_BODIES], ids=[b[0] for b in BAD_BODIES])
def test_a_body_that_is_not_an_object_with_a_list_of_events_answers_422(api, stream, secret, body):
    response = post(api, body, secret=secret)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"body", "events"}
    assert stored(stream) == 0


HUGE = 4 * 1024 * 1024
HUGE_STRINGS = [
    ("id", {"id": "x" * HUGE}),
    ("case", {"case": "x" * HUGE}),
    ("stage", {"stage": "x" * HUGE}),
    ("at", {"at": "2026-01-05T08:15:00+07:00" + "0" * HUGE}),
    ("unit", {"unit": "x" * HUGE}),
    ("officer", {"officer": "1" * HUGE}),
    ("attributes", {"attributes": {"x": "x" * HUGE}}),
]


@pytest.mark.parametrize(("field", "changes"), HUGE_STRINGS, ids=[h[0] for h in HUGE_STRINGS])
def test_a_huge_string_answers_422_with_a_short_answer(api, stream, secret, field, changes):
    response = post(api, {"events": [event(**changes)]}, secret=secret)
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(0, field)]
    assert len(response.content) < 2000  # the value is not echoed back
    assert stored(stream) == 0


def test_more_requests_per_second_than_allowed_answer_429_with_retry_after(
    api, stream, secret, settings
):
    settings.KINERJA_INGEST_REQUESTS_PER_SECOND = 1
    # Two requests in one second are over the limit; three always hold two in one second.
    responses = [post(api, {"events": [event(n)]}, secret=secret) for n in range(3)]
    slowed = [r for r in responses if r.status_code == 429]
    assert slowed
    assert all(r.status_code in (200, 429) for r in responses)
    assert set(slowed[0].json()) == {"error"}
    assert int(slowed[0]["Retry-After"]) >= 1
    assert stored(stream) == sum(1 for r in responses if r.status_code == 200)


def test_the_token_records_its_last_use(api, stream, secret):
    post(api, {"events": [event()]}, secret=secret)
    assert ApiToken.objects.get(name="dispatch").last_used_at is not None


# --- Hostile values the validator lets through ---------------------------------------------------


def _nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    "changes",
    [{"id": "GD-1\u0000"}, {"case": "GD\u00001"}, {"attributes": {"note": "a\u0000b"}}],
    ids=["id", "case", "attributes"],
)
def test_a_nul_character_never_gives_a_server_error(api, stream, secret, changes):
    response = post(api, {"events": [event(**changes)]}, secret=secret)
    assert response.status_code in (200, 422)


def test_deeply_nested_attributes_answer_422(api, stream, secret):
    response = post(api, {"events": [event(attributes=_nested(300))]}, secret=secret)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attributes"


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-01:00"])
def test_a_time_that_cannot_be_held_in_utc_answers_422(api, stream, secret, at):
    response = post(api, {"events": [event(at=at)]}, secret=secret)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "at"


def test_an_event_out_of_range_never_breaks_the_streams_metrics(api, stream, secret):
    post(api, {"events": [event(at="0001-01-01T00:00:00+07:00")]}, secret=secret)
    response = api.get(
        "/api/v1/streams/gawat-darurat/metrics?start=2026-01-01&end=2026-01-31",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200


def test_an_officer_followed_by_a_newline_answers_422(api, stream, secret):
    response = post(api, {"events": [event(officer=NIP + "\n")]}, secret=secret)
    assert response.status_code == 422
