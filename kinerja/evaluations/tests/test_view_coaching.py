"""A coaching item's page (``evaluations:coaching``): the rater (or the rater's superior) sees
the data with their provenance and the pre-filled message, edits and sends it, adds a
development action or dismisses the item; the employee and others may not open it; what was
done shows once answered."""

import pytest
from django.urls import reverse

from kinerja.evaluations.models import CoachingItem, Feedback

from .coaching_support import open_item
from .support import english_pages  # noqa: F401

pytestmark = pytest.mark.django_db


def url(item) -> str:
    return reverse("evaluations:coaching", args=[item.pk])


@pytest.mark.parametrize("who", ["rater", "rater_superior"])
def test_the_rater_sees_the_data_and_the_prefilled_message(cast, client_for, who):
    item = open_item(cast)
    response = client_for(cast.users[who]).get(url(item))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="coaching-feedback-form"' in page
    message = response.context["forms"]["feedback"].initial["text"]
    assert "Jumlah pasien yang dilayani" in message
    assert "200" in message and "300" in message and "66.67" in message  # English page
    assert response.context["forms"]["feedback"].initial["rhk"] == item.iki.rhk_id


def test_the_rater_sends_the_edited_message(cast, client_for):
    item = open_item(cast)
    response = client_for(cast.rater).post(
        url(item),
        {"action": "feedback", "fb-text": "Kita bahas Senin, ya.", "fb-rhk": item.iki.rhk_id},
    )
    assert response.status_code == 302 and response["Location"] == url(item)
    item.refresh_from_db()
    assert item.state == "feedback_sent"
    assert Feedback.objects.get(pk=item.feedback_id).text == "Kita bahas Senin, ya."
    page = client_for(cast.rater).get(url(item)).content.decode()
    assert 'id="coaching-done"' in page and "Kita bahas Senin, ya." in page
    assert 'id="coaching-feedback-form"' not in page


def test_the_rater_adds_a_development_action(cast, client_for):
    item = open_item(cast)
    response = client_for(cast.rater).post(
        url(item),
        {
            "action": "development", "dev-goal": "Kembali ke target", "dev-kind": "coaching",
            "dev-description": "Pendampingan mingguan", "dev-owner": "dr. Ahmad Fauzi",
            "dev-due_on": "31/01/2027",
        },
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.development_action.description == "Pendampingan mingguan"


def test_dismissing_without_a_reason_shows_the_error_on_the_form(cast, client_for):
    item = open_item(cast)
    response = client_for(cast.rater).post(url(item), {"action": "dismiss", "dis-reason": ""})
    assert response.status_code == 200
    assert response.context["forms"]["dismiss"].errors["reason"]
    assert response.context["active"] == "dismiss"
    assert CoachingItem.objects.get(pk=item.pk).state == "open"


@pytest.mark.parametrize(
    ("who", "status"), [("employee", 403), ("auditor", 403), ("outsider", 404)]
)
def test_others_may_not_open_it(cast, client_for, who, status):
    item = open_item(cast)
    client = client_for(cast.users[who])
    assert client.get(url(item)).status_code == status
    assert client.post(url(item), {"action": "dismiss", "dis-reason": "x"}).status_code == status
    assert CoachingItem.objects.get(pk=item.pk).state == "open"


def test_the_evaluation_home_lists_the_items_the_rater_must_answer(cast, client_for):
    item = open_item(cast)
    home = reverse("evaluations:home")
    page = client_for(cast.rater).get(home).content.decode()
    assert f'href="{url(item)}"' in page and f'id="coaching-item-{item.pk}"' in page
    assert 'id="coaching-to-act"' not in client_for(cast.rater_superior).get(home).content.decode()
