"""GET /api/v1/streams (``streams_list``): the streams a caller may use — a service token its own,
a person (browser session or personal token) those of the agencies they see; without a token or
a session the list is refused."""

from __future__ import annotations

import pytest

from .service_data import STAGES, api_token, make_stream

URL = "/api/v1/streams"


@pytest.fixture
def streams(cast):
    """A stream of each agency: DINKES's emergency calls, DUKCAPIL's identity cards."""
    return make_stream(cast.dinkes), make_stream(cast.dukcapil, "ktp-el", sla_limit="8")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


def test_a_service_token_lists_only_its_own_streams(client, streams):
    _token, secret = api_token("layanan-ktp", streams=[streams[1]])
    assert codes(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}")) == ["ktp-el"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("employee", ["gawat-darurat"]),
        ("pengelola", ["gawat-darurat"]),
        ("outsider", ["ktp-el"]),
        ("admin", ["gawat-darurat", "ktp-el"]),
        ("auditor", ["gawat-darurat", "ktp-el"]),
    ],
)
def test_a_person_lists_the_streams_of_the_agencies_they_see(
    client_for, cast, streams, who, expected
):
    assert codes(client_for(cast.users[who]).get(URL)) == expected


def test_a_personal_token_lists_with_its_users_rights(client, cast, streams):
    _token, secret = api_token("pribadi", user=cast.outsider)
    assert codes(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}")) == ["ktp-el"]


def test_a_stream_row_has_its_agency_stages_and_service_level(client_for, cast, streams):
    assert client_for(cast.employee).get(URL).json() == [
        {
            "code": "gawat-darurat",
            "name": "Penanganan kegawatdaruratan",
            "agency": "DINKES",
            "stages": STAGES,
            "start": "diterima",
            "end": "tiba",
            "sla": {"limit": 15.0, "unit": "minutes"},
        }
    ]


def test_without_a_token_or_session_the_list_is_refused(client, streams):
    response = client.get(URL)
    assert response.status_code == 401
    assert set(response.json()) == {"error"}
