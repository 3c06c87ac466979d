"""The completion monitor: who has not planned, submitted, been approved or been rated."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import approved_plan

from .support import Q1, YEAR, english_pages, plan, rated  # noqa: F401

pytestmark = pytest.mark.django_db


def url(**query) -> str:
    query.setdefault("year", YEAR)
    query.setdefault("period", Q1)
    return reverse("evaluations:completion") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def statuses(response) -> dict[str, str]:
    return {row.employee.nip: row.status for row in response.context["page"]}


def test_the_head_sees_every_employee_of_the_agency_by_state(cast, client_for):
    rated(cast, plan(cast))
    plan(cast, "rater")
    skp_services.skp_create(
        employee=cast.employees["pengelola"], year=YEAR, approach="kuantitatif", by=cast.pengelola
    )
    response = client_for(cast.head).get(url())
    found = statuses(response)
    e = cast.employees
    assert found[e["employee"].nip] == "rated"
    assert found[e["rater"].nip] == "unrated"
    assert found[e["pengelola"].nip] == "draft"
    assert found[e["colleague"].nip] == "unplanned"
    assert e["outsider"].nip not in found
    summary = {s.key: s.count for s in response.context["summary"]}
    assert summary["unplanned"] == 3 and summary["rated"] == 1


def test_a_rater_follows_the_people_they_rate(cast, client_for):
    plan(cast)
    found = statuses(client_for(cast.rater).get(url()))
    assert set(found) == {cast.employees["employee"].nip, cast.employees["colleague"].nip}


def test_a_filter_by_unit_and_state(cast, client_for):
    plan(cast)
    response = client_for(cast.pengelola).get(url(unit="DINKES-PKM-PLAJU", status="unplanned"))
    found = statuses(response)
    assert set(found) == {cast.employees["colleague"].nip, cast.employees["rater"].nip}


@pytest.mark.parametrize("who", ["employee", "colleague", "outsider"])
def test_those_who_rate_nobody_and_lead_nothing_get_403(cast, client_for, who):
    assert client_for(cast.users[who]).get(url()).status_code == 403


def test_a_unit_of_another_agency_is_not_found(cast, client_for):
    assert client_for(cast.head).get(url(unit="DUKCAPIL")).status_code == 404


def test_an_unreadable_period_falls_back_with_a_message(cast, client_for):
    response = client_for(cast.head).get(url(period="2026-Q9"))
    assert response.status_code == 200
    assert "The quarter must be 1–4." in [str(m) for m in response.context["messages"]]


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    assert client.get(url())["Location"].startswith(reverse("accounts:login"))


def test_a_period_not_open_yet_says_when_rating_opens_and_offers_no_rate_link(cast, client_for):
    year = timezone.localdate().year  # the year's rating opens on 1 January next
    skp = approved_plan(cast, year=year)
    response = client_for(cast.rater).get(url(year=year, period=year))
    html = response.content.decode()
    assert f"Rating of {year} opens on 1 January {year + 1}." in html
    assert reverse("evaluations:rate", args=[skp.pk, str(year)]) not in html
    assert response.context["opens_on"] is not None


def test_the_rater_is_offered_only_what_the_plans_state_allows(cast, client_for):
    """A returned plan (or a draft, or one awaiting approval) is not rated: the monitor offers
    its plan; an approved plan is rated; a rated one shows its rating (issue 11)."""
    returned = skp_services.skp_create(
        employee=cast.employees["colleague"], year=YEAR, approach="kuantitatif", by=cast.colleague
    )
    skp_services.rhk_add(
        skp=returned, by=cast.colleague, kind="utama", text="Terlaksananya imunisasi",
        indicators=[{"aspect": "kuantitas", "text": "Jumlah", "target": "10", "unit": "anak"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=returned, by=cast.colleague)
    skp_services.skp_return(skp=returned, by=cast.rater, reason="Target belum sesuai")
    approved = plan(cast)
    response = client_for(cast.rater).get(url())
    rows = {row.employee.nip: row for row in response.context["page"]}
    e = cast.employees
    assert rows[e["colleague"].nip].status == "returned"
    assert rows[e["colleague"].nip].rate_url is None
    assert rows[e["colleague"].nip].plan_url == f"/skp/{returned.pk}/"
    assert rows[e["employee"].nip].rate_url == reverse("evaluations:rate", args=[approved.pk, Q1])
    html = response.content.decode()
    assert reverse("evaluations:rate", args=[returned.pk, Q1]) not in html
