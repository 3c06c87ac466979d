"""'Kinerja saya' (``evaluations:mine``): the signed-in employee's own plan of the year with its
deadline, the data behind each indicator per period (with provenance), feedback with replies,
the ratings history, development plans; the offer to start a plan when there is none (starting
it: ``kinerja/skp/tests/test_view_start.py``)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.evaluations import services as evaluations
from kinerja.skp import services
from kinerja.skp.models import Skp
from kinerja.skp.tests.factories import verified_realisation
from kinerja.skp.tests.support import approved, draft, html_of, quarter_rated, this_year
from kinerja.testing.language import english

pytestmark = pytest.mark.django_db

URL = reverse("evaluations:mine")
START = reverse("skp:start")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_without_a_plan_the_page_offers_to_start_one_with_the_deadline(cast, client_for):
    response = client_for(cast.employee).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="start-form"' in html
    assert re.search(rf"31 Januar[iy] {this_year()}", html)  # a date in a sentence: written out


def test_an_account_without_an_employee_sees_an_explanation_and_cannot_start(cast, client_for):
    client = client_for(cast.admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["employee"] is None
    assert client.post(START, {"year": this_year(), "approach": "kuantitatif"}).status_code == 403


def test_the_page_shows_only_my_own_plan(cast, client_for):
    draft(cast)
    draft(cast, "colleague")
    response = client_for(cast.employee).get(URL)
    plans = [view.skp for view in response.context["plans"]]
    assert [p.employee.name for p in plans] == ["Siti Aminah, A.Md.Kep"]
    html = response.content.decode()
    assert "Dewi Lestari" not in html
    # The outsider sees nothing of DINKES here either.
    html = client_for(cast.outsider).get(URL).content.decode()
    assert "Siti Aminah" not in html and "Pelayanan imunisasi" not in html


def test_another_year_is_chosen_with_the_query_string(cast, client_for):
    draft(cast)
    response = client_for(cast.employee).get(f"{URL}?year={this_year() - 1}")
    assert response.context["plans"] == []
    assert response.context["start_form"] is not None
    assert client_for(cast.employee).get(f"{URL}?year=abc").context["year"] == this_year()


def _full_plan(cast, results: int = 1, *, who: str = "employee") -> Skp:
    """An approved plan with a realisation, feedback with a reply, a rating below Baik (which
    opens a development plan) and a development action."""
    skp = approved(cast, who, results=results)
    user = cast.users[who]
    year = skp.year
    for rhk in skp.results.all():
        iki = rhk.indicators.order_by("number").first()
        verified_realisation(iki=iki, period=f"{year}-Q1", value="75", by=user)
        first = evaluations.feedback_post(
            skp=skp, by=cast.rater, text=f"Bagus {rhk.number}", tag="appreciation", rhk=rhk
        )
        evaluations.feedback_post(skp=skp, by=user, text=f"Terima kasih {rhk.number}", parent=first)
    evaluations.evaluation_rate(
        skp=skp, by=cast.rater, period=f"{year}-Q1", results_rating="below",
        behaviour_rating="meets",
    )  # fmt: skip
    evaluations.evaluation_rate(
        skp=skp, by=cast.rater, period=f"{year}-Q2", results_rating="meets",
        behaviour_rating="meets",
    )  # fmt: skip
    plan = skp.development_plans.get()
    evaluations.development_action_add(
        plan=plan, by=user, kind="training", description="Pelatihan imunisasi",
        owner="Kepala Puskesmas", due_on=date(year, 12, 20),
    )  # fmt: skip
    return skp


def test_the_page_shows_values_feedback_ratings_and_development(cast, client_for):
    skp = _full_plan(cast)
    response = client_for(cast.employee).get(URL)
    assert response.status_code == 200
    view = response.context["plans"][0]
    assert [str(p) for p in view.periods] == [f"{skp.year}-Q{q}" for q in range(1, 5)]
    first = view.rows[0].cells[0]
    assert first.value.value == Decimal(75) and first.value.source == "manual"
    # 300 children a year is 75 in a quarter: 75 reaches 100 %
    assert first.value.achievement == Decimal("100.00")
    html = response.content.decode()
    assert "TW I" in html
    assert "Bagus 1" in html and "Terima kasih 1" in html
    assert [e.period for e in response.context["ratings"]] == [f"{skp.year}-Q2", f"{skp.year}-Q1"]
    assert "Butuh Perbaikan" in html and "Baik" in html
    assert "Pelatihan imunisasi" in html and "20/12/" in html
    assert response.context["start_form"] is None


def test_a_stream_bound_indicator_shows_its_provenance(cast, client_for, monkeypatch):
    """The values (and who may see them) come from skp.selectors; here a bound value
    is stubbed so that the page's rendering of its provenance is what is tested (the real
    binding is exercised in kinerja/skp/tests/test_view_iki_binding.py)."""
    from kinerja.skp import selectors
    from kinerja.streams.models import MetricBinding, Stream

    approved(cast)
    real = selectors.iki_values_for_periods
    binding = MetricBinding(stream=Stream(code="IMUNISASI"), metric="cases_completed")

    def fake(plan, periods, *, viewer):
        result = real(plan, periods, viewer=viewer)
        for rows in result.values():
            rows[0].iki.binding = binding
            rows[0].source, rows[0].value, rows[0].cases = "stream", Decimal(40), 37
        return result

    monkeypatch.setattr(selectors, "iki_values_for_periods", fake)
    html = client_for(cast.employee).get(URL).content.decode()
    cell = html[html.index('class="provenance provenance-stream"') :][:300]
    assert "IMUNISASI" in cell and binding.get_metric_display() in cell and "37" in cell
    assert "provenance-manual" not in html


def test_the_page_makes_the_same_number_of_queries_for_one_or_eight_results(
    cast, client_for, django_assert_max_num_queries
):
    small = _full_plan(cast, results=1)
    client = client_for(cast.employee)
    client.get(URL)
    with django_assert_max_num_queries(60) as captured:
        response = client.get(URL)
    assert len(response.context["feedback"]) == 1
    bound = len(captured.captured_queries)
    # The same person next year... is not possible for ratings; use the colleague instead.
    big = _full_plan(cast, results=8, who="colleague")
    assert big.results.count() == 8 and small.results.count() == 1
    client = client_for(cast.colleague)
    client.get(URL)
    with django_assert_max_num_queries(bound):
        response = client.get(URL)
    assert len(response.context["feedback"]) == 8
    assert len(response.context["plans"][0].rows) == 16
    assert timezone.localdate().year == big.year


# --- Links to the documents, the ratings and the development plan ----------------------------


def test_my_page_leads_to_the_documents_the_ratings_and_the_development_plan(cast, client_for):
    skp, evaluation = quarter_rated(cast)
    client = client_for(cast.employee)
    html = html_of(client, reverse("evaluations:mine"), year=this_year())
    assert f'href="{reverse("skp:pdf", args=[skp.pk])}"' in html
    assert f'href="{reverse("evaluations:development_open", args=[skp.pk])}"' in html
    row = html[html.index(f'id="rating-{evaluation.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="{reverse("evaluations:rate", args=[skp.pk, evaluation.period])}"' in row
    assert f'href="{reverse("evaluations:pdf", args=[evaluation.pk])}"' in row
    assert client.get(reverse("evaluations:development_open", args=[skp.pk])).status_code == 200


def test_a_value_awaiting_verification_is_marked_and_not_counted(cast, client_for):
    skp = approved(cast)
    iki = skp.results.get().indicators.get(number=1)
    services.realisation_record(iki=iki, period=f"{skp.year}-Q1", value="75", by=cast.employee)
    client = client_for(cast.employee)
    english(client)
    response = client.get(URL)
    first = response.context["plans"][0].rows[0].cells[0]
    assert first.value.value == Decimal(75) and first.value.achievement is None
    html = response.content.decode()
    assert "awaiting verification" in html and "not counted yet" in html
    assert 'class="verify-form"' not in html  # the employee does not verify
