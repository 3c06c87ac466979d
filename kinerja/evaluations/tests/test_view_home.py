"""The evaluation overview: the people I rate with their periods (predicate or deadline),
objections for me to decide, my own evaluation, and the monitors for those who lead."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.skp.models import SkpCalendar
from kinerja.skp.tests.factories import approved_plan

from .support import ANNUAL, Q1, YEAR, english_pages, plan, rated, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def url() -> str:
    return reverse("evaluations:home") + f"?year={YEAR}"


def test_a_rater_sees_the_people_he_rates_with_predicates_and_deadlines(cast, client_for):
    skp = plan(cast)
    rated(cast, skp, results="below", behaviour="meets")
    response = client_for(cast.rater).get(url())
    row = response.context["rows"][0]
    assert row.skp == skp
    assert [c.period.label for c in row.cells] == [
        f"TW {r} {YEAR}" for r in ["I", "II", "III", "IV"]
    ]
    assert row.cells[0].evaluation.predicate == "Butuh Perbaikan"
    assert row.cells[1].deadline.strftime("%d/%m/%Y") == f"05/07/{YEAR}"
    assert row.annual.deadline.strftime("%d/%m/%Y") == f"31/01/{YEAR + 1}"
    html = text_of(response)
    assert "Siti Aminah, A.Md.Kep" in html and "Butuh Perbaikan" in html
    # last year's second quarter is long past: not rated, shown without alarm (issue 11)
    assert row.cells[1].missed and not row.cells[1].to_rate
    assert f'id="cell-{skp.pk}-{YEAR}-Q2"' in html
    assert f"by 05/07/{YEAR}" not in html
    assert "to-rate" not in html
    assert reverse("evaluations:rate", args=[skp.pk, Q1]) in html
    assert 'id="completion-link"' in html


def test_the_raters_superior_sees_the_objections_to_decide(cast, client_for):
    evaluation = rated(cast, plan(cast), ANNUAL)
    objection = services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Belum lengkap"
    )
    html = text_of(client_for(cast.rater_superior).get(url()))
    assert f'id="pending-objection-{objection.pk}"' in html


def test_the_employee_sees_her_periods_self_assessment_and_objection(cast, client_for):
    skp = plan(cast)
    rated(cast, skp, ANNUAL)
    html = text_of(client_for(cast.employee).get(url()))
    assert reverse("evaluations:self_assessment", args=[skp.pk, Q1]) in html
    assert 'id="my-objection-link"' in html
    assert 'id="rated-people"' not in html


@pytest.mark.parametrize("who", ["head", "pengelola"])
def test_heads_and_administrators_get_the_monitors(cast, client_for, who):
    html = text_of(client_for(cast.users[who]).get(url()))
    assert (
        'id="completion-link"' in html and 'id="rhythm-link"' in html and 'id="curve-form"' in html
    )


def test_the_leader_above_a_unit_gets_its_curve(cast, client_for):
    html = text_of(client_for(cast.rater_superior).get(url()))
    assert "?unit=DINKES-PKM-PLAJU" in html


def test_an_outsider_sees_nothing_of_dinkes(cast, client_for):
    plan(cast)
    response = client_for(cast.outsider).get(url())
    assert response.status_code == 200
    html = text_of(response)
    assert "Siti Aminah" not in html and "DINKES" not in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(url())["Location"].startswith(reverse("accounts:login"))


def test_a_period_not_open_yet_says_when_rating_opens(cast, client_for):
    year = timezone.localdate().year  # the year's rating opens on 1 January next
    approved_plan(cast, year=year)
    response = client_for(cast.rater).get(reverse("evaluations:home") + f"?year={year}")
    annual = response.context["rows"][0].annual
    assert annual.opens_on.strftime("%d/%m/%Y") == f"01/01/{year + 1}"
    assert f"rating opens 01/01/{year + 1}" in text_of(response)


def test_only_a_period_open_for_rating_now_is_shown_as_the_raters_work(cast, client_for):
    today = timezone.localdate()
    # this year's calendar opens each period's rating 200 days early: the current quarter is
    # open for rating whatever the day
    SkpCalendar.objects.update_or_create(
        valid_from=today.year, defaults={"rating_opens_days_before": 200}
    )
    skp = approved_plan(cast, year=today.year)
    response = client_for(cast.rater).get(reverse("evaluations:home") + f"?year={today.year}")
    cells = response.context["rows"][0].cells
    [current] = [c for c in cells if c.period.start <= today <= c.period.end]
    assert current.to_rate and not current.missed
    assert all(not c.to_rate for c in cells if c is not current and c.period.end < today)
    html = text_of(response)
    assert f'class="period-cell to-rate" href="/penilaian/skp/{skp.pk}/{current.period}/"' in html
