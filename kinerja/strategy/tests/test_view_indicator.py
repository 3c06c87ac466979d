"""The indicator page (``strategy:indicator``): definition, targets and achievement of each
quarter, the months with their state, history and evidence, only the reporting months offered
and no future one, a formula indicator's computed values without an entry form; another
agency's indicator is 404 everywhere (the page, entering, evidence, verifying); ids never
written with a thousands separator; a bounded number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.strategy import services
from kinerja.strategy.models import Evidence, Realisation

from .support import (
    also_pengelola,
    build_sample,
    current_value,
    evidence_add_url,
    indicator_url,
    pdf_upload,
    realisation_add_url,
    realisation_entry,
    realisation_verify_url,
)

# --- Reading -------------------------------------------------------------------------------------


def test_the_page_shows_the_months_their_state_history_and_evidence(cast, client_for):
    sample = build_sample(cast)
    year = sample.year
    services.realisation_record(
        indicator=sample.response, year=year, month=2, value=Decimal(11), by=cast.pengelola
    )
    evidence = services.evidence_add(
        indicator=sample.response, year=year, month=2, upload=pdf_upload(), by=cast.pengelola
    )
    response = client_for(cast.employee).get(indicator_url(sample.response, year))
    assert response.status_code == 200
    rows = {row.month: row for row in response.context["rows"]}
    assert list(rows) == list(range(1, 13))
    assert rows[2].value == Decimal(11)
    assert [r.value for r in rows[2].history] == [Decimal(9)]
    assert rows[2].evidence == [evidence]
    html = response.content.decode()
    assert reverse("strategy:evidence", args=[evidence.pk]) in html
    month = html[html.index('id="month-2"') : html.index('id="month-3"')]
    assert 'data-state="submitted"' in month
    assert "<del" in month  # the superseded 9
    assert 'id="realisation-form"' not in html  # a plain employee enters nothing


def test_a_quarterly_indicator_lists_and_offers_only_its_reporting_months(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).get(indicator_url(sample.visits, sample.year))
    assert [row.month for row in response.context["rows"]] == [3, 6, 9, 12]
    choices = [
        value for value, _label in response.context["realisation_form"].fields["period"].choices
    ]
    assert choices == [f"{sample.year}-{m:02d}" for m in (3, 6, 9, 12)]


def test_no_future_month_is_offered(cast, client_for):
    sample = build_sample(cast)
    today = timezone.localdate()
    response = client_for(cast.pengelola).get(indicator_url(sample.response))
    choices = [
        value for value, _label in response.context["realisation_form"].fields["period"].choices
    ]
    assert choices == [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
    accept = response.context["evidence_form"].fields["file"].widget.attrs["accept"]
    assert ".pdf" in accept and ".xlsx" in accept


def test_a_formula_indicator_shows_its_formula_and_computed_values_without_an_entry_form(
    cast, client_for
):
    sample = build_sample(cast)
    response = client_for(cast.admin).get(indicator_url(sample.share, sample.year))
    html = response.content.decode()
    assert 'id="indicator-formula"' in html
    assert "{IKU-02} / 10" in html
    assert 'id="realisation-form"' not in html and 'id="evidence-form"' not in html
    rows = {row.month: row.value for row in response.context["rows"]}
    assert rows[3] == Decimal(30) and rows[1] is None


def test_the_targets_and_achievement_of_each_quarter_are_shown(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.head).get(indicator_url(sample.occupancy, sample.year))
    result = response.context["result"]
    assert [q.achievement_pct for q in result.quarters] == [Decimal("100.00")] * 4
    html = response.content.decode()
    assert 'id="quarter-4"' in html and "band-sangat-baik" in html


@pytest.mark.parametrize("persona", ["outsider", "employee", "pengelola", "head"])
def test_another_agencys_indicator_is_404_everywhere(cast, client_for, persona):
    sample = build_sample(cast, verified=False)
    indicator = sample.response if persona == "outsider" else sample.other
    value = Realisation.objects.current().filter(indicator=indicator).first()
    client = client_for(cast.users[persona])
    assert client.get(indicator_url(indicator, sample.year)).status_code == 404
    assert (
        client.post(
            realisation_add_url(indicator), realisation_entry(f"{sample.year}-01", "1")
        ).status_code
        == 404
    )
    assert (
        client.post(evidence_add_url(indicator), {"e-period": f"{sample.year}-01"}).status_code
        == 404
    )
    assert (
        client.post(realisation_verify_url(value), {f"v{value.pk}-action": "accept"}).status_code
        == 404
    )
    value.refresh_from_db()
    assert (
        value.state == "submitted"
        and value.value == current_value(indicator, sample.year, value.month).value
    )


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    sample = build_sample(cast)
    others = [cast.admin, cast.pengelola, cast.users["rater"]]
    also_pengelola(cast, cast.users["rater"])
    for month in range(1, 13):
        for n in range(3):  # two corrections of every month, by different people
            services.realisation_record(
                indicator=sample.response,
                year=sample.year,
                month=month,
                value=Decimal(10 + n),
                by=others[n],
            )
        services.evidence_add(
            indicator=sample.response,
            year=sample.year,
            month=month,
            upload=pdf_upload(f"m{month}.pdf"),
            by=cast.pengelola,
        )
    client = client_for(cast.head)
    with django_assert_max_num_queries(35):
        response = client.get(indicator_url(sample.response, sample.year))
    assert sum(len(row.history) for row in response.context["rows"]) == 12 * 3


def test_ids_in_the_page_are_never_written_with_a_thousands_separator(cast, client_for):
    sample = build_sample(cast)
    item = services.evidence_add(
        indicator=sample.response, year=sample.year, month=2, upload=pdf_upload(), by=cast.pengelola
    )
    Evidence.objects.filter(pk=item.pk).update(id=123456)
    html = client_for(cast.head).get(indicator_url(sample.response, sample.year)).content.decode()
    assert 'id="evidence-123456"' in html
    assert reverse("strategy:evidence", args=[123456]) in html


def test_a_value_not_verified_is_shown_marked_and_not_counted(cast, client_for):
    from kinerja.strategy.models import RealisationState

    sample = build_sample(cast, verified=False)  # every value waits for verification
    Realisation.objects.current().filter(indicator=sample.response, month=2).update(
        state=RealisationState.RETURNED
    )
    response = client_for(cast.employee).get(indicator_url(sample.response, sample.year))
    rows = {row.month: row for row in response.context["rows"]}
    assert (rows[1].value, rows[1].uncounted) == (Decimal(9), True)
    assert rows[2].uncounted is True
    assert response.context["result"].annual.realisation is None  # nothing counts yet
    html = response.content.decode()
    month = html[html.index('id="month-2"') : html.index('id="month-3"')]
    assert 'data-state="returned"' in month and 'class="small muted uncounted"' in month
    Realisation.objects.current().filter(indicator=sample.response).update(
        state=RealisationState.VERIFIED
    )
    response = client_for(cast.employee).get(indicator_url(sample.response, sample.year))
    assert not any(row.uncounted for row in response.context["rows"])
    assert response.context["result"].annual.realisation is not None


def test_the_monthly_values_that_count_are_drawn_as_a_trend(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.head).get(indicator_url(sample.occupancy, sample.year))
    result = response.context["result"]
    trend = response.context["trend"]
    assert trend["months"][0] == f"01/{sample.year}" and len(trend["values"]) == 12
    assert trend["values"] == [
        None if result.months[m] is None else float(result.months[m]) for m in range(1, 13)
    ]
    html = response.content.decode()
    assert 'id="trend-chart"' in html and 'id="trend-data"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html


def test_no_trend_is_drawn_before_a_value_counts(cast, client_for):
    sample = build_sample(cast, verified=False)  # nothing counts yet
    response = client_for(cast.head).get(indicator_url(sample.response, sample.year))
    assert response.context["trend"] is None
    assert 'id="trend-chart"' not in response.content.decode()
