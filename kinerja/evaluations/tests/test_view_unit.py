"""The organisation predicate and the curve monitor of a unit (``evaluations:unit``): the
leader above the unit sets the predicate with its basis; the table shows counts and shares per
predicate and the rules of the curve, broken ones as warnings; others get 403 or 404."""

import json
import re

import pytest
from django.urls import reverse

from kinerja.evaluations import services
from kinerja.evaluations.models import OrgEvaluation

from .support import PKM, Q1, YEAR, english_pages, plan, rated, text_of, unit_url  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["rater_superior", "head", "admin"])
def test_the_leader_above_the_unit_sets_its_predicate(cast, client_for, who):
    client = client_for(cast.users[who])
    assert 'id="org-form"' in text_of(client.get(unit_url()))
    response = client.post(unit_url(), {"predicate": "Baik", "reason": "Capaian PK TW I 96 %"})
    assert response["Location"] == unit_url()
    org = OrgEvaluation.objects.get()
    assert (org.unit.code, org.period, org.predicate, org.reason) == (
        PKM,
        Q1,
        "Baik",
        "Capaian PK TW I 96 %",
    )


@pytest.mark.parametrize("who", ["rater", "pengelola", "auditor"])
def test_others_who_watch_the_unit_may_not_set_it(cast, client_for, who):
    client = client_for(cast.users[who])
    page = client.get(unit_url())
    assert page.status_code == 200 and 'id="org-form"' not in text_of(page)
    assert client.post(unit_url(), {"predicate": "Istimewa"}).status_code == 403
    assert not OrgEvaluation.objects.exists()


@pytest.mark.parametrize("who", ["employee", "colleague"])
def test_employees_without_a_rating_role_get_403(cast, client_for, who):
    assert client_for(cast.users[who]).get(unit_url()).status_code == 403


@pytest.mark.parametrize("path", [unit_url(), unit_url("NOPE"), unit_url(PKM, f"{YEAR}-Q7")])
def test_outsiders_unknown_units_and_bad_periods_get_404(cast, client_for, path):
    assert client_for(cast.outsider).get(unit_url()).status_code == 404
    assert client_for(cast.head).get(path).status_code == (200 if path == unit_url() else 404)


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    assert client.get(unit_url())["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_predicate_is_refused_on_its_field(cast, client_for):
    response = client_for(cast.rater_superior).post(unit_url(), {"predicate": "Luar Biasa"})
    assert response.context["form"].errors["predicate"] == [
        "Select a valid choice. Luar Biasa is not one of the available choices."
    ]
    assert not OrgEvaluation.objects.exists()


def test_the_curve_shows_counts_shares_and_the_broken_rules(cast, client_for):
    rated(cast, plan(cast), results="below", behaviour="meets")  # Butuh Perbaikan
    rated(cast, plan(cast, "colleague"), results="below", behaviour="meets")
    services.org_predicate_set(
        unit=plan(cast, "rater").unit, period=Q1, predicate="Baik", by=cast.rater_superior
    )
    response = client_for(cast.head).get(unit_url())
    rows = {r.predicate: (r.count, r.share) for r in response.context["rows"]}
    assert rows["Butuh Perbaikan"] == (2, 100) and rows["Baik"] == (0, 0)
    html = text_of(response)
    assert "More than half should be Baik (now 0.0 %)." in html
    kept = [r.text for r in response.context["rule_rows"] if not r.broken]
    broken = [r.text for r in response.context["rule_rows"] if r.broken]
    assert kept == [
        "at most 70 % Baik",
        "at least 1 employee(s) Butuh Perbaikan + Kurang/Misconduct",
    ]
    assert broken == ["more than half Baik"]
    assert "more than half of the unit&#x27;s employees" in html


def test_the_curve_is_drawn_from_the_page_data_with_the_broken_rule_marked(cast, client_for):
    rated(cast, plan(cast), results="below", behaviour="meets")  # Butuh Perbaikan
    rated(cast, plan(cast, "colleague"), results="below", behaviour="meets")
    services.org_predicate_set(
        unit=plan(cast, "rater").unit, period=Q1, predicate="Baik", by=cast.rater_superior
    )
    html = text_of(client_for(cast.head).get(unit_url()))
    found = re.search(r'<script id="curve-data" type="application/json">(.*?)</script>', html)
    data = json.loads(found.group(1))
    at = data["predicates"].index
    assert data["counts"][at("Butuh Perbaikan")] == 2
    assert data["shares"][at("Butuh Perbaikan")] == 100
    assert data["broken"][at("Baik")] and not data["broken"][at("Butuh Perbaikan")]
    assert 'id="curve-chart"' in html and "vendor/chart.js/chart.umd.min.js" in html


def test_a_curve_without_ratings_has_no_chart(cast, client_for):
    html = text_of(client_for(cast.head).get(unit_url()))
    assert 'id="curve-chart"' not in html and 'id="curve-data"' not in html
