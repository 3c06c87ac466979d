"""Indicators that fill themselves, on the overview (``strategy:overview``) and the tree
(``strategy:tree``): the year's value computed from the stream; an officer's own figures stay
hidden; the cost does not grow with the cases or the bindings of one filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.streams.metrics import MetricsQuery, compute

from .stream_support import bound
from .support import build_sample

YEAR = timezone.localdate().year - 1  # a whole past year


# --- The overview and the tree show the bound values ------------------------------------------


def overview_row(html: str, indicator) -> str:
    start = html.index(f'id="indicator-{indicator.pk}"')
    return html[start : html.index("</tr>", start)]


def tree_node(html: str, indicator) -> str:
    start = html.index(f'id="node-indicator-{indicator.pk}"')
    return html[start : html.index("</li>", start)]


@pytest.fixture
def counted(cast, stream):
    """A DINKES indicator under the sample's strategic target, counting the stream's cases
    completed in the year (higher is better), with a yearly target of 100."""
    sample = build_sample(cast, year=YEAR)
    ind = bound(
        cast.dinkes,
        "IKU-S1",
        stream,
        "cases_completed",
        values__aggregation="sum",
        values__polarity="higher_is_better",
        values__strategic_target=sample.target,
    )
    services.target_set(
        by=SYSTEM, indicator=ind, year=YEAR, value=Decimal(100), quarters=[Decimal(25)] * 4
    )
    whole = compute(MetricsQuery(stream=stream, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)))
    return ind, Decimal(whole["cases_completed"])


def test_the_overview_shows_the_years_value_computed_from_the_stream(cast, client_for, counted):
    ind, completed = counted
    response = client_for(cast.head).get(
        reverse("strategy:overview"), {"year": YEAR, "agency": "DINKES"}
    )
    results = {
        r.indicator.pk: r for g in response.context["groups"] for t in g.targets for r in t.results
    }
    assert results[ind.pk].annual.realisation == completed
    assert results[ind.pk].annual.achievement_pct == min(completed, Decimal(120))  # R / 100
    row = overview_row(response.content.decode(), ind)
    assert f">{completed}</td>" in row
    assert "badge-stream" in row and "gawat-darurat" in row


def test_the_tree_shows_the_years_value_computed_from_the_stream(cast, client_for, counted):
    ind, completed = counted
    response = client_for(cast.head).get(
        reverse("strategy:tree"), {"year": YEAR, "agency": "DINKES"}
    )
    node = tree_node(response.content.decode(), ind)
    assert f"{completed} / " in node
    assert "badge-stream" in node and "gawat-darurat" in node


@pytest.mark.parametrize(("persona", "visible"), [("employee", True), ("head", False)])
def test_an_officers_own_figures_stay_hidden_on_the_overview_and_the_tree(
    cast, client_for, stream, persona, visible
):
    sample = build_sample(cast, year=YEAR)
    nip = cast.employees["employee"].nip
    ind = bound(
        cast.dinkes,
        "IKU-S1",
        stream,
        "cases_completed",
        officer=nip,
        values__aggregation="sum",
        values__owner_position=cast.positions["perawat"],
        values__strategic_target=sample.target,
    )
    client = client_for(getattr(cast, persona))
    params = {"year": YEAR, "agency": "DINKES"}
    overview = client.get(reverse("strategy:overview"), params).content.decode()
    tree = client.get(reverse("strategy:tree"), params).content.decode()
    for part in (overview_row(overview, ind), tree_node(tree, ind)):
        assert ("not-visible" in part) is (not visible)
    assert (nip in overview + tree) is False  # the NIP is never shown on these pages


# --- Bounded cost of the overview and the tree ---------------------------------------------------


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_overview_and_tree_cost_does_not_grow_with_cases_or_bindings_of_one_filter(
    cast, client_for, stream
):
    sample = build_sample(cast, year=YEAR)
    bound(cast.dinkes, "IKU-S1", stream, values__strategic_target=sample.target)
    client = client_for(cast.admin)
    overview = reverse("strategy:overview")
    tree = reverse("strategy:tree")
    params = {"year": YEAR, "agency": "DINKES"}
    one = (queries(client, overview, params), queries(client, tree, params))

    # more bindings of the same filter, whatever their metric, and more cases
    for code, metric in [("IKU-S2", "duration_p90"), ("IKU-S3", "within_sla_pct")]:
        bound(cast.dinkes, code, stream, metric, values__strategic_target=sample.target)
    from kinerja.streams.tests.service_data import seeded_year

    seeded_year(stream, YEAR, units=["DINKES-YANKES"], officers=[], n=150, seed=3, prefix="M")
    three = (queries(client, overview, params), queries(client, tree, params))

    assert three == one
    assert max(one) <= 60
