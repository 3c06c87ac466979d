"""``portal:home`` as each role starts the day: the cockpit (with its charts' data) for the
agency's head, its performance administrator and the region's readers only; the employee's
plan with its next step, numbers and trend; the rater's team on track or slipping with what
waits for the rater."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.portal.cockpit.common import rating_period
from kinerja.skp import services as skp_services
from kinerja.skp.tests.support import approved, first_iki, submitted

from .support import approved_plan, slipping_indicator

pytestmark = pytest.mark.django_db


def _page(client_for, user) -> str:
    response = client_for(user).get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def _json(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, element_id
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("persona", "has_cockpit"),
    [
        ("employee", False),
        ("rater", False),
        ("rater_superior", False),
        ("head", True),
        ("pengelola", True),
        ("admin", True),
        ("auditor", True),
    ],
)
def test_the_cockpit_is_shown_to_the_agency_head_and_the_region_only(
    cast, client_for, persona, has_cockpit
):
    html = _page(client_for, cast.users[persona])
    assert ('id="cockpit"' in html) is has_cockpit
    assert ('id="cockpit-data"' in html) is has_cockpit
    assert ("vendor/chart.js/chart.umd.min.js" in html) is has_cockpit


def test_the_cockpit_shows_a_slipping_indicator_first_with_its_link_and_chart_data(
    cast, client_for
):
    indicator = slipping_indicator(cast)

    html = _page(client_for, cast.head)

    row = re.search(rf'<tr id="iku-{indicator.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert row and 'data-slipping="1"' in row.group(0)
    assert reverse("strategy:indicator", args=[indicator.pk]) in row.group(1)
    assert "band-sangat-kurang" in row.group(1)  # 12 or 4 of 30
    data = _json(html, "cockpit-data")
    assert data["sparklines"]["series"][str(indicator.pk)][-2] == 4.0  # last month
    assert sum(data["bands"]["counts"]) == 1
    assert data["completion"]["agencies"] == ["DINKES"]
    assert [s["key"] for s in data["completion"]["statuses"]][-1] == "rated"
    assert 'id="tile-indicators"' in html and "tile-bad" in html


def test_the_region_cockpit_covers_every_agency(cast, client_for):
    data = _json(_page(client_for, cast.admin), "cockpit-data")
    assert data["completion"]["agencies"] == ["DINKES", "DUKCAPIL"]


def test_an_employee_without_a_plan_is_asked_to_start_one_and_no_fixed_promise_remains(
    cast, client_for
):
    with translation.override("en"):
        html = _page(client_for, cast.employee)
    assert f'id="mine-next" href="{reverse("skp:start")}"' in html
    assert "Your plan (SKP), feedback and evaluations will appear here" not in html


def test_an_employee_with_an_approved_plan_sees_their_indicators_and_the_next_step(
    cast, client_for
):
    skp = approved(cast)

    html = _page(client_for, cast.employee)

    assert f'id="mine-next" href="{reverse("skp:realisation", args=[skp.pk])}"' in html
    iki = first_iki(skp)
    assert f'id="mine-iki-{iki.pk}"' in html
    data = _json(html, "mine-data")
    assert str(iki.pk) in data["series"] and data["periods"][0].startswith("TW I")


def test_an_employee_with_a_returned_plan_is_sent_to_revise_it_with_the_reason(cast, client_for):
    skp = submitted(cast)
    skp_services.skp_return(skp=skp, by=cast.rater, reason="Target IKI 2 terlalu rendah")

    html = _page(client_for, cast.employee)

    assert f'id="mine-next" href="{reverse("skp:detail", args=[skp.pk])}"' in html
    assert 'data-state="returned"' in html
    assert "Target IKI 2 terlalu rendah" in html


def test_a_rater_sees_who_is_slipping_and_what_waits_for_them(cast, client_for):
    period = rating_period(cast.dinkes, timezone.localdate())  # the one open for rating
    skp = approved_plan(cast, period.year)
    iki, other = skp.results.get().indicators.order_by("number")
    # Verified, 30 of a target of 300 is below expectation.
    entered = skp_services.realisation_record(
        iki=iki, period=str(period), value="30", by=cast.employee
    )
    skp_services.realisation_verify(realisation=entered, by=cast.rater, accept=True)
    # The employee's entry of the other indicator waits for the rater's verification.
    skp_services.realisation_record(iki=other, period=str(period), value="85", by=cast.employee)

    html = _page(client_for, cast.rater)

    employee = cast.employees["employee"]
    row = re.search(
        rf'<tr id="team-{employee.nip}" data-status="(\w+)"[^>]*>(.*?)</tr>', html, re.S
    )
    assert row and row.group(1) == "slipping"
    assert reverse("skp:realisation", args=[skp.pk]) in row.group(2)  # a value to verify
    colleague = cast.employees["colleague"]
    assert f'id="team-{colleague.nip}" data-status="no_plan"' in html


def test_a_rater_sees_a_plan_waiting_for_approval_by_its_state_with_its_link(cast, client_for):
    skp = submitted(cast)
    html = _page(client_for, cast.rater)
    employee = cast.employees["employee"]
    row = re.search(
        rf'<tr id="team-{employee.nip}" data-status="(\w+)"[^>]*>(.*?)</tr>', html, re.S
    )
    assert row and row.group(1) == "not_approved"
    assert 'data-state="submitted"' in row.group(2)
    assert reverse("skp:detail", args=[skp.pk]) in row.group(2)
