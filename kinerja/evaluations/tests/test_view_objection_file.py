"""Filing an objection to the annual predicate (``evaluations:objection_file``): the employee
sees the deadline of the objection period and files; a late, a second or a periodic rating's
objection gets a clear message; only the employee files."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinerja.evaluations.models import Objection

from .support import (  # noqa: F401
    annual_rating,
    english_pages,
    objection_file_url,
    objection_filed,
    objection_url,
    plan,
    rated,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_the_employee_sees_the_deadline_and_files_an_objection(cast, client_for):
    evaluation = annual_rating(cast)
    client = client_for(cast.employee)
    page = client.get(objection_file_url(evaluation))
    deadline = (timezone.localtime(evaluation.delivered_at).date() + timedelta(days=14)).strftime(
        "%d/%m/%Y"
    )
    assert f"{deadline} (14 days after receiving the predicate)" in text_of(page)
    response = client.post(
        objection_file_url(evaluation),
        {"reason": "Realisasi Desember belum dihitung", "evidence": "Rekap loket"},
    )
    objection = Objection.objects.get()
    assert response["Location"] == objection_url(objection)
    assert (objection.reason, objection.evidence, objection.decider) == (
        "Realisasi Desember belum dihitung",
        "Rekap loket",
        cast.employees["rater_superior"],
    )
    assert "Awaiting the decision" in text_of(client.get(objection_url(objection)))


def test_a_late_objection_gets_the_date_the_period_ended(cast, client_for):
    received = timezone.now() - timedelta(days=20)
    evaluation = annual_rating(cast, now=received)
    client = client_for(cast.employee)
    deadline = (timezone.localtime(received).date() + timedelta(days=14)).strftime("%d/%m/%Y")
    assert f"The objection period ended on {deadline}" in text_of(
        client.get(objection_file_url(evaluation))
    )
    response = client.post(objection_file_url(evaluation), {"reason": "Terlambat"})
    assert f"The objection period ended on {deadline}" in str(
        response.context["form"].non_field_errors()
    )
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused(cast, client_for):
    evaluation = annual_rating(cast)
    objection = objection_filed(cast, evaluation)
    response = client_for(cast.employee).post(
        objection_file_url(evaluation), {"reason": "Lagi"}, follow=True
    )
    assert "You have already objected to this predicate; the decision is final." in text_of(
        response
    )
    assert response.redirect_chain[-1][0] == objection_url(objection)
    assert Objection.objects.count() == 1


def test_a_periodic_rating_takes_no_objection(cast, client_for):
    evaluation = rated(cast, plan(cast))
    page = client_for(cast.employee).get(objection_file_url(evaluation))
    assert "An objection concerns the annual predicate only." in text_of(page)


@pytest.mark.parametrize("who", ["rater", "rater_superior", "head", "pengelola"])
def test_only_the_employee_files(cast, client_for, who):
    evaluation = annual_rating(cast)
    assert (
        client_for(cast.users[who])
        .post(objection_file_url(evaluation), {"reason": "x"})
        .status_code
        == 403
    )
    assert not Objection.objects.exists()
