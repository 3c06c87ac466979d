"""The role-result matrix on the rater's own plan (``skp:matrix``): one result handed to many
subordinates (the same target or a volume each), bad choices refused on their field, only the
owner of the plan uses it; others get 404, anonymous visitors sign in; bounded queries."""

from decimal import Decimal

import pytest

from kinerja.skp.models import Rhk, Skp

from .support import approved, draft, english, matrix_url, template_save_url

pytestmark = pytest.mark.django_db


def assign(rhk, employees, volumes=None) -> dict:
    data = {"m-rhk": rhk.pk, "m-employees": [e.pk for e in employees]}
    for employee, volume in (volumes or {}).items():
        data[f"m-volume-{employee.pk}"] = volume
    return data


def test_the_rater_sees_their_results_and_subordinates(cast, client_for):
    skp = draft(cast, "rater")
    response = client_for(cast.rater).get(matrix_url(skp))
    assert response.status_code == 200
    names = [e.name for e, *_rest in response.context["subordinates"]]
    assert names == ["Dewi Lestari, A.Md.Kep", "Siti Aminah, A.Md.Kep"]
    assert 'id="matrix-form"' in response.content.decode()


def test_one_result_is_handed_to_two_subordinates_split_by_volume(cast, client_for):
    skp = draft(cast, "rater")
    result = skp.results.get()
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    data = assign(result, [employee, colleague], {employee: "120", colleague: "180,5"})
    response = client_for(cast.rater).post(matrix_url(skp), data)
    assert response.status_code == 302
    handed = Rhk.objects.filter(supports=result).order_by("skp__employee__name")
    assert [r.skp.employee for r in handed] == [colleague, employee]
    assert [r.indicators.get(number=1).target for r in handed] == [Decimal("180.5"), 120]
    # Only the quantity indicator takes the volume; the range stays.
    assert handed[0].indicators.get(number=2).target_low == 80
    html = client_for(cast.rater).get(matrix_url(skp)).content.decode()
    assert html.count('class="supporter"') == 2


def test_the_same_target_when_no_volume_is_given(cast, client_for):
    skp = draft(cast, "rater")
    result = skp.results.get()
    client_for(cast.rater).post(matrix_url(skp), assign(result, [cast.employees["employee"]]))
    handed = Rhk.objects.get(supports=result)
    assert handed.indicators.get(number=1).target == 300


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"m-employees": []}, "employees"),
        ({"m-rhk": ""}, "rhk"),
        ({"m-rhk": "999999"}, "rhk"),
        ({"m-employees": ["999999"]}, "employees"),
    ],
)
def test_bad_choices_are_refused_on_their_field(cast, client_for, data, field):
    skp = draft(cast, "rater")
    base = assign(skp.results.get(), [cast.employees["employee"]])
    response = client_for(cast.rater).post(matrix_url(skp), {**base, **data})
    assert response.status_code == 400
    assert field in response.context["matrix_form"].errors
    assert not Skp.objects.filter(employee=cast.employees["employee"]).exists()


def test_a_bad_volume_is_refused_naming_the_person_and_nothing_is_stored(cast, client_for):
    skp = draft(cast, "rater")
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    data = assign(skp.results.get(), [employee, colleague], {colleague: "banyak"})
    response = client_for(cast.rater).post(matrix_url(skp), data)
    assert response.status_code == 400
    form = response.context["matrix_form"]  # refused by the form, beside the person's volume
    assert f"volume-{colleague.pk}" in form.errors
    assert "Dewi Lestari" in form[f"volume-{colleague.pk}"].label
    assert not Rhk.objects.exclude(skp=skp).exists()


def test_an_approved_subordinate_plan_refuses_the_result_with_the_reason(cast, client_for):
    skp = draft(cast, "rater")
    approved(cast)
    response = english(client_for(cast.rater)).post(
        matrix_url(skp), assign(skp.results.get(), [cast.employees["employee"]])
    )
    assert response.status_code == 400
    assert "cannot take a new result" in str(response.context["matrix_form"].errors)


@pytest.mark.parametrize("persona", ["rater_superior", "pengelola", "head"])
def test_only_the_owner_of_the_plan_uses_its_matrix(cast, client_for, persona):
    skp = draft(cast, "rater")
    client = client_for(cast.users[persona])
    assert client.get(matrix_url(skp)).status_code == 403
    data = assign(skp.results.get(), [cast.employees["employee"]])
    assert client.post(matrix_url(skp), data).status_code == 403
    assert not Rhk.objects.exclude(skp=skp).exists()


@pytest.mark.parametrize("persona", ["outsider", "colleague", "employee"])
def test_those_who_may_not_see_the_raters_plan_get_404(cast, client_for, persona):
    skp = draft(cast, "rater")
    client = client_for(cast.users[persona])
    assert client.get(matrix_url(skp)).status_code == 404
    assert client.post(template_save_url(skp), {}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = draft(cast, "rater")
    response = client.get(matrix_url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    skp = draft(cast, "rater", results=8)
    client = client_for(cast.rater)
    client.get(matrix_url(skp))
    with django_assert_max_num_queries(25):
        client.get(matrix_url(skp))
