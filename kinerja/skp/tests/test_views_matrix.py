"""The role-result matrix on the rater's own plan: one result handed to many subordinates (the
same target or a volume each), and templates per subordinate position."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import ResultTemplate, Rhk, Skp

from .test_views_support import approved, draft, english

pytestmark = pytest.mark.django_db


def url(skp) -> str:
    return reverse("skp:matrix", args=[skp.pk])


def save_url(skp) -> str:
    return reverse("skp:template_save", args=[skp.pk])


def apply_url(skp, template) -> str:
    return reverse("skp:template_apply", args=[skp.pk, template.pk])


def assign(rhk, employees, volumes=None) -> dict:
    data = {"m-rhk": rhk.pk, "m-employees": [e.pk for e in employees]}
    for employee, volume in (volumes or {}).items():
        data[f"m-volume-{employee.pk}"] = volume
    return data


def test_the_rater_sees_their_results_and_subordinates(cast, client_for):
    skp = draft(cast, "rater")
    response = client_for(cast.rater).get(url(skp))
    assert response.status_code == 200
    names = [e.name for e, *_rest in response.context["subordinates"]]
    assert names == ["Dewi Lestari, A.Md.Kep", "Siti Aminah, A.Md.Kep"]
    assert 'id="matrix-form"' in response.content.decode()


def test_one_result_is_handed_to_two_subordinates_split_by_volume(cast, client_for):
    skp = draft(cast, "rater")
    result = skp.results.get()
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    data = assign(result, [employee, colleague], {employee: "120", colleague: "180,5"})
    response = client_for(cast.rater).post(url(skp), data)
    assert response.status_code == 302
    handed = Rhk.objects.filter(supports=result).order_by("skp__employee__name")
    assert [r.skp.employee for r in handed] == [colleague, employee]
    assert [r.indicators.get(number=1).target for r in handed] == [Decimal("180.5"), 120]
    # Only the quantity indicator takes the volume; the range stays.
    assert handed[0].indicators.get(number=2).target_low == 80
    html = client_for(cast.rater).get(url(skp)).content.decode()
    assert html.count('class="supporter"') == 2


def test_the_same_target_when_no_volume_is_given(cast, client_for):
    skp = draft(cast, "rater")
    result = skp.results.get()
    client_for(cast.rater).post(url(skp), assign(result, [cast.employees["employee"]]))
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
    response = client_for(cast.rater).post(url(skp), {**base, **data})
    assert response.status_code == 400
    assert field in response.context["matrix_form"].errors
    assert not Skp.objects.filter(employee=cast.employees["employee"]).exists()


def test_a_bad_volume_is_refused_naming_the_person_and_nothing_is_stored(cast, client_for):
    skp = draft(cast, "rater")
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    data = assign(skp.results.get(), [employee, colleague], {colleague: "banyak"})
    response = client_for(cast.rater).post(url(skp), data)
    assert response.status_code == 400
    assert "Dewi Lestari" in str(response.context["matrix_form"].errors["employees"])
    assert not Rhk.objects.exclude(skp=skp).exists()


def test_an_approved_subordinate_plan_refuses_the_result_with_the_reason(cast, client_for):
    skp = draft(cast, "rater")
    approved(cast)
    response = english(client_for(cast.rater)).post(
        url(skp), assign(skp.results.get(), [cast.employees["employee"]])
    )
    assert response.status_code == 400
    assert "cannot take a new result" in str(response.context["matrix_form"].errors)


@pytest.mark.parametrize("persona", ["rater_superior", "pengelola", "head"])
def test_only_the_owner_of_the_plan_uses_its_matrix(cast, client_for, persona):
    skp = draft(cast, "rater")
    client = client_for(cast.users[persona])
    assert client.get(url(skp)).status_code == 403
    data = assign(skp.results.get(), [cast.employees["employee"]])
    assert client.post(url(skp), data).status_code == 403
    assert not Rhk.objects.exclude(skp=skp).exists()


@pytest.mark.parametrize("persona", ["outsider", "colleague", "employee"])
def test_those_who_may_not_see_the_raters_plan_get_404(cast, client_for, persona):
    skp = draft(cast, "rater")
    client = client_for(cast.users[persona])
    assert client.get(url(skp)).status_code == 404
    assert client.post(save_url(skp), {}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = draft(cast, "rater")
    response = client.get(url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# --- Templates ----------------------------------------------------------------------------------


def template_data(cast, **extra) -> dict:
    return {
        "t-position": cast.positions["perawat"].pk,
        "t-kind": "utama",
        "t-text": "Terlaksananya asuhan keperawatan",
        "t-iki-0-aspect": "kuantitas",
        "t-iki-0-text": "Pasien dilayani",
        "t-iki-0-target": "100",
        "t-iki-0-unit": "pasien",
        **extra,
    }


def test_a_template_is_kept_and_given_to_every_holder(cast, client_for):
    skp = draft(cast, "rater")
    client = client_for(cast.rater)
    response = client.post(save_url(skp), template_data(cast))
    assert response.status_code == 302
    template = ResultTemplate.objects.get()
    assert template.text == "Terlaksananya asuhan keperawatan"
    page = client.get(url(skp))
    assert [t for t, _form in page.context["templates"]] == [template]
    response = client.post(
        apply_url(skp, template), {f"a{template.pk}-supports": skp.results.get().pk}
    )
    assert response.status_code == 302
    handed = Rhk.objects.filter(text="Terlaksananya asuhan keperawatan")
    assert sorted(r.skp.employee.name for r in handed) == [
        "Dewi Lestari, A.Md.Kep",
        "Siti Aminah, A.Md.Kep",
    ]
    assert all(r.supports == skp.results.get() for r in handed)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"t-position": ""}, "position"),
        ({"t-position": "analis"}, "position"),
        ({"t-text": ""}, "text"),
        ({"t-iki-0-aspect": ""}, "row"),
        (
            {"t-iki-0-aspect": "", "t-iki-0-text": "", "t-iki-0-target": "", "t-iki-0-unit": ""},
            None,
        ),
    ],
)
def test_a_bad_template_is_refused_with_the_field_and_nothing_is_kept(
    cast, client_for, change, where
):
    skp = draft(cast, "rater")
    if change.get("t-position") == "analis":
        change = {"t-position": cast.positions["analis"].pk}  # reports to the Kabid, not to me
    response = client_for(cast.rater).post(save_url(skp), template_data(cast, **change))
    assert response.status_code == 400
    assert not ResultTemplate.objects.exists()
    form = response.context["template_form"]
    if where == "row":
        assert response.context["rows"][0].errors
    elif where is None:
        assert form.non_field_errors()
    else:
        assert where in form.errors


def test_someone_elses_template_is_404(cast, client_for):
    skp = draft(cast, "rater")
    template = services.template_save(
        owner=cast.employees["rater"], position=cast.positions["perawat"], by=cast.rater,
        kind="utama", text="Asuhan", indicators=[{"aspect": "kualitas", "text": "Mutu"}],
    )  # fmt: skip
    other = draft(cast, "rater_superior")
    assert client_for(cast.rater_superior).post(apply_url(other, template)).status_code == 404
    assert client_for(cast.pengelola).post(apply_url(skp, template)).status_code == 403


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    skp = draft(cast, "rater", results=8)
    client = client_for(cast.rater)
    client.get(url(skp))
    with django_assert_max_num_queries(25):
        client.get(url(skp))
