"""The performance tree (pohon kinerja): vision → missions → goals → targets → indicators,
coloured by achievement for the chosen period, as the reader may see it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services

from .support import build_sample, verify_all

TREE = reverse("strategy:tree")


def node(html: str, node_id: str) -> str:
    """The opening tag of a node's <li>."""
    start = html.index(f'id="{node_id}"')
    return html[html.rindex("<li", 0, start) : html.index(">", start)]


def test_the_tree_runs_from_the_vision_to_the_indicators(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.employee).get(TREE, {"year": sample.year})
    assert response.status_code == 200
    html = response.content.decode()
    for node_id in (
        "node-vision",
        "node-mission-1",
        "node-mission-2",
        f"node-goal-{sample.goal.pk}",
        f"node-target-{sample.target.pk}",
        f"node-indicator-{sample.response.pk}",
    ):
        assert f'id="{node_id}"' in html
    assert "Palembang Emas Darussalam" in html
    # Drill-down: the indicator node links to its page for the same year.
    link = reverse("strategy:indicator", args=[sample.response.pk])
    assert f'href="{link}?year={sample.year}"' in html


def test_each_node_carries_the_class_of_its_band(cast, client_for):
    sample = build_sample(cast)
    # One poor value makes IKU-01's first quarter Sangat Kurang: 30 minutes against 10.
    services.realisation_record(
        by=SYSTEM, indicator=sample.response, year=sample.year, month=1, value=Decimal(30)
    )
    verify_all([sample.response])  # only verified values count
    client = client_for(cast.head)
    html = client.get(TREE, {"year": sample.year, "tw": "1"}).content.decode()
    assert "band-sangat-kurang" in node(html, f"node-indicator-{sample.response.pk}")
    assert "band-sangat-baik" in node(html, f"node-indicator-{sample.occupancy.pk}")
    assert response_period(client, sample.year, "1") == "TW I"
    html = client.get(TREE, {"year": sample.year, "tw": "2"}).content.decode()
    assert "band-sangat-baik" in node(html, f"node-indicator-{sample.response.pk}")


def response_period(client, year, tw) -> str:
    response = client.get(TREE, {"year": year, "tw": tw})
    return response.context["period"].label.rsplit(" ", 1)[0]


def test_an_unmeasurable_indicator_is_neutral(cast, client_for):
    sample = build_sample(cast)
    # IKU-03 is a formula without quarterly targets: not measurable in a quarter.
    html = client_for(cast.head).get(TREE, {"year": sample.year, "tw": "3"}).content.decode()
    tag = node(html, f"node-indicator-{sample.share.pk}")
    assert "band-none" in tag
    assert "data-band" not in tag


def test_the_first_two_levels_are_open_and_the_rest_closed(cast, client_for):
    sample = build_sample(cast)
    html = client_for(cast.head).get(TREE, {"year": sample.year}).content.decode()
    after = html[html.index('id="node-mission-2"') :]
    assert after.split("<details", 1)[1].startswith(" open")
    after = html[html.index(f'id="node-goal-{sample.goal.pk}"') :]
    assert after.split("<details", 1)[1].startswith(">")
    assert 'data-tree-toggle="perf-tree"' in html
    assert 'id="band-legend"' in html


def test_a_reader_of_one_agency_sees_only_its_branches(cast, client_for):
    sample = build_sample(cast)
    html = client_for(cast.outsider).get(TREE, {"year": sample.year}).content.decode()
    assert f'id="node-goal-{sample.other_goal.pk}"' in html
    assert f'id="node-goal-{sample.goal.pk}"' not in html
    assert "IKU-01" not in html


