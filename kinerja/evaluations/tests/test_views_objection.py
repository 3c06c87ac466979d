"""The objection to the annual predicate: filed by the employee within the objection period
(the deadline shown), decided by the rater's superior (upheld, or changed with new ratings and
reasons); late or repeated objections get a clear message."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation, Objection

from .test_views_support import ANNUAL, english_pages, plan, rated, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def annual(cast, **kw) -> Evaluation:
    return rated(cast, plan(cast), ANNUAL, results="below", behaviour="meets", **kw)


def file_url(evaluation) -> str:
    return reverse("evaluations:objection_file", args=[evaluation.pk])


def url(objection) -> str:
    return reverse("evaluations:objection", args=[objection.pk])


def filed(cast, evaluation) -> Objection:
    return services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Data Desember belum masuk"
    )


def test_the_employee_sees_the_deadline_and_files_an_objection(cast, client_for):
    evaluation = annual(cast)
    client = client_for(cast.employee)
    page = client.get(file_url(evaluation))
    deadline = (timezone.localtime(evaluation.delivered_at).date() + timedelta(days=14)).strftime(
        "%d/%m/%Y"
    )
    assert f"{deadline} (14 days after receiving the predicate)" in text_of(page)
    response = client.post(
        file_url(evaluation),
        {"reason": "Realisasi Desember belum dihitung", "evidence": "Rekap loket"},
    )
    objection = Objection.objects.get()
    assert response["Location"] == url(objection)
    assert (objection.reason, objection.evidence, objection.decider) == (
        "Realisasi Desember belum dihitung",
        "Rekap loket",
        cast.employees["rater_superior"],
    )
    assert "Awaiting the decision" in text_of(client.get(url(objection)))


def test_a_late_objection_gets_the_date_the_period_ended(cast, client_for):
    received = timezone.now() - timedelta(days=20)
    evaluation = annual(cast, now=received)
    client = client_for(cast.employee)
    deadline = (timezone.localtime(received).date() + timedelta(days=14)).strftime("%d/%m/%Y")
    assert f"The objection period ended on {deadline}" in text_of(client.get(file_url(evaluation)))
    response = client.post(file_url(evaluation), {"reason": "Terlambat"})
    assert f"The objection period ended on {deadline}" in str(
        response.context["form"].non_field_errors()
    )
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused(cast, client_for):
    evaluation = annual(cast)
    objection = filed(cast, evaluation)
    response = client_for(cast.employee).post(file_url(evaluation), {"reason": "Lagi"}, follow=True)
    assert "You have already objected to this predicate; the decision is final." in text_of(
        response
    )
    assert response.redirect_chain[-1][0] == url(objection)
    assert Objection.objects.count() == 1


def test_a_periodic_rating_takes_no_objection(cast, client_for):
    evaluation = rated(cast, plan(cast))
    page = client_for(cast.employee).get(file_url(evaluation))
    assert "An objection concerns the annual predicate only." in text_of(page)


@pytest.mark.parametrize("who", ["rater", "rater_superior", "head", "pengelola"])
def test_only_the_employee_files(cast, client_for, who):
    evaluation = annual(cast)
    assert (
        client_for(cast.users[who]).post(file_url(evaluation), {"reason": "x"}).status_code == 403
    )
    assert not Objection.objects.exists()


def test_the_raters_superior_changes_the_predicate_with_reasons(cast, client_for):
    objection = filed(cast, annual(cast))
    client = client_for(cast.rater_superior)
    assert 'id="decision-form"' in text_of(client.get(url(objection)))
    response = client.post(
        url(objection),
        {
            "outcome": "changed",
            "reason": "Data Desember lengkap",
            "results_rating": "meets",
            "behaviour_rating": "meets",
        },
        follow=True,
    )
    html = text_of(response)
    assert "The predicate has been changed to Baik; it is now final." in html
    assert 'id="decision-predicate"' in html and "Data Desember lengkap" in html
    evaluation = Evaluation.objects.get()
    assert (evaluation.predicate, evaluation.state) == ("Baik", "final")


def test_the_raters_superior_upholds_the_predicate(cast, client_for):
    objection = filed(cast, annual(cast))
    response = client_for(cast.rater_superior).post(
        url(objection), {"outcome": "upheld", "reason": "Data sudah lengkap"}, follow=True
    )
    assert "The predicate Butuh Perbaikan has been upheld; it is now final." in text_of(response)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"outcome": "upheld", "reason": ""}, "reason", "This field is required."),
        (
            {
                "outcome": "changed",
                "reason": "Ubah",
                "results_rating": "",
                "behaviour_rating": "meets",
            },
            "results_rating",
            "Choose above, meets or below.",
        ),
        (
            {
                "outcome": "changed",
                "reason": "Ubah",
                "results_rating": "below",
                "behaviour_rating": "meets",
            },
            "results_rating",
            "A changed predicate needs other ratings; otherwise uphold it.",
        ),
        (
            {"outcome": "maybe", "reason": "x"},
            "outcome",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
    ],
)
def test_a_bad_decision_is_named_on_its_field_and_nothing_changes(
    cast, client_for, data, field, message
):
    objection = filed(cast, annual(cast))
    response = client_for(cast.rater_superior).post(url(objection), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    objection.refresh_from_db()
    assert not objection.decided


@pytest.mark.parametrize("who", ["rater", "employee", "head", "pengelola", "admin"])
def test_only_the_raters_superior_decides(cast, client_for, who):
    objection = filed(cast, annual(cast))
    client = client_for(cast.users[who])
    assert client.get(url(objection)).status_code == 200
    assert client.post(url(objection), {"outcome": "upheld", "reason": "x"}).status_code == 403
    objection.refresh_from_db()
    assert not objection.decided


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_outsiders_get_404(cast, client_for, who):
    evaluation = annual(cast)
    objection = filed(cast, evaluation)
    client = client_for(cast.users[who])
    assert client.get(url(objection)).status_code == 404
    assert client.get(file_url(evaluation)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    objection = filed(cast, annual(cast))
    assert client.get(url(objection))["Location"].startswith(reverse("accounts:login"))


def test_a_decided_objection_is_final(cast, client_for):
    objection = filed(cast, annual(cast))
    services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="upheld", reason="Tetap"
    )
    response = client_for(cast.rater_superior).post(
        url(objection), {"outcome": "changed", "reason": "x"}, follow=True
    )
    assert "This objection is already decided; the decision is final." in text_of(response)
    assert Evaluation.objects.get().predicate == "Butuh Perbaikan"
