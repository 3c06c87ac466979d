"""The employee's self-assessment for a period, written before the rating and read by the rater
on the rating screen."""

import pytest
from django.urls import reverse

from kinerja.evaluations.models import SelfAssessment

from .support import PLAN_READERS, Q1, YEAR, english_pages, plan, rated, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def url(skp, period=Q1) -> str:
    return reverse("evaluations:self_assessment", args=[skp.pk, period])


def test_the_employee_writes_and_changes_the_self_assessment(cast, client_for):
    skp = plan(cast)
    client = client_for(cast.employee)
    assert client.get(url(skp)).status_code == 200
    data = {"text": "Target tercapai", "results_rating": "meets", "behaviour_rating": ""}
    response = client.post(url(skp), data)
    assert response.status_code == 302
    client.post(url(skp), {**data, "text": "Target terlampaui"})
    row = SelfAssessment.objects.get()
    assert (row.period, row.text, row.results_rating, row.behaviour_rating) == (
        Q1,
        "Target terlampaui",
        "meets",
        "",
    )
    assert "Target terlampaui" in text_of(
        client_for(cast.rater).get(reverse("evaluations:rate", args=[skp.pk, Q1]))
    )


@pytest.mark.parametrize("who", PLAN_READERS)
def test_only_the_employee_assesses_themselves(cast, client_for, who):
    skp = plan(cast)
    client = client_for(cast.users[who])
    assert client.get(url(skp)).status_code == 403
    assert client.post(url(skp), {"text": "x"}).status_code == 403
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_outsiders_get_404(cast, client_for, who):
    skp = plan(cast)
    assert client_for(cast.users[who]).get(url(skp)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(url(plan(cast)))
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"text": ""}, "text", "This field is required."),
        (
            {"text": "Baik", "results_rating": "super"},
            "results_rating",
            "Select a valid choice. super is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_named_on_its_field(cast, client_for, data, field, message):
    response = client_for(cast.employee).post(url(plan(cast)), data)
    assert response.context["form"].errors[field] == [message]
    assert not SelfAssessment.objects.exists()


def test_a_rated_period_takes_no_more_self_assessment(cast, client_for):
    skp = plan(cast)
    rated(cast, skp)
    client = client_for(cast.employee)
    assert 'id="self-rated"' in text_of(client.get(url(skp)))
    response = client.post(url(skp), {"text": "Terlambat"})
    assert "This period is already rated." in str(response.context["form"].non_field_errors())
    assert not SelfAssessment.objects.exists()


def test_a_period_of_another_year_is_not_found(cast, client_for):
    assert client_for(cast.employee).get(url(plan(cast), f"{YEAR - 1}-Q1")).status_code == 404
