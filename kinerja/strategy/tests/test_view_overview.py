"""The organisational-performance overview: an agency's indicators by goal and strategic
target, with targets, realisations, achievement and bands; the menu item and home card."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services

from .support import build_sample

OVERVIEW = reverse("strategy:overview")


def test_the_overview_groups_the_indicators_under_their_goal_and_target(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.employee).get(OVERVIEW, {"year": sample.year})
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g.goal.code for g in groups] == ["T1"]
    codes = [r.indicator.code for r in groups[0].targets[0].results]
    assert codes == ["IKU-01", "IKU-02", "IKU-03", "IKU-04"]
    html = response.content.decode()
    assert f'id="indicator-{sample.response.pk}"' in html
    assert "DKP-01" not in html  # another agency's indicator


def test_each_row_shows_achievement_with_the_class_of_its_band(cast, client_for):
    sample = build_sample(cast)
    html = client_for(cast.head).get(OVERVIEW, {"year": sample.year}).content.decode()
    start = html.index(f'id="indicator-{sample.response.pk}"')
    row = html[start : html.index("</tr>", start)]
    assert "band-sangat-baik" in row
    assert row.count("band-chip") == 5  # the year and TW I–IV


def test_an_indicator_without_a_strategic_target_is_listed_apart(cast, client_for):
    sample = build_sample(cast)
    services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-09",
            "name": "Indikator lepas",
            "unit_of_measure": "%",
            "polarity": "higher_is_better",
            "aggregation": "last",
        },
    )
    response = client_for(cast.pengelola).get(OVERVIEW, {"year": sample.year})
    last = response.context["groups"][-1]
    assert last.goal is None
    assert [r.indicator.code for r in last.targets[0].results] == ["IKU-09"]
    assert 'id="goal-none"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("employee", "DINKES"), ("outsider", "DUKCAPIL"), ("admin", "DUKCAPIL")],
)
def test_the_default_agency_is_ones_own_or_the_first_for_regional_readers(
    cast, client_for, persona, expected
):
    # Regional readers get the first agency by name: "Dinas Kependudukan…" before "Dinas Kesehatan".
    response = client_for(cast.users[persona]).get(OVERVIEW)
    assert response.context["agency"].code == expected
    assert response.context["year"] >= 2026


@pytest.mark.parametrize("persona", ["outsider", "employee", "head", "pengelola"])
def test_another_agencys_overview_is_404(cast, client_for, persona):
    build_sample(cast)
    other = "DINKES" if persona == "outsider" else "DUKCAPIL"
    response = client_for(cast.users[persona]).get(OVERVIEW, {"agency": other})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_regional_readers_choose_any_agency(cast, client_for, persona):
    sample = build_sample(cast)
    response = client_for(cast.users[persona]).get(
        OVERVIEW, {"agency": "dukcapil", "year": sample.year}
    )
    assert response.status_code == 200
    assert f'id="indicator-{sample.other.pk}"' in response.content.decode()


def test_someone_who_sees_no_agency_is_refused(db, client_for):
    from kinerja.testing.factories import user_for

    assert client_for(user_for(username="lonely")).get(OVERVIEW).status_code == 403


@pytest.mark.parametrize("year", ["", "abc", "1999", "99999"])
def test_an_unreadable_year_shows_the_current_one(cast, client_for, year):
    from django.utils import timezone

    response = client_for(cast.employee).get(OVERVIEW, {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize(
    ("persona", "manages"),
    [
        ("pengelola", True),
        ("admin", True),
        ("head", False),
        ("employee", False),
        ("auditor", False),
    ],
)
def test_only_those_who_manage_the_agency_see_the_buttons_to_change_it(
    cast, client_for, persona, manages
):
    html = client_for(cast.users[persona]).get(OVERVIEW, {"agency": "DINKES"}).content.decode()
    assert ('id="link-indicator-create"' in html) is manages
    assert ('id="link-import"' in html) is manages
    for link in ("link-tree", "link-agreement", "link-report-pdf", "link-report-xlsx"):
        assert f'id="{link}"' in html


def test_the_links_lead_to_the_agreement_and_reports_of_the_chosen_year(cast, client_for):
    html = client_for(cast.head).get(OVERVIEW, {"year": 2025}).content.decode()
    assert reverse("strategy:agreement", args=["DINKES", 2025]) in html
    assert reverse("strategy:report_pdf", args=["DINKES", 2025]) in html
    assert reverse("strategy:report_xlsx", args=["DINKES", 2025]) in html
    assert reverse("strategy:export", args=["DINKES", 2025]) in html


def test_the_page_links_the_band_stylesheet(cast, client_for):
    html = client_for(cast.employee).get(OVERVIEW).content.decode()
    assert reverse("strategy:bands_css") in html
    assert "style=" not in html  # the strict CSP allows no inline styles


def test_the_overview_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    sample = build_sample(cast)
    for n in range(30):
        indicator = services.indicator_save(
            by=SYSTEM,
            agency=cast.dinkes,
            values={
                "code": f"IKU-X{n}",
                "name": f"Indikator {n}",
                "unit_of_measure": "%",
                "polarity": "higher_is_better",
                "aggregation": "average",
                "strategic_target": sample.target,
            },
        )
        services.target_set(by=SYSTEM, indicator=indicator, year=sample.year, value=100)
        services.realisation_record(
            by=SYSTEM, indicator=indicator, year=sample.year, month=1, value=90
        )
    client = client_for(cast.head)
    with django_assert_max_num_queries(30):
        response = client.get(OVERVIEW, {"year": sample.year})
    assert response.context["count"] == 34


# --- The menu item and the home card -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("employee", True),
        ("head", True),
        ("pengelola", True),
        ("admin", True),
        ("auditor", True),
        ("outsider", True),
    ],
)
def test_everyone_who_sees_an_agency_has_the_menu_item_and_home_card(
    cast, client_for, persona, shown
):
    response = client_for(cast.users[persona]).get(reverse("portal:home"))
    links = {link.url for item in response.context["kinerja"]["nav"] for link in item.links}
    assert (OVERVIEW in links) is shown
    assert ('id="card-strategy"' in response.content.decode()) is shown


def test_someone_without_an_agency_has_neither_menu_item_nor_card(db, client_for):
    from kinerja.testing.factories import user_for

    response = client_for(user_for(username="lonely")).get(reverse("portal:home"))
    assert OVERVIEW not in {
        link.url for item in response.context["kinerja"]["nav"] for link in item.links
    }
    assert 'id="card-strategy"' not in response.content.decode()


def test_the_table_scrolls_as_a_labelled_region_to_this_quarter_of_this_year(cast, client_for):
    build_sample(cast)
    client = client_for(cast.head)
    this_year = timezone.localdate().year
    html = client.get(OVERVIEW, {"year": this_year}).content.decode()
    assert 'role="region"' in html and 'tabindex="0"' in html and "data-scroll-current" in html
    quarter = ["I", "II", "III", "IV"][(timezone.localdate().month - 1) // 3]
    assert f'<th scope="col" class="num is-current">TW {quarter}</th>' in html
    assert html.count("is-current") == 1
    other = client.get(OVERVIEW, {"year": this_year - 1}).content.decode()
    assert "is-current" not in other