@pytest.mark.parametrize("persona", ["outsider", "employee", "pengelola"])
def test_asking_for_another_agency_is_404(cast, client_for, persona):
    other = "DINKES" if persona == "outsider" else "DUKCAPIL"
    response = client_for(cast.users[persona]).get(TREE, {"agency": other})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_regional_readers_see_every_agency_or_filter_one(cast, client_for, persona):
    sample = build_sample(cast)
    client = client_for(cast.users[persona])
    html = client.get(TREE, {"year": sample.year}).content.decode()
    assert f'id="node-goal-{sample.goal.pk}"' in html
    assert f'id="node-goal-{sample.other_goal.pk}"' in html
    assert 'id="tree-agency"' in html
    html = client.get(TREE, {"year": sample.year, "agency": "DUKCAPIL"}).content.decode()
    assert f'id="node-goal-{sample.other_goal.pk}"' in html
    assert f'id="node-goal-{sample.goal.pk}"' not in html


def test_a_year_without_a_plan_says_so(cast, client_for):
    build_sample(cast)
    response = client_for(cast.employee).get(TREE, {"year": 2001})
    assert response.status_code == 200
    assert response.context["root"] is None
    assert 'id="tree-no-plan"' in response.content.decode()


def test_someone_who_sees_no_agency_is_refused(db, client_for):
    from kinerja.testing.factories import user_for

    assert client_for(user_for(username="lonely")).get(TREE).status_code == 403


def test_the_tree_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    sample = build_sample(cast)
    for g in range(5):
        goal = services.goal_save(
            by=SYSTEM,
            agency=cast.dinkes,
            mission=sample.goal.mission,
            code=f"TX{g}",
            text=f"Tujuan {g}",
        )
        for t in range(3):
            target = services.strategic_target_save(
                by=SYSTEM, goal=goal, code=f"SX{g}.{t}", text="Sasaran"
            )
            for i in range(3):
                indicator = services.indicator_save(
                    by=SYSTEM,
                    agency=cast.dinkes,
                    values={
                        "code": f"IX{g}{t}{i}",
                        "name": "Indikator",
                        "unit_of_measure": "%",
                        "polarity": "higher_is_better",
                        "aggregation": "average",
                        "strategic_target": target,
                    },
                )
                services.target_set(by=SYSTEM, indicator=indicator, year=sample.year, value=100)
                services.realisation_record(
                    by=SYSTEM, indicator=indicator, year=sample.year, month=2, value=70
                )
    client = client_for(cast.admin)
    with django_assert_max_num_queries(30):
        response = client.get(TREE, {"year": sample.year, "tw": "1"})
    assert response.status_code == 200
    assert response.content.decode().count('data-kind="indicator"') == 4 + 45 + 1


@pytest.mark.parametrize("tw", ["", "1"])
def test_the_scores_do_not_depend_on_the_agency_filter(cast, client_for, tw):
    sample = build_sample(cast)
    client = client_for(cast.admin)

    def tree(agency: str):
        response = client.get(TREE, {"year": sample.year, "tw": tw, "agency": agency})
        return response.context["root"], response.content.decode()

    whole, _html = tree("")
    assert whole.measured >= 2  # indicators of both agencies are measured
    for agency, shown, hidden in [
        ("DINKES", sample.goal, sample.other_goal),
        ("DUKCAPIL", sample.other_goal, sample.goal),
    ]:
        root, html = tree(agency)
        # The filter chooses what is shown ...
        assert f'id="node-goal-{shown.pk}"' in html
        assert f'id="node-goal-{hidden.pk}"' not in html
        # ... the vision and the missions keep the whole tree's scores.
        assert (root.achievement_pct, root.measured) == (whole.achievement_pct, whole.measured)
        assert [(m.achievement_pct, m.measured) for m in root.children] == [
            (m.achievement_pct, m.measured) for m in whole.children
        ]


def test_a_filtered_tree_says_its_upper_scores_cover_every_agency(cast, client_for):
    sample = build_sample(cast)
    client = client_for(cast.admin)
    html = client.get(TREE, {"year": sample.year, "agency": "DINKES"}).content.decode()
    assert 'id="tree-scope-note"' in html
    html = client.get(TREE, {"year": sample.year}).content.decode()
    assert 'id="tree-scope-note"' not in html
