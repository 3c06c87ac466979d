"""The realisation page of a plan (``skp:realisation``): the values of each indicator per
period for those who see the plan, the entry forms for the employee and the administrator
only, the periods of the agency's rhythm that have begun; outsiders get 404 (for the entry and
upload too), anonymous visitors sign in; the same number of queries for one or eight results."""

import re
from decimal import Decimal

import pytest

from kinerja.core.periods import Period
from kinerja.core.templatetags.layout import is_current
from kinerja.skp import services

from .support import (
    approved,
    evidence_add_url,
    first_iki,
    pdf_upload,
    realisation_add_url,
    realisation_entry,
    realisation_url,
)

pytestmark = pytest.mark.django_db


# --- Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"), [("12.2979", "12,3"), ("1200", "1.200"), ("80", "80"), ("0.5", "0,5")]
)
def test_a_value_is_shown_with_at_most_two_decimals_in_indonesian(cast, client_for, value, shown):
    skp = approved(cast)
    services.realisation_record(
        iki=first_iki(skp), period=f"{skp.year}-Q1", value=value, by=cast.employee
    )
    html = client_for(cast.employee).get(realisation_url(skp)).content.decode()
    assert f'<span class="period-value">{shown}</span>' in html


@pytest.mark.parametrize("persona", ["employee", "rater", "rater_superior", "pengelola", "auditor"])
def test_those_who_see_the_plan_see_its_values_per_period(cast, client_for, persona):
    skp = approved(cast)
    services.realisation_record(
        iki=first_iki(skp), period=f"{skp.year}-Q1", value="250", by=cast.employee
    )
    response = client_for(cast.users[persona]).get(realisation_url(skp))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row.cells[0].value.value == Decimal(250)
    assert "provenance-manual" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404(cast, client_for, persona):
    skp = approved(cast)
    client = client_for(cast.users[persona])
    assert client.get(realisation_url(skp)).status_code == 404
    assert (
        client.post(realisation_add_url(skp), realisation_entry(first_iki(skp))).status_code == 404
    )
    assert client.post(evidence_add_url(skp), {}).status_code == 404


def test_only_the_employee_and_the_administrator_get_the_entry_forms(cast, client_for):
    skp = approved(cast)
    assert (
        client_for(cast.employee).get(realisation_url(skp)).context["realisation_form"] is not None
    )
    assert (
        client_for(cast.pengelola).get(realisation_url(skp)).context["realisation_form"] is not None
    )
    assert client_for(cast.rater).get(realisation_url(skp)).context["realisation_form"] is None


def test_the_periods_offered_are_those_of_the_agencys_rhythm_that_have_begun(cast, client_for):
    skp = approved(cast)
    form = client_for(cast.employee).get(realisation_url(skp)).context["realisation_form"]
    assert [v for v, _label in form.fields["period"].choices] == [
        f"{skp.year}-Q{q}" for q in range(1, 5)
    ]


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = approved(cast)
    response = client.get(realisation_url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_page_makes_the_same_number_of_queries_for_one_or_eight_results(
    cast, client_for, django_assert_max_num_queries
):
    small = approved(cast, results=1)
    client = client_for(cast.employee)
    client.get(realisation_url(small))
    with django_assert_max_num_queries(60) as captured:
        client.get(realisation_url(small))
    bound = len(captured.captured_queries)
    big = approved(cast, "colleague", results=8)
    for rhk in big.results.all():
        iki = rhk.indicators.get(number=1)
        services.realisation_record(iki=iki, period=f"{big.year}-Q1", value="5", by=cast.colleague)
        services.evidence_add(
            iki=iki, period=f"{big.year}-Q1", upload=pdf_upload(), by=cast.colleague
        )
    client = client_for(cast.colleague)
    client.get(realisation_url(big))
    with django_assert_max_num_queries(bound):
        response = client.get(realisation_url(big))
    assert len(response.context["rows"]) == 16


def test_the_period_table_is_a_labelled_scroll_region_that_marks_the_current_period(
    cast, client_for
):
    skp = approved(cast)
    response = client_for(cast.employee).get(realisation_url(skp))
    html = response.content.decode()
    wrap = html[html.index('<div class="table-wrap table-scroll"') :]
    wrap = wrap[: wrap.index(">")]
    assert 'tabindex="0"' in wrap and 'role="region"' in wrap and "aria-label=" in wrap
    assert "data-scroll-current" in wrap
    headers = re.findall(r'<th scope="col" class="num( is-current)?">([^<]+)</th>', html)
    expected = [str(p.label) for p in Period.all_of(skp.year, "quarter") if is_current(p)]
    assert expected
    assert [label for current, label in headers if current] == expected
