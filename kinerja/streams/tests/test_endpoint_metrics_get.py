"""``GET /api/v1/streams/{code}/metrics``: who may read which figures (a token of the stream,
the people of its agency as aggregates, an officer's own figures only for the officer and
their rater chain) and the answers to bad requests (422, never 500)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.models import Stream

URL = "/api/v1/streams/gawat-darurat/metrics"
JANUARY = {"start": "2026-01-01", "end": "2026-01-31"}


@pytest.fixture
def stream(cast) -> Stream:
    stream = Stream.objects.create(
        code="gawat-darurat",
        name="Gawat darurat",
        agency=cast.dinkes,
        stages=["dilaporkan", "diberangkatkan", "tiba"],
        start_stage="dilaporkan",
        end_stage="tiba",
        sla_limit=Decimal(15),
        sla_unit="minutes",
    )
    nip = cast.employees["employee"].nip
    other = cast.employees["colleague"].nip
    events = [
        # The employee's case: 10 minutes, within the SLA.
        {"id": "1a", "case": "1", "stage": "dilaporkan", "at": "2026-01-05T08:00:00+07:00",
         "unit": "DINKES-PKM-PLAJU", "officer": nip},
        {"id": "1b", "case": "1", "stage": "tiba", "at": "2026-01-05T08:10:00+07:00"},
        # The colleague's case: 20 minutes, outside it.
        {"id": "2a", "case": "2", "stage": "dilaporkan", "at": "2026-01-06T08:00:00+07:00",
         "unit": "DINKES-YANKES", "officer": other},
        {"id": "2b", "case": "2", "stage": "tiba", "at": "2026-01-06T08:20:00+07:00"},
        # Another case of the employee, still open.
        {"id": "3a", "case": "3", "stage": "dilaporkan", "at": "2026-01-07T08:00:00+07:00",
         "officer": nip},
    ]  # fmt: skip
    store(stream, Validator(stream).clean_all(events))
    catch_up(stream)
    return stream


@pytest.fixture
def secret(stream) -> str:
    return token_create(name="dispatch", user=None, streams=[stream], by=SYSTEM)[1]


def get_with_token(client, secret, **params):
    return client.get(URL, {**JANUARY, **params}, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_of_the_stream_reads_every_figure(client, stream, secret):
    response = get_with_token(client, secret)
    assert response.status_code == 200
    body = response.json()
    assert (body["cases_started"], body["cases_completed"], body["open_cases_at_end"]) == (3, 2, 1)
    assert body["duration_seconds"] == {"median": 900.0, "p90": 1140.0, "mean": 900.0}
    assert body["within_sla_pct"] == 50.0


def test_a_token_of_the_stream_reads_an_officers_figures(client, cast, stream, secret):
    response = get_with_token(client, secret, officer=cast.employees["employee"].nip)
    assert response.status_code == 200
    body = response.json()
    assert (body["cases_started"], body["cases_completed"], body["open_cases_at_end"]) == (2, 1, 1)
    assert body["officer"] == cast.employees["employee"].nip


def test_a_token_of_another_stream_gets_403(client, cast, stream):
    other = Stream.objects.create(
        code="ktp-el", name="KTP-el", agency=cast.dukcapil, stages=["a", "b"],
        start_stage="a", end_stage="b", sla_limit=Decimal(8), sla_unit="working_hours",
    )  # fmt: skip
    _token, other_secret = token_create(name="ktp", user=None, streams=[other], by=SYSTEM)
    response = get_with_token(client, other_secret)
    assert response.status_code == 403
    assert set(response.json()) == {"error"}


def test_an_unknown_stream_answers_404_to_a_token(client, stream, secret):
    response = client.get(
        "/api/v1/streams/no-such/metrics", JANUARY, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 404


def test_without_a_token_or_session_the_answer_is_401(client, stream):
    assert client.get(URL, JANUARY).status_code == 401


@pytest.mark.parametrize("who", ["outsider", "other_head"])
def test_a_person_of_another_agency_gets_404(client_for, stream, cast, who):
    response = client_for(getattr(cast, who)).get(URL, JANUARY)
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize(
    "who", ["employee", "colleague", "rater", "rater_superior", "head", "pengelola", "admin"]
)
def test_people_of_the_agency_and_the_region_see_aggregates(client_for, stream, cast, who):
    client = client_for(getattr(cast, who))
    response = client.get(URL, JANUARY)
    assert response.status_code == 200
    assert response.json()["cases_started"] == 3
    response = client.get(URL, {**JANUARY, "unit": "DINKES-YANKES"})
    assert response.status_code == 200
    assert response.json()["cases_started"] == 1


@pytest.mark.parametrize("who", ["employee", "rater", "rater_superior"])
def test_the_officer_and_their_rater_chain_see_the_officers_figures(client_for, stream, cast, who):
    nip = cast.employees["employee"].nip
    response = client_for(getattr(cast, who)).get(URL, {**JANUARY, "officer": nip})
    assert response.status_code == 200
    assert response.json()["cases_started"] == 2


@pytest.mark.parametrize("who", ["colleague", "head", "pengelola", "admin", "auditor"])
def test_nobody_else_sees_an_officers_figures(client_for, stream, cast, who):
    nip = cast.employees["employee"].nip
    response = client_for(getattr(cast, who)).get(URL, {**JANUARY, "officer": nip})
    assert response.status_code == 403
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize(("who", "status"), [("rater", 200), ("colleague", 403)])
def test_a_personal_token_reads_with_its_users_rights(client, stream, cast, who, status):
    _token, personal = token_create(name=f"personal-{who}", user=getattr(cast, who), by=SYSTEM)
    response = get_with_token(client, personal, officer=cast.employees["employee"].nip)
    assert response.status_code == status


BAD_QUERIES = [
    ("a day that does not exist", {"start": "2026-02-30", "end": "2026-03-01"}),
    ("not a date", {"start": "January", "end": "2026-01-31"}),
    ("no start", {"end": "2026-01-31"}),
    ("no end", {"start": "2026-01-01"}),
    ("the end before the start", {"start": "2026-01-31", "end": "2026-01-01"}),
    ("an unknown unit", {**JANUARY, "unit": "NO-SUCH-UNIT"}),
    ("an unknown from stage", {**JANUARY, "from_stage": "dibatalkan", "to_stage": "tiba"}),
    ("an unknown to stage", {**JANUARY, "from_stage": "dilaporkan", "to_stage": "dibatalkan"}),
    ("only a from stage", {**JANUARY, "from_stage": "dilaporkan"}),
    ("only a to stage", {**JANUARY, "to_stage": "tiba"}),
    ("an unknown group", {**JANUARY, "group": "year"}),
    ("an officer that is not a NIP", {**JANUARY, "officer": "12345"}),
    ("more than ten years", {"start": "2010-01-01", "end": "2026-01-31"}),
]


@pytest.mark.parametrize("params", [q[1] for q in BAD_QUERIES], ids=[q[0] for q in BAD_QUERIES])
def test_a_bad_query_answers_422_naming_the_field(client, stream, secret, params):
    response = client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors and all(e.get("field") for e in errors)


LENIENT_DATES = [
    ("a date and time", {"start": "2026-01-01T00:00:00", "end": "2026-01-31"}),
    ("a Unix time", {"start": "1767225600", "end": "2026-01-31"}),
    ("zero", {"start": "0", "end": "1970-01-31"}),
]


@pytest.mark.parametrize("params", [q[1] for q in LENIENT_DATES], ids=[q[0] for q in LENIENT_DATES])
def test_a_date_not_written_yyyy_mm_dd_answers_422(client, stream, secret, params):
    response = client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422


EDGE_QUERIES = [
    ("the last day, by day", {"start": "9999-12-31", "end": "9999-12-31", "group": "day"}),
    ("the last month, by month", {"start": "9999-12-01", "end": "9999-12-31", "group": "month"}),
    ("the first days, by day", {"start": "0001-01-01", "end": "0001-01-05", "group": "day"}),
    ("stages up to the last day", {"start": "9999-12-30", "end": "9999-12-31",
                                   "from_stage": "dilaporkan", "to_stage": "tiba"}),
]  # fmt: skip


@pytest.mark.parametrize("params", [q[1] for q in EDGE_QUERIES], ids=[q[0] for q in EDGE_QUERIES])
def test_dates_at_the_ends_of_the_calendar_never_give_a_server_error(
    client, stream, secret, params
):
    client.raise_request_exception = False
    response = client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code in (200, 422)
