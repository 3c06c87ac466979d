"""The rating screen: everything the rating rests on (indicators with values and provenance,
evidence notes, feedback, peer input, self-assessment, the suggestion with its rule and
numbers), the rater's form, the confirmation before anything is recorded, the day an upcoming
period opens, the predicate afterwards with its corrections, and the curve warnings — with a
bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import DevelopmentPlan, Evaluation
from kinerja.skp import services as skp_services
from kinerja.skp.models import Iki
from kinerja.skp.rules import behaviour_values
from kinerja.skp.tests.factories import approved_plan

from .support import (  # noqa: F401
    PLAN_READERS,
    Q1,
    YEAR,
    build_plan,
    english_pages,
    plan,
    rated,
    text_of,
    with_realisations,
)

pytestmark = pytest.mark.django_db


def url(skp, period=Q1) -> str:
    return reverse("evaluations:rate", args=[skp.pk, period])


def test_the_rater_sees_what_the_rating_rests_on_and_the_suggestion(cast, client_for):
    skp = with_realisations(cast, plan(cast))
    rhk = skp.results.get()
    services.feedback_post(
        skp=skp, by=cast.colleague, text="Sigap di loket", tag="appreciation", rhk=rhk
    )
    value = services.feedback_post(
        skp=skp,
        by=cast.colleague,
        text="Lebih ramah",
        tag="improvement",
        value=behaviour_values(YEAR)[0],
    )
    services.self_assess(skp=skp, by=cast.employee, period=Q1, text="Target pasien terlampaui")
    response = client_for(cast.rater).get(url(skp))
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="rating-form"' in html
    assert "Jumlah pasien yang dilayani" in html and "330" in html
    assert "Rekap loket" in html  # the realisation's note
    assert "entered by the employee" in html
    assert "Sigap di loket" in html and "Lebih ramah" in html
    assert "Target pasien terlampaui" in html
    assert response.context["suggestion"]["rating"] == "meets"
    assert 'data-rating="meets"' in html
    # one main result at 105 % (110 % and 100 %): it meets expectation
    assert "No main result is below expectation." in html
    assert (
        "Only 0 of 1 results are above expectation (&#x27;above&#x27; needs more than half)."
        in html
    )
    assert "capped at 120 %): from 110 % above expectation, from 90 % meets it" in html
    assert value.author_role == "peer"
    block = response.context["value_blocks"][0]
    assert block.input == {"improvement": 1}


@pytest.mark.parametrize("who", [*PLAN_READERS[1:], "employee"])
def test_others_who_see_the_plan_read_the_screen_without_the_form(cast, client_for, who):
    skp = plan(cast)
    response = client_for(cast.users[who]).get(url(skp))
    assert response.status_code == 200
    assert 'id="rating-form"' not in text_of(response)


@pytest.mark.parametrize("who", ["colleague", "outsider", "other_head"])
def test_those_who_may_not_see_the_plan_get_404(cast, client_for, who):
    skp = plan(cast)
    client = client_for(cast.users[who])
    assert client.get(url(skp)).status_code == 404
    post = client.post(url(skp), {"results_rating": "meets", "behaviour_rating": "meets"})
    assert post.status_code == 404
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["employee", "rater_superior", "head", "pengelola", "admin"])
def test_nobody_but_the_rater_may_rate(cast, client_for, who):
    skp = plan(cast)
    response = client_for(cast.users[who]).post(
        url(skp), {"results_rating": "above", "behaviour_rating": "above"}
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = plan(cast)
    response = client.get(url(skp))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_rating_below_and_meets_gives_butuh_perbaikan_and_opens_a_development_plan(
    cast, client_for
):
    skp = with_realisations(cast, plan(cast))
    client = client_for(cast.rater)
    response = client.post(
        url(skp),
        {"results_rating": "below", "behaviour_rating": "meets", "note": "Perbaiki rekam medis",
         "confirm": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(skp=skp, period=Q1)
    assert (evaluation.predicate, evaluation.suggested_results) == ("Butuh Perbaikan", "meets")
    assert evaluation.note == "Perbaiki rekam medis"
    development = DevelopmentPlan.objects.get(skp=skp)
    page = client.get(response["Location"])
    html = text_of(page)
    assert "Butuh Perbaikan" in html
    assert reverse("evaluations:development", args=[development.pk]) in html
    assert 'id="rating-form"' not in html
    assert "(suggested: Meets expectation (Sesuai Ekspektasi))" in html
    assert any("Butuh Perbaikan" in str(m) for m in page.context["messages"])


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"behaviour_rating": "meets"}, "results_rating", "This field is required."),
        (
            {"results_rating": "great", "behaviour_rating": "meets"},
            "results_rating",
            "Select a valid choice. great is not one of the available choices.",
        ),
        (
            {"results_rating": "meets", "behaviour_rating": ""},
            "behaviour_rating",
            "This field is required.",
        ),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_rated(
    cast, client_for, data, field, message
):
    skp = plan(cast)
    response = client_for(cast.rater).post(url(skp), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Evaluation.objects.exists()


def test_a_period_outside_the_agencys_rhythm_is_explained_and_refused(cast, client_for):
    skp = plan(cast)
    client = client_for(cast.rater)
    period = f"{YEAR}-03"
    page = client.get(url(skp, period))
    assert "evaluates quarterly; 03/" in text_of(page)
    response = client.post(
        url(skp, period), {"results_rating": "meets", "behaviour_rating": "meets"}
    )
    assert response.status_code == 200
    assert "evaluates quarterly" in str(response.context["form"].non_field_errors())
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("period", [f"{YEAR + 1}-Q1", f"{YEAR}-Q5", f"{YEAR}-13", "abcd"])
def test_a_period_of_another_year_or_unreadable_is_not_found(cast, client_for, period):
    skp = plan(cast)
    assert client_for(cast.rater).get(f"/penilaian/skp/{skp.pk}/{period}/").status_code == 404


def test_a_period_rated_twice_keeps_the_first_rating(cast, client_for):
    skp = plan(cast)
    rated(cast, skp)
    response = client_for(cast.rater).post(
        url(skp), {"results_rating": "below", "behaviour_rating": "below"}, follow=True
    )
    assert "is already rated" in text_of(response)
    assert Evaluation.objects.get().predicate == "Baik"


def test_the_units_curve_warnings_show_before_and_after_rating_never_blocking(cast, client_for):
    skp = plan(cast)
    other = plan(cast, "colleague")
    services.org_predicate_set(
        unit=skp.unit, period=Q1, predicate="Baik", reason="Capaian PK 96 %", by=cast.rater_superior
    )
    rated(cast, other)  # one Baik: more than 70 % Baik and nobody below
    client = client_for(cast.rater)
    before = text_of(client.get(url(skp)))
    assert 'id="curve-warnings"' in before
    assert "At most 70 % may be Baik (now 100.0 %)." in before
    response = client.post(
        url(skp),
        {"results_rating": "meets", "behaviour_rating": "meets", "confirm": "1"},
        follow=True,
    )
    assert Evaluation.objects.get(skp=skp).predicate == "Baik"
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert "At most 70 % may be Baik (now 100.0 %)." in warnings
    assert 'class="curve-warning"' in text_of(response)


def test_a_unit_head_sees_the_suggestion_from_the_organisation_predicate(cast, client_for):
    head_plan = plan(cast, "rater")  # the head of the Puskesmas, rated by the Kepala Bidang
    services.org_predicate_set(
        unit=head_plan.unit, period=Q1, predicate="Istimewa", by=cast.rater_superior
    )
    response = client_for(cast.rater_superior).get(url(head_plan))
    assert response.context["suggestion"]["basis"] == "organisation"
    assert response.context["suggestion"]["rating"] == "above"
    assert (
        "The results follow the organisation predicate of UPTD Puskesmas Plaju: Istimewa → "
        "Above expectation (Di Atas Ekspektasi)." in text_of(response)
    )


def _busy(cast, skp, messages: int, owner: str, peer: str):
    """Realisations for every indicator, ``messages`` threads with a reply, a self-assessment."""
    for n, iki in enumerate(Iki.objects.filter(rhk__skp=skp)):
        skp_services.realisation_record(
            iki=iki, period=Q1, value=str(80 + n), note="catatan", by=cast.users[owner]
        )
    results = list(skp.results.all())
    for n in range(messages):
        first = services.feedback_post(
            skp=skp,
            by=cast.users[peer] if n % 2 else cast.rater,
            text=f"Umpan balik {n}",
            tag="appreciation",
            rhk=results[n % len(results)],
        )
        services.feedback_post(skp=skp, by=cast.users[owner], text=f"Balasan {n}", parent=first)
    services.self_assess(skp=skp, by=cast.users[owner], period=Q1, text="Catatan diri")


def _queries(client, skp) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(skp))
    assert response.status_code == 200
    return len(queries)


def test_the_screen_makes_the_same_number_of_queries_for_one_or_eight_results(cast, client_for):
    small = build_plan(cast, 1)
    big = build_plan(cast, 8, who="colleague")
    _busy(cast, small, 1, "employee", "colleague")
    _busy(cast, big, 8, "colleague", "employee")
    client = client_for(cast.rater)
    client.get(url(small))  # warm the session and caches alike
    few, many = _queries(client, small), _queries(client, big)
    assert few == many
    assert many <= 45


# --- The suggestion's part (evaluations/_suggestion.html) and the unit head's fixed results ---


def test_the_suggestion_explains_itself_one_sentence_per_rule(cast, client_for):
    skp = with_realisations(cast, plan(cast), count="210", quality="85")  # 70 % and 100 %
    html = text_of(client_for(cast.rater).get(url(skp)))
    assert 'id="suggestion-reasons"' in html
    assert "1 of 1 main results is below expectation (more than the 25 % allowed" in html
    assert 'class="suggestion-result" data-kind="utama" data-rating="below"' in html
    assert "85 %" in html  # the result's achievement: the mean of 70 % and 100 %


def test_a_suggestion_stored_before_the_definitions_still_shows(cast, client_for):
    skp = with_realisations(cast, plan(cast))
    evaluation = rated(cast, skp)
    old = {
        "rating": "meets", "mean_pct": "105.00", "measured": 2, "indicators": 2,
        "above_from": "110.00", "meets_from": "90.00", "cap": "120", "basis": "achievement",
    }  # fmt: skip
    Evaluation.objects.filter(pk=evaluation.pk).update(suggestion=old)
    response = client_for(cast.rater).get(url(skp))
    html = text_of(response)
    assert response.status_code == 200
    assert "Mean achievement 105 % over 2 of 2 indicators measured." in html
    assert 'id="suggestion-reasons"' not in html


def test_a_value_on_too_few_cases_says_so_and_is_not_used(cast, client_for, monkeypatch):
    """The stream value is stubbed (the real binding: skp/tests/test_view_iki_binding.py)."""
    from decimal import Decimal

    from kinerja.skp import selectors

    skp = with_realisations(cast, plan(cast))
    real = selectors.iki_values_for_periods

    def fake(plan, periods, *, viewer):
        result = real(plan, periods, viewer=viewer)
        for rows in result.values():
            rows[0].source, rows[0].value, rows[0].cases = "stream", Decimal(40), 19
        return result

    monkeypatch.setattr(selectors, "iki_values_for_periods", fake)
    response = client_for(cast.rater).get(url(skp))
    html = text_of(response)
    assert "too few cases (19 of 20)" in html
    assert response.context["suggestion"]["indicators_detail"][0]["too_few"] is True
    assert "is not used: too few cases (19 of 20)." in html


def test_a_unit_heads_results_rating_is_fixed_on_the_form_with_the_reason(cast, client_for):
    head_plan = plan(cast, "rater")
    services.org_predicate_set(
        unit=head_plan.unit, period=Q1, predicate="Baik", by=cast.rater_superior
    )
    client = client_for(cast.rater_superior)
    response = client.get(url(head_plan))
    field = response.context["form"].fields["results_rating"]
    assert (field.disabled, field.initial) == (True, "meets")
    assert "organisation predicate of UPTD Puskesmas Plaju: Baik → Meets expectation" in (
        text_of(response)
    )
    # whatever is sent, the results rating is the organisation predicate's
    sent = {"results_rating": "above", "behaviour_rating": "above"}
    client.post(url(head_plan), sent)  # the summary to confirm: nothing stored yet
    assert not Evaluation.objects.filter(skp=head_plan).exists()
    client.post(url(head_plan), {**sent, "confirm": "1"})
    assert Evaluation.objects.get(skp=head_plan).results_rating == "meets"


def test_a_unit_head_waits_for_the_organisation_predicate(cast, client_for):
    head_plan = plan(cast, "rater")
    client = client_for(cast.rater_superior)
    response = client.post(url(head_plan), {"behaviour_rating": "meets"})
    assert response.status_code == 200
    assert "Set the organisation predicate of UPTD Puskesmas Plaju for TW I" in text_of(response)
    assert not Evaluation.objects.exists()


# --- Confirmation and the period's life -----------------------------------------------------------


def test_the_first_post_shows_what_will_be_recorded_and_stores_nothing(cast, client_for):
    skp = plan(cast)
    client = client_for(cast.rater)
    data = {"results_rating": "below", "behaviour_rating": "meets", "note": "Perbaiki"}
    response = client.post(url(skp), data)
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="confirm-form"' in html and 'name="confirm" value="1"' in html
    assert (
        "You are about to record: results Below expectation (Di Bawah Ekspektasi), behaviour "
        "Meets expectation (Sesuai Ekspektasi), predicate Butuh Perbaikan." in html
    )
    assert "Once recorded, the rating can only be changed by a correction." in html
    assert 'type="hidden" name="note" value="Perbaiki"' in html
    assert not Evaluation.objects.exists()
    back = client.post(url(skp), {**data, "confirm": "1", "back": "1"})
    assert 'id="rating-form"' in text_of(back) and 'id="confirm-form"' not in text_of(back)
    assert back.context["form"]["note"].value() == "Perbaiki"
    assert not Evaluation.objects.exists()
    assert client.post(url(skp), {**data, "confirm": "1"}).status_code == 302
    assert Evaluation.objects.get().predicate == "Butuh Perbaikan"


def test_an_upcoming_period_says_when_rating_opens_and_offers_no_form(cast, client_for):
    year = timezone.localdate().year  # the year's rating opens on 1 January next
    skp = approved_plan(cast, year=year)
    client = client_for(cast.rater)
    html = text_of(client.get(url(skp, str(year))))
    assert f"Rating of {year} opens on 01/01/{year + 1}." in html
    assert 'id="rating-form"' not in html
    data = {"results_rating": "meets", "behaviour_rating": "meets", "confirm": "1"}
    response = client.post(url(skp, str(year)), data, follow=True)
    assert f"Rating of {year} opens on 01/01/{year + 1}." in text_of(response)
    assert not Evaluation.objects.exists()


def test_the_rating_shows_its_corrections_and_the_link_to_correct(cast, client_for):
    skp = plan(cast)  # last year's: TW I is past its deadline, the rater's superior corrects
    evaluation = rated(cast, skp)
    services.evaluation_correct(
        evaluation=evaluation, by=cast.rater_superior, results_rating="above",
        behaviour_rating="above", reason="Data Maret terlambat masuk",
    )  # fmt: skip
    superior = text_of(client_for(cast.rater_superior).get(url(skp)))
    assert reverse("evaluations:correction", args=[evaluation.pk]) in superior
    assert (
        "Earlier rating: results Meets expectation (Sesuai Ekspektasi), behaviour Meets "
        "expectation (Sesuai Ekspektasi), predicate Baik; corrected by" in superior
    )
    assert "Data Maret terlambat masuk" in superior
    employee = text_of(client_for(cast.employee).get(url(skp)))
    assert "Data Maret terlambat masuk" in employee
    assert 'id="correction-link"' not in employee
    assert 'id="correction-link"' not in text_of(client_for(cast.rater).get(url(skp)))


@pytest.mark.parametrize(("who", "linked"), [("rater", True), ("employee", False)])
def test_the_curve_monitor_is_linked_only_for_who_may_open_it(cast, client_for, who, linked):
    skp = plan(cast)
    services.org_predicate_set(
        unit=skp.unit, period=Q1, predicate="Baik", reason="Capaian PK 96 %", by=cast.rater_superior
    )
    rated(cast, plan(cast, "colleague"))
    client = client_for(cast.users[who])
    html = text_of(client.get(url(skp)))
    assert 'id="curve-warnings"' in html
    assert ('id="curve-monitor-link"' in html) is linked
    monitor = reverse("evaluations:unit", args=[skp.unit.code, Q1])
    assert client.get(monitor).status_code == (200 if linked else 403)
