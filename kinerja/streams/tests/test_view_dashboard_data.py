"""``streams:dashboard_data``: the dashboard's JSON endpoint answers the documented shape
without caching, narrows by unit, refuses other methods, and a refresh costs the same few
queries however many cases there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.streams.ingest import catch_up

from .support import case, dashboard_stream, data_url, page_url, send


@pytest.fixture
def stream(cast):
    return dashboard_stream(cast.dinkes)


def test_an_unknown_stream_is_a_404_in_json(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("streams:dashboard_data", args=["no-such-stream"])
    )
    assert response.status_code == 404
    assert "error" in response.json()


def test_the_endpoint_answers_the_documented_shape_without_caching(cast, stream, client_for):
    start = timezone.now() - timedelta(hours=3)
    send(stream, case("A", start, start + timedelta(hours=1)), case("B", start))
    response = client_for(cast.employee).get(data_url(stream))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {
        "stream", "computed_at", "updated_label", "today", "period", "filters", "sla",
        "headline", "per_day", "durations", "open_by_age", "breached",
    }  # fmt: skip
    assert set(data["headline"]) == {
        "cases_today", "completed_today", "open_now", "cases_started", "cases_completed",
        "median_seconds", "median_label", "p90_seconds", "p90_label", "within_sla_pct",
        "excluded_cases", "inconsistent_cases",
    }  # fmt: skip
    assert data["headline"]["cases_started"] == 2
    assert data["breached"]["total"] == 1
    assert data["updated_label"].endswith(" WIB")


def test_the_unit_filter_narrows_the_answer(cast, stream, client_for):
    start = timezone.now() - timedelta(hours=3)
    send(
        stream,
        case("A", start, unit="DINKES-PKM-PLAJU"),
        case("B", start, unit="DINKES-YANKES"),
    )
    data = client_for(cast.employee).get(data_url(stream, unit="dinkes-pkm-plaju")).json()
    assert data["filters"]["unit"] == "DINKES-PKM-PLAJU"
    assert data["headline"]["cases_started"] == 1


def test_the_endpoint_refuses_other_methods(cast, stream, client_for):
    assert client_for(cast.employee).post(data_url(stream)).status_code == 405


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("filters", [{}, {"unit": "DINKES-PKM-PLAJU"}, {"officer": "rater"}])
def test_a_refresh_costs_the_same_few_queries_however_many_cases_there_are(
    cast, stream, client_for, django_assert_max_num_queries, filters
):
    if "officer" in filters:
        filters = {"officer": cast.employees["employee"].nip}
    client = client_for(cast.rater)
    now = timezone.now()

    def add(prefix, count):
        cases = []
        for i in range(count):
            start = now - timedelta(days=i % 40, minutes=7 * i)
            end = start + timedelta(minutes=3 * (i % 11)) if i % 4 else None
            officer = cast.employees["employee"].nip if i % 2 else None
            cases.append(case(f"{prefix}{i}", start, end, unit="DINKES-PKM-PLAJU", officer=officer))
        send(stream, *cases)
        catch_up(stream)

    add("a", 10)
    small = _queries(client, data_url(stream, **filters))
    add("b", 600)
    with django_assert_max_num_queries(30):
        large = _queries(client, data_url(stream, **filters))
    assert large == small
    with django_assert_max_num_queries(40):
        client.get(page_url(stream, **filters))
