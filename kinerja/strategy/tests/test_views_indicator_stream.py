"""Indicators that fill themselves, on the pages: the indicator page shows the values computed
from the stream with their provenance (stream, metric, filter, period, cases, when computed),
follows new events, hides an officer's own figures from everyone but the officer and their
raters; the form binds an indicator to a stream metric; the overview and the tree stay within
a bounded number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Aggregation, Indicator
from kinerja.streams.bindings import metric_value
from kinerja.streams.ingest import Validator, store
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import DurationUnit, Metric, MetricBinding
from kinerja.streams.tests.service_data import case_events, local

from .stream_support import bound, stream_with_cases
from .test_views_support import build_sample

YEAR = timezone.localdate().year - 1  # a whole past year


def page(client, indicator, year=YEAR):
    return client.get(reverse("strategy:indicator", args=[indicator.pk]), {"year": year})


@pytest.fixture
def stream(cast):
    return stream_with_cases(cast, YEAR)


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


def indonesian(message: str, **values) -> str:
    """``message`` as the Indonesian page shows it; it must have a translation."""
    with translation.override("id"):
        text = gettext(message)
    assert text != message, f"no Indonesian translation of {message!r}"
    return text % values if values else text


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
        shown = date_filter(timezone.localtime(computed), "DATETIME_FORMAT")
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


# --- The form ------------------------------------------------------------------------------------


def form_data(stream, **changes) -> dict:
    return {
        "code": "iku-20",
        "name": "Median waktu respon",
        "unit_of_measure": "menit",
        "polarity": "lower_is_better",
        "aggregation": "average",
        "period_type": "monthly",
        "data_source": "stream",
        "lower_formula": "standard",
        "range_above": "penalize",
        "formula": "",
        "active": "on",
        "binding_stream": stream.pk,
        "binding_metric": "duration_median",
        "binding_unit": "",
        "binding_officer": "",
        "binding_from_stage": "",
        "binding_to_stage": "",
        "binding_duration_unit": "minutes",
        **changes,
    }


def test_the_form_binds_an_indicator_to_a_stream_metric(cast, client_for, stream):
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]),
        form_data(stream, binding_unit=cast.units["pkm"].pk),
    )
    assert response.status_code == 302
    ind = Indicator.objects.get(code="IKU-20")
    assert ind.data_source == "stream"
    assert (ind.metric_binding.stream, ind.metric_binding.unit) == (stream, cast.units["pkm"])


def test_the_form_shows_the_stored_binding_when_changing(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, from_stage="berangkat", to_stage="tiba")
    response = client_for(cast.pengelola).get(reverse("strategy:indicator_edit", args=[ind.pk]))
    form = response.context["form"]
    assert form.initial["binding_stream"] == stream.pk
    assert form.initial["binding_from_stage"] == "berangkat"
    assert form.initial["binding_duration_unit"] == "minutes"
    html = response.content.decode()
    assert 'id="id_binding_stream_help"' in html and 'id="id_binding_officer_help"' in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"binding_stream": ""}, "binding_stream"),
        ({"binding_metric": ""}, "binding_metric"),
        ({"binding_duration_unit": ""}, "binding_duration_unit"),
        ({"binding_from_stage": "dicetak", "binding_to_stage": "tiba"}, "binding_from_stage"),
        ({"binding_from_stage": "diterima"}, "binding_to_stage"),
        ({"binding_officer": "198503122010011002"}, "binding_officer"),  # no owning position
        ({"aggregation": "sum"}, "aggregation"),
    ],
)
def test_a_wrong_binding_is_shown_on_its_field(cast, client_for, stream, changes, field):
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]), form_data(stream, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Indicator.objects.filter(code="IKU-20").exists()


def test_another_agencys_stream_is_not_offered_to_a_pengelola(cast, client_for, stream):
    from kinerja.streams.tests.service_data import make_stream

    other = make_stream(cast.dukcapil, "ktp-el")
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]), form_data(other)
    )
    assert response.status_code == 200
    assert "binding_stream" in response.context["form"].errors


def edit(indicator) -> str:
    return reverse("strategy:indicator_edit", args=[indicator.pk])


def stored(indicator) -> tuple[dict, dict]:
    indicator.refresh_from_db()
    binding = MetricBinding.objects.filter(pk=indicator.metric_binding_id).values().get()
    row = Indicator.objects.filter(pk=indicator.pk).values().get()
    return row, binding


@pytest.mark.parametrize(
    ("changes", "field", "message", "values"),
    [
        (
            {"binding_from_stage": "tiba", "binding_to_stage": "tiba"},
            "binding_to_stage",
            "Choose a later stage than the first one.",
            {},
        ),
        (
            {"binding_from_stage": "dicetak", "binding_to_stage": "tiba"},
            "binding_from_stage",
            "%(stage)s is not a stage of %(stream)s (%(stages)s).",
            {"stage": "dicetak", "stream": "gawat-darurat", "stages": "diterima, berangkat, tiba"},
        ),
        (
            {"binding_metric": "cases_completed", "binding_duration_unit": "minutes"},
            "binding_duration_unit",
            "Only a duration has a unit of time.",
            {},
        ),
        (
            {"binding_metric": "cases_completed", "binding_duration_unit": ""},
            "aggregation",
            "A stream metric is computed over each whole quarter and year; for this metric that "
            "means: %(how)s.",
            {"how": "SUM"},
        ),
    ],
)
def test_a_wrong_binding_gets_a_precise_indonesian_error_and_changes_nothing(
    cast, client_for, stream, changes, field, message, values
):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    before, records = stored(ind), AuditRecord.objects.count()
    data = form_data(stream, code="IKU-01", name="Nama yang berubah", **changes)
    response = client_for(cast.pengelola).post(edit(ind), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if values.get("how") == "SUM":
        with translation.override("id"):
            values["how"] = str(Aggregation.SUM.label)
    expected = indonesian(message, **values)
    assert errors[field] == [expected]
    assert expected in response.content.decode()
    assert stored(ind) == before  # neither the indicator nor its binding changed
    assert AuditRecord.objects.count() == records


def test_a_right_change_of_the_binding_is_stored_on_the_same_row(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    binding_id = ind.metric_binding_id
    data = form_data(
        stream, code="IKU-01", binding_metric="duration_p90", binding_duration_unit="hours"
    )
    response = client_for(cast.pengelola).post(edit(ind), data)
    assert response.status_code == 302
    ind.refresh_from_db()
    b = ind.metric_binding
    assert (b.pk, b.metric, b.duration_unit, b.unit) == (binding_id, "duration_p90", "hours", None)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("other_head", 404), ("employee", 403), ("head", 403), ("auditor", 403)],
)
def test_who_does_not_manage_the_agency_cannot_open_or_rebind_a_bound_indicator(
    cast, client_for, stream, persona, status
):
    ind = bound(cast.dinkes, "IKU-01", stream)
    before = stored(ind)
    client = client_for(cast.users[persona])
    assert client.get(edit(ind)).status_code == status
    data = form_data(stream, code="IKU-01", binding_metric="duration_p90")
    assert client.post(edit(ind), data).status_code == status
    assert stored(ind) == before


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
