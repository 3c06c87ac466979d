"""Indicators that fill themselves, on the indicator page (``strategy:indicator``): the values
computed from the stream with their provenance (stream, metric, filter, period, cases, when
computed) over the whole range of each quarter and the year; they follow new events; an
officer's own figures (and a formula over them) hidden from everyone but the officer and their
raters; an outsider gets 404."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.streams.bindings import metric_value
from kinerja.streams.ingest import Validator, store
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import DurationUnit, Metric
from kinerja.streams.tests.service_data import case_events, local

from .stream_support import bound, indonesian

YEAR = timezone.localdate().year - 1  # a whole past year


def page(client, indicator, year=YEAR):
    return client.get(reverse("strategy:indicator", args=[indicator.pk]), {"year": year})


def test_the_page_shows_the_values_of_the_stream_with_their_provenance(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    response = page(client_for(cast.employee), ind)
    assert response.status_code == 200
    result = response.context["result"]
    march = compute(
        MetricsQuery(
            stream=stream,
            start=date(YEAR, 3, 1),
            end=date(YEAR, 3, 31),
            unit_id=cast.units["pkm"].pk,
            unit_code="DINKES-PKM-PLAJU",
        )
    )
    expected = metric_value(march, ind.metric_binding).quantize(Decimal("0.0001"))
    rows = {row.month: row for row in response.context["rows"]}
    assert rows[3].value == expected
    assert rows[3].cases == march["cases_completed"]
    html = response.content.decode()
    assert 'id="indicator-provenance"' in html
    card = html[html.index('id="indicator-provenance"') :]
    assert "gawat-darurat" in card and "Penanganan kegawatdaruratan" in card
    assert "DINKES-PKM-PLAJU" in card
    assert f'<dd id="provenance-cases">{result.binding.annual.cases}</dd>' in card
    assert 'id="provenance-computed"' in card and "WIB" in card
    assert 'id="realisation-form"' not in html and 'id="evidence-form"' not in html


def test_the_quarters_and_the_year_are_computed_over_their_whole_range(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, "duration_p90")
    result = page(client_for(cast.head), ind).context["result"]
    whole = compute(MetricsQuery(stream=stream, start=date(YEAR, 4, 1), end=date(YEAR, 6, 30)))
    assert result.binding.quarters[1].value == metric_value(whole, ind.metric_binding)
    assert result.quarters[1].realisation == metric_value(whole, ind.metric_binding).quantize(
        Decimal("0.0001")
    )


def test_the_value_follows_new_events(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, "cases_started", values__aggregation="sum")
    client = client_for(cast.head)
    before = page(client, ind).context["result"].months[5]
    # stored, not yet merged into cases: reading the page catches up first
    events = case_events("late-1", local(date(YEAR, 5, 20)), 12)
    store(stream, Validator(stream).clean_all(events))
    after = page(client, ind).context["result"].months[5]
    assert after == before + 1


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("employee", True),
        ("rater", True),
        ("rater_superior", True),
        ("colleague", False),
        ("head", False),
        ("pengelola", False),
        ("admin", False),
    ],
)
def test_an_officers_own_figures_show_only_to_the_officer_and_their_raters(
    cast, client_for, stream, persona, visible
):
    nip = cast.employees["employee"].nip
    ind = bound(
        cast.dinkes,
        "IKU-01",
        stream,
        "cases_completed",
        officer=nip,
        values__aggregation="sum",
        values__owner_position=cast.positions["perawat"],
    )
    response = page(client_for(getattr(cast, persona)), ind)
    assert response.status_code == 200
    result = response.context["result"]
    html = response.content.decode()
    assert result.hidden is (not visible)
    if visible:
        assert result.annual.realisation > 0
        assert nip in html and 'id="provenance-cases"' in html
    else:
        assert result.annual.realisation is None
        assert all(value is None for value in result.months.values())
        assert nip not in html
        assert 'id="provenance-hidden"' in html and 'id="provenance-cases"' not in html
        assert "not-visible" in html


def test_a_formula_over_an_officers_figures_is_hidden_as_well(cast, client_for, stream):
    bound(
        cast.dinkes,
        "IKU-01",
        stream,
        "cases_completed",
        officer=cast.employees["employee"].nip,
        values__aggregation="sum",
        values__owner_position=cast.positions["perawat"],
    )
    formula = services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-02",
            "name": "Dua kali",
            "unit_of_measure": "kasus",
            "polarity": "higher_is_better",
            "aggregation": "sum",
            "data_source": "formula",
            "formula": "{IKU-01} * 2",
        },
    )
    assert page(client_for(cast.head), formula).context["result"].annual.realisation is None
    seen = page(client_for(cast.employee), formula).context["result"].annual.realisation
    assert seen is not None and seen > 0


def test_an_outsider_gets_404_for_a_bound_indicator(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    assert page(client_for(cast.outsider), ind).status_code == 404


def dd(html: str, element_id: str) -> str:
    """The contents of the element with ``element_id`` up to its closing tag."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</dd>", start)]


def test_the_provenance_names_the_metric_its_stages_filter_and_period(cast, client_for, stream):
    ind = bound(
        cast.dinkes, "IKU-01", stream, "duration_p90", from_stage="berangkat", to_stage="tiba"
    )
    html = page(client_for(cast.head), ind).content.decode()
    with translation.override("id"):
        metric, unit = str(Metric.DURATION_P90.label), str(DurationUnit.MINUTES.label)
    shown = dd(html, "provenance-metric")
    assert metric in shown and unit in shown
    assert "berangkat" in shown and "tiba" in shown
    assert indonesian("the whole stream") in dd(html, "provenance-filter")
    assert str(YEAR) in dd(html, "provenance-period")


def test_each_quarter_shows_its_days_value_and_the_cases_it_rests_on(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    response = page(client_for(cast.head), ind)
    html = response.content.decode()
    for quarter, (first, last) in enumerate([(1, 3), (4, 6), (7, 9), (10, 12)], start=1):
        end = date(YEAR, last + 1, 1) if last < 12 else date(YEAR + 1, 1, 1)
        figures = compute(
            MetricsQuery(
                stream=stream,
                start=date(YEAR, first, 1),
                end=end - timedelta(days=1),
                unit_id=cast.units["pkm"].pk,
                unit_code="DINKES-PKM-PLAJU",
            )
        )
        start = html.index(f'id="provenance-quarter-{quarter}"')
        row = html[start : html.index("</tr>", start)]
        assert (
            f'provenance-cases" data-label="{indonesian("Cases")}">{figures["cases_completed"]}<'
            in row
        )
        assert figures["cases_completed"] == response.context["bound"].quarters[quarter - 1].cases


def test_the_time_of_computation_is_that_of_the_reading_in_region_time(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    before = timezone.now()
    response = page(client_for(cast.head), ind)
    after = timezone.now()
    computed = response.context["bound"].computed_at
    assert before <= computed <= after
    with translation.override("id"):
        shown = date_filter(timezone.localtime(computed), "SHORT_DATETIME_FORMAT")
    assert shown in dd(response.content.decode(), "provenance-computed")


def test_a_year_that_has_not_begun_has_no_values_and_says_so(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    response = page(client_for(cast.head), ind, year=timezone.localdate().year + 1)
    result = response.context["result"]
    assert result.annual.realisation is None
    assert all(value is None for value in result.months.values())
    html = response.content.decode()
    assert indonesian("not yet: the year has not begun") in dd(html, "provenance-computed")
    assert "—" in dd(html, "provenance-cases")
