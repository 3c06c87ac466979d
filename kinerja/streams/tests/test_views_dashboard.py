"""The dashboard page and its JSON endpoint: who sees what, which filters, bounded cost."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.streams.ingest import catch_up

from .test_dashboard import case, make_stream, send


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def page_url(stream, **params):
    url = reverse("streams:dashboard", args=[stream.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def data_url(stream, **params):
    url = reverse("streams:dashboard_data", args=[stream.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def officer_options(response) -> list[str]:
    html = response.content.decode()
    select = re.search(r'<select id="filter-officer".*?</select>', html, re.S)
    return re.findall(r'<option value="(\d{18})"', select.group(0)) if select else []


@pytest.mark.parametrize("url", [page_url, data_url])
def test_an_anonymous_visitor_is_sent_to_sign_in(cast, stream, client, url):
    response = client.get(url(stream))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [page_url, data_url])
def test_an_outsider_of_the_agency_gets_404(cast, stream, client_for, url):
    response = client_for(cast.outsider).get(url(stream))
    assert response.status_code == 404


def test_an_unknown_stream_is_a_404_in_json(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("streams:dashboard_data", args=["no-such-stream"])
    )
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("persona", "officers"),
    [
        ("employee", ["employee"]),
        ("rater", ["rater", "employee", "colleague"]),
        ("head", ["head", "rater_superior", "rater", "pengelola"]),
        ("pengelola", ["pengelola"]),
        ("admin", []),
        ("auditor", []),
    ],
)
def test_everyone_who_sees_the_stream_gets_the_page_with_the_officers_they_may_see(
    cast, stream, client_for, persona, officers
):
    response = client_for(cast.users[persona]).get(page_url(stream))
    assert response.status_code == 200
    assert sorted(officer_options(response)) == sorted(cast.employees[k].nip for k in officers)
    html = response.content.decode()
    assert 'id="headline-cases-today"' in html
    assert 'id="filter-unit"' in html
    for unit in ("DINKES", "DINKES-YANKES", "DINKES-PKM-PLAJU"):
        assert f'<option value="{unit}"' in html
    assert '<option value="DUKCAPIL"' not in html


@pytest.mark.parametrize(
    ("persona", "officer", "status"),
    [
        ("employee", "employee", 200),
        ("employee", "colleague", 403),
        ("rater", "employee", 200),
        ("rater_superior", "colleague", 200),
        ("head", "employee", 403),
        ("admin", "employee", 403),
        ("auditor", "employee", 403),
    ],
)
def test_the_officer_filter_is_enforced_by_the_page_and_the_endpoint(
    cast, stream, client_for, persona, officer, status
):
    client = client_for(cast.users[persona])
    nip = cast.employees[officer].nip
    assert client.get(page_url(stream, officer=nip)).status_code == status
    response = client.get(data_url(stream, officer=nip))
    assert response.status_code == status
    if status == 200:
        assert response.json()["filters"] == {"unit": None, "officer": nip}
    else:
        assert "error" in response.json()


@pytest.mark.parametrize(
    ("params", "status"), [({"unit": "DUKCAPIL"}, 400), ({"officer": "x"}, 400)]
)
def test_a_bad_filter_gets_a_precise_400(cast, stream, client_for, params, status):
    client = client_for(cast.rater)
    response = client.get(data_url(stream, **params))
    assert response.status_code == status
    assert response.json()["error"]
    page = client.get(page_url(stream, **params))
    assert page.status_code == status
    assert 'id="filter-error"' in page.content.decode()


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


@pytest.mark.parametrize(("persona", "named"), [("rater", True), ("head", False)])
def test_breached_cases_name_the_officer_only_for_their_rater_chain(
    cast, stream, client_for, persona, named
):
    nip = cast.employees["employee"].nip
    start = timezone.now() - timedelta(hours=3)
    send(stream, case("late", start, start + timedelta(hours=1), officer=nip))
    client = client_for(cast.users[persona])
    row = client.get(data_url(stream)).json()["breached"]["cases"][0]
    assert row["case"] == "late"
    assert row["officer"] == (nip if named else None)
    html = client.get(page_url(stream)).content.decode()
    assert (cast.employees["employee"].name in html) is named


def test_the_page_has_no_inline_script_or_style_for_the_strict_csp(cast, stream, client_for):
    response = client_for(cast.employee).get(page_url(stream))
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<style\b|\sstyle=", html)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert 'id="dashboard-initial"' in html
    assert 'id="dashboard-labels"' in html


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
