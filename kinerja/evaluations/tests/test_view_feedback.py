"""The feedback page of a plan: threads per work result and per BerAKHLAK value; the rater,
peers and subordinates write, the employee replies; peers reach the page without seeing the
plan's targets."""

import pytest
from django.urls import reverse

from kinerja.evaluations import services
from kinerja.evaluations.models import Feedback
from kinerja.skp import services as skp_services
from kinerja.skp.rules import behaviour_values

from .support import YEAR, english_pages, plan, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def url(skp) -> str:
    return reverse("evaluations:feedback", args=[skp.pk])


def post(skp, rhk=None, value=None, tag="appreciation", text="Sigap melayani pasien"):
    about = f"rhk-{rhk.pk}" if rhk is not None else f"value-{value.pk}"
    return {"action": "post", "fb-about": about, "fb-tag": tag, "fb-text": text}


def test_a_peer_sees_only_the_results_and_values_and_gives_feedback(cast, client_for):
    skp = plan(cast)
    rhk = skp.results.get()
    client = client_for(cast.colleague)
    page = client.get(url(skp))
    assert page.status_code == 200
    html = text_of(page)
    assert "Terlaksananya asuhan keperawatan pasien rawat jalan" in html
    assert "Jumlah pasien yang dilayani" not in html  # no indicator, target or realisation
    assert 'id="limited-view"' in html
    assert behaviour_values(YEAR)[0].name in html
    response = client.post(url(skp), post(skp, rhk=rhk, tag="improvement", text="Lebih teliti"))
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (item.author_role, item.tag, item.rhk, item.text) == (
        "peer",
        "improvement",
        rhk,
        "Lebih teliti",
    )
    assert "Lebih teliti" in text_of(client.get(url(skp)))


def test_a_peer_does_not_read_the_threads_others_started(cast, client_for):
    skp = plan(cast)
    services.feedback_post(
        skp=skp, by=cast.rater, text="Catatan atasan", tag="improvement", rhk=skp.results.get()
    )
    html = text_of(client_for(cast.colleague).get(url(skp)))
    assert "Catatan atasan" not in html
    assert "Catatan atasan" in text_of(client_for(cast.employee).get(url(skp)))


def test_feedback_on_a_value_and_the_employees_reply(cast, client_for):
    skp = plan(cast)
    value = behaviour_values(YEAR)[2]
    client_for(cast.rater).post(url(skp), post(skp, value=value, text="Kolaborasi baik"))
    root = Feedback.objects.get()
    assert (root.author_role, root.value) == ("rater", value)
    client = client_for(cast.employee)
    page = text_of(client.get(url(skp)))
    assert 'id="feedback-form"' not in page  # the employee replies, never starts a thread
    assert f'id="reply-form-{root.pk}"' in page
    response = client.post(
        url(skp), {"action": "reply", "parent": root.pk, f"r{root.pk}-text": "Terima kasih"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#thread-{root.pk}")
    reply = Feedback.objects.get(parent=root)
    assert (reply.author_role, reply.value, reply.text) == ("employee", value, "Terima kasih")


def test_a_subordinate_gives_feedback_on_the_raters_plan(cast, client_for):
    skp = plan(cast, "rater")
    client = client_for(cast.employee)
    assert client.get(url(skp)).status_code == 200
    client.post(url(skp), post(skp, rhk=skp.results.get(), text="Arahan jelas"))
    assert Feedback.objects.get().author_role == "subordinate"


def test_the_employee_may_not_start_a_thread(cast, client_for):
    skp = plan(cast)
    response = client_for(cast.employee).post(url(skp), post(skp, rhk=skp.results.get()))
    assert response.status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("who", ["head", "pengelola", "admin", "auditor"])
def test_readers_without_standing_read_but_may_not_write(cast, client_for, who):
    skp = plan(cast)
    client = client_for(cast.users[who])
    page = client.get(url(skp))
    assert page.status_code == 200
    assert 'id="feedback-form"' not in text_of(page)
    assert client.post(url(skp), post(skp, rhk=skp.results.get())).status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_head"])
def test_outsiders_get_404(cast, client_for, who):
    skp = plan(cast)
    client = client_for(cast.users[who])
    assert client.get(url(skp)).status_code == 404
    assert client.post(url(skp), post(skp, rhk=skp.results.get())).status_code == 404


def test_a_peer_may_not_reply_in_a_thread_he_cannot_see(cast, client_for):
    skp = plan(cast)
    root = services.feedback_post(
        skp=skp, by=cast.rater, text="Rahasia", tag="improvement", rhk=skp.results.get()
    )
    response = client_for(cast.colleague).post(
        url(skp), {"action": "reply", "parent": root.pk, f"r{root.pk}-text": "Ikut"}
    )
    assert response.status_code == 404
    assert Feedback.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = plan(cast)
    response = client.get(url(skp))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"fb-text": "  "}, "text", "This field is required."),
        (
            {"fb-tag": "praise"},
            "tag",
            "Select a valid choice. praise is not one of the available choices.",
        ),
        (
            {"fb-about": "rhk-999999"},
            "about",
            "Select a valid choice. rhk-999999 is not one of the available choices.",
        ),
    ],
)
def test_bad_feedback_is_named_on_its_field(cast, client_for, change, field, message):
    skp = plan(cast)
    data = {**post(skp, rhk=skp.results.get()), **change}
    response = client_for(cast.rater).post(url(skp), data)
    assert response.status_code == 200
    assert response.context["post_form"].errors[field] == [message]
    assert not Feedback.objects.exists()


def test_feedback_on_a_draft_plan_is_refused_with_the_reason(cast, client_for):
    skp = skp_services.skp_create(
        employee=cast.employees["employee"], year=YEAR, approach="kuantitatif", by=cast.employee
    )
    skp_services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Hasil",
        indicators=[{"aspect": "kuantitas", "text": "Jumlah", "target": "10", "unit": "dokumen"}],
    )
    response = client_for(cast.colleague).post(url(skp), post(skp, rhk=skp.results.get()))
    assert response.status_code == 200
    assert response.context["post_form"].errors["text"] == [
        "Feedback starts once the plan has been submitted."
    ]
    assert not Feedback.objects.exists()


def test_a_reply_works_once_ids_have_four_digits_in_the_indonesian_format(cast, client_for):
    """Ids are written without the Indonesian thousands separator: a reply form that posted
    "12.345" as its parent would be refused."""
    import re

    skp = plan(cast)
    value = behaviour_values(YEAR)[0]
    client_for(cast.rater).post(url(skp), post(skp, value=value, text="Ramah"))
    Feedback.objects.update(id=12345)
    client = client_for(cast.employee)
    page = client.get(url(skp), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="thread-12345"' in page and "12.345" not in page
    parent = re.search(r'name="parent" value="([^"]+)"', page)[1]
    response = client.post(url(skp), {"action": "reply", "parent": parent, "r12345-text": "Siap"})
    assert response.status_code == 302
    assert Feedback.objects.get(parent_id=12345).text == "Siap"
