"""``GET /api/v1/streams/{code}/metrics``: the unit filter names only units the caller may
name — for a service token, the units of its streams' agencies; for a person (or a personal
token), the units they see. Any other code is as unknown as one that does not exist."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.streams import services
from kinerja.streams.ingest import Validator

from .service_data import api_token, case_events, local, make_stream

pytestmark = pytest.mark.django_db

JANUARY = {"start": "2026-01-01", "end": "2026-01-31"}


@pytest.fixture
def stream(cast):
    stream = make_stream(cast.dinkes)
    day = local(date(2026, 1, 5))
    raws = case_events("A", day, 10, unit="DINKES-YANKES") + case_events("B", day, 10)
    services.events_ingest(stream=stream, events=Validator(stream).clean_all(raws), by=SYSTEM)
    return stream


def url(stream) -> str:
    return f"/api/v1/streams/{stream.code}/metrics"


def read(client, stream, unit: str, secret: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.get(url(stream), {**JANUARY, "unit": unit}, **headers)


def assert_unknown_unit(response, code: str) -> None:
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "unit", "message": f"Unknown unit code '{code}'."}]
    }


def test_a_service_token_names_the_units_of_its_streams_agencies(client, cast, stream):
    _token, secret = api_token("psc", streams=[stream])
    response = read(client, stream, "dinkes-yankes", secret)
    assert response.status_code == 200
    assert (response.json()["unit"], response.json()["cases_started"]) == ("DINKES-YANKES", 1)
    assert_unknown_unit(read(client, stream, "DUKCAPIL", secret), "DUKCAPIL")


def test_a_token_of_streams_of_two_agencies_names_the_units_of_both(client, cast, stream):
    other = make_stream(cast.dukcapil, "ktp-el")
    _token, secret = api_token("both", streams=[stream, other])
    response = read(client, stream, "DUKCAPIL", secret)
    assert response.status_code == 200
    assert response.json()["cases_started"] == 0


@pytest.mark.parametrize("who", ["employee", "pengelola", "head"])
def test_a_person_names_only_the_units_they_see(client_for, cast, stream, who):
    client = client_for(getattr(cast, who))
    assert read(client, stream, "DINKES-YANKES").json()["cases_started"] == 1
    assert_unknown_unit(read(client, stream, "DUKCAPIL"), "DUKCAPIL")


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_the_regions_readers_name_any_unit(client_for, cast, stream, who):
    response = read(client_for(getattr(cast, who)), stream, "DUKCAPIL")
    assert response.status_code == 200
    assert response.json()["cases_started"] == 0


def test_a_personal_token_names_the_units_its_user_sees(client, cast, stream):
    _token, secret = api_token("personal", user=cast.employee)
    assert read(client, stream, "DINKES-YANKES", secret).status_code == 200
    assert_unknown_unit(read(client, stream, "DUKCAPIL", secret), "DUKCAPIL")
