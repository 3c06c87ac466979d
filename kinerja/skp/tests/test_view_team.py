"""The team list of a rater (``skp:team``): the plans of the people I rate for the year with
their state, who has none yet, and the plans awaiting my approval on top; the download links of
the unit's plans and ratings for those who rate someone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .support import draft, html_of, quarter_rated, submitted, this_year

pytestmark = pytest.mark.django_db


URL = reverse("skp:team")


def test_the_rater_sees_pending_plans_on_top_and_who_has_none(cast, client_for):
    skp = submitted(cast)
    response = client_for(cast.rater).get(URL)
    assert response.status_code == 200
    assert [r.employee.name for r in response.context["pending"]] == ["Siti Aminah, A.Md.Kep"]
    assert [r.employee.name for r in response.context["others"]] == ["Dewi Lestari, A.Md.Kep"]
    assert response.context["missing"] == 1
    html = response.content.decode()
    assert html.index('id="team-pending"') < html.index('id="team-all"')
    assert reverse("skp:detail", args=[skp.pk]) in html
    assert "no-plan" in html


def test_a_draft_is_listed_with_its_state_not_as_pending(cast, client_for):
    draft(cast, "colleague")
    response = client_for(cast.rater).get(URL)
    assert response.context["pending"] == []
    others = {r.employee.name: r.plans for r in response.context["others"]}
    assert [p.state for p in others["Dewi Lestari, A.Md.Kep"]] == ["draft"]


def test_another_year_is_chosen_with_the_query_string(cast, client_for):
    submitted(cast)
    response = client_for(cast.rater).get(f"{URL}?year={this_year() + 1}")
    assert response.context["pending"] == []
    assert response.context["missing"] == 2


@pytest.mark.parametrize("persona", ["employee", "outsider", "admin", "auditor"])
def test_someone_who_rates_nobody_sees_an_empty_list(cast, client_for, persona):
    submitted(cast)
    response = client_for(cast.users[persona]).get(URL)
    assert response.status_code == 200
    assert response.context["rates_anyone"] is False
    assert 'class="team-row"' not in response.content.decode()


def test_the_raters_superior_sees_only_the_people_they_rate_themselves(cast, client_for):
    submitted(cast)
    response = client_for(cast.rater_superior).get(URL)
    names = [r.employee.name for r in response.context["pending"] + response.context["others"]]
    assert "Siti Aminah, A.Md.Kep" not in names
    assert "dr. Ahmad Fauzi" in names


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    submitted(cast)
    draft(cast, "colleague")
    client = client_for(cast.rater)
    client.get(URL)
    with django_assert_max_num_queries(16):
        client.get(URL)


# --- The team page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "unit"), [("rater", "DINKES-PKM-PLAJU"), ("rater_superior", "DINKES-YANKES")]
)
def test_a_rater_downloads_the_plans_and_ratings_of_their_unit(cast, client_for, persona, unit):
    quarter_rated(cast)
    client = client_for(cast.users[persona])
    year = this_year()
    html = html_of(client, reverse("skp:team"), year=year)
    for name in ("skp:plans_xlsx", "evaluations:ratings_xlsx"):
        url = f"{reverse(name)}?unit={unit}&amp;year={year}"
        assert f'href="{url}"' in html
        response = client.get(reverse(name), {"unit": unit, "year": year})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("persona", ["employee", "outsider", "admin", "auditor"])
def test_someone_who_rates_nobody_gets_no_download_links(cast, client_for, persona):
    quarter_rated(cast)
    html = html_of(client_for(cast.users[persona]), reverse("skp:team"))
    assert 'id="team-downloads"' not in html
    assert reverse("skp:plans_xlsx") not in html
