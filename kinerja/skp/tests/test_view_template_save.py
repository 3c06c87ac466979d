"""Keeping a template per subordinate position (``skp:template_save``): kept and given to every
holder; a bad template refused with the field and nothing kept."""

import pytest

from kinerja.skp.models import ResultTemplate, Rhk

from .support import draft, matrix_url, template_apply_url, template_save_url

pytestmark = pytest.mark.django_db


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
    response = client.post(template_save_url(skp), template_data(cast))
    assert response.status_code == 302
    template = ResultTemplate.objects.get()
    assert template.text == "Terlaksananya asuhan keperawatan"
    page = client.get(matrix_url(skp))
    assert [t for t, _form in page.context["templates"]] == [template]
    response = client.post(
        template_apply_url(skp, template), {f"a{template.pk}-supports": skp.results.get().pk}
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
    response = client_for(cast.rater).post(template_save_url(skp), template_data(cast, **change))
    assert response.status_code == 400
    assert not ResultTemplate.objects.exists()
    form = response.context["template_form"]
    if where == "row":
        assert response.context["rows"][0].errors
    elif where is None:
        assert form.non_field_errors()
    else:
        assert where in form.errors
