"""``streams:dashboard`` (with its JSON endpoint where a rule holds for both): who sees the
dashboard of a stream, which officers and units they may filter by, a bad filter is a precise
400, and the page has no inline script or style."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .support import case, dashboard_stream, data_url, page_url, send


@pytest.fixture
def stream(cast):
    return dashboard_stream(cast.dinkes)


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


@pytest.mark.parametrize(
    ("persona", "linked"),
    [("pengelola", True), ("admin", True), ("head", False), ("employee", False)],
)
def test_the_alert_rules_are_linked_for_who_may_manage_them(
    cast, stream, client_for, persona, linked
):
    client = client_for(cast.users[persona])
    html = client.get(page_url(stream)).content.decode()
    alerts = reverse("streams:alerts", args=[stream.code])
    assert (f'href="{alerts}" id="alerts-link"' in html) is linked
    assert client.get(alerts).status_code == (200 if linked else 403)


def test_the_open_case_chart_says_when_no_case_is_open(cast, stream, client_for):
    client = client_for(cast.users["pengelola"])
    assert 'id="open-age-empty"' in client.get(page_url(stream)).content.decode()
    send(stream, case("open", timezone.now() - timedelta(minutes=1)))
    assert 'id="open-age-empty"' not in client.get(page_url(stream)).content.decode()


def test_the_sla_legend_names_both_colours_of_its_bars(cast, stream, client_for):
    """A day's bar is green when the share met the target, red when below (dashboard.js)."""
    html = client_for(cast.users["pengelola"]).get(page_url(stream)).content.decode()
    legend = re.search(r'<p class="legend" id="sla-legend">.*?</p>', html, re.S).group(0)
    assert 'class="key key-within"' in legend and 'class="key key-past"' in legend
