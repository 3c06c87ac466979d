"""Wrong API tokens are throttled per address (``kinerja.accounts.throttle``, issue 12): past
``KINERJA_TOKEN_FAILURES_PER_ADDRESS`` wrong tokens in 15 minutes the address gets 429 with
``Retry-After`` before any token is looked up — on the read API and on event ingestion — while
other addresses, and right tokens before the ceiling, are not affected."""

import pytest

from kinerja.accounts.tests.support import ME, bearer, new_token

WRONG = bearer("knj_not-a-real-token")
EVENTS = "/api/v1/streams/any-stream/events"


@pytest.fixture(autouse=True)
def _ceiling(settings):
    settings.KINERJA_TOKEN_FAILURES_PER_ADDRESS = 3


def from_address(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": address}


@pytest.mark.parametrize(
    ("wrong_before", "status"),
    [(0, 401), (1, 401), (2, 401), (3, 429), (5, 429)],
)
def test_an_address_is_refused_once_it_has_sent_the_ceiling_of_wrong_tokens(
    cast, client, wrong_before, status
):
    for _ in range(wrong_before):
        client.get(ME, **WRONG, **from_address("10.0.0.7"))
    response = client.get(ME, **WRONG, **from_address("10.0.0.7"))
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    if status == 429:
        assert response["Retry-After"] == "900"
        assert response.json()["error"].startswith("Too many wrong tokens from this address")


def test_a_throttled_address_is_refused_even_with_a_right_token_and_others_are_not(cast, client):
    _token, secret = new_token(cast.employee)
    for _ in range(3):
        client.get(ME, **WRONG, **from_address("10.0.0.7"))
    assert client.get(ME, **bearer(secret), **from_address("10.0.0.7")).status_code == 429
    assert client.get(ME, **bearer(secret), **from_address("10.0.0.8")).status_code == 200
    assert client.get(ME, **WRONG, **from_address("10.0.0.8")).status_code == 401


def test_right_tokens_do_not_count(cast, client):
    _token, secret = new_token(cast.employee)
    for _ in range(10):
        assert client.get(ME, **bearer(secret), **from_address("10.0.0.9")).status_code == 200
    assert client.get(ME, **WRONG, **from_address("10.0.0.9")).status_code == 401


def test_event_ingestion_counts_and_refuses_the_same_way(cast, client):
    for _ in range(3):
        refused = client.post(
            EVENTS, data="[]", content_type="application/json", **WRONG, **from_address("10.1.1.1")
        )
        assert refused.status_code == 401
    throttled = client.post(
        EVENTS, data="[]", content_type="application/json", **WRONG, **from_address("10.1.1.1")
    )
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "900"
