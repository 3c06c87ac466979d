"""Creating an indicator (``strategy:indicator_create``) through ``services.indicator_save``:
every field has help text; a manager creates one, a formula indicator with its formula; a bad
formula or other bad input shown on its field; another agency's target and position not
offered; and, for creating and changing, another agency's forms are 404 and those who do not
manage the agency may not."""

import pytest
from django.urls import reverse

from kinerja.strategy.models import Indicator

from .support import build_sample, indicator_data


def create_url(agency: str = "DINKES") -> str:
    return reverse("strategy:indicator_create", args=[agency])


def test_every_field_has_help_text(cast, client_for):
    response = client_for(cast.pengelola).get(create_url())
    html = response.content.decode()
    for name, field in response.context["form"].fields.items():
        assert field.help_text, name
        assert f'id="id_{name}_helptext"' in html, name
        assert f'aria-describedby="id_{name}_helptext"' in html, name


def test_a_manager_creates_an_indicator(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        create_url(),
        indicator_data(
            strategic_target=sample.target.pk, owner_position=cast.positions["kapus"].pk
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(agency=cast.dinkes, code="IKU-10")
    assert indicator.strategic_target == sample.target
    assert indicator.owner_position == cast.positions["kapus"]
    assert response["Location"].startswith(reverse("strategy:indicator", args=[indicator.pk]))


def test_a_formula_indicator_is_saved_with_its_formula(cast, client_for):
    build_sample(cast)
    response = client_for(cast.admin).post(
        create_url(), indicator_data(data_source="formula", formula="{IKU-01} / {iku-02} * 100")
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="IKU-10").formula == "{IKU-01} / {iku-02} * 100"


@pytest.mark.parametrize(
    "formula",
    [
        "{IKU-99} * 2",  # unknown code
        "{IKU-01} +",  # not an expression
        "__import__('os')",  # not the language
        "{IKU-10} + 1",  # refers to itself
    ],
)
def test_a_bad_formula_is_refused_on_the_formula_field(cast, client_for, formula):
    build_sample(cast)
    response = client_for(cast.pengelola).post(
        create_url(), indicator_data(data_source="formula", formula=formula)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["formula"]
    assert not Indicator.objects.filter(code="IKU-10").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "IKU-01"}, "code"),  # taken in the agency
        ({"code": "iku 10!"}, "code"),
        ({"polarity": "sideways"}, "polarity"),
        ({"name": ""}, "name"),
        ({"formula": "{IKU-01} * 2"}, "formula"),  # a manual indicator has no formula
    ],
)
def test_bad_input_is_shown_on_its_field(cast, client_for, changes, field):
    build_sample(cast)
    before = Indicator.objects.count()
    response = client_for(cast.pengelola).post(create_url(), indicator_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Indicator.objects.count() == before


def test_another_agencys_target_and_position_are_not_offered(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.admin).post(
        create_url(),
        indicator_data(strategic_target=sample.other.strategic_target_id),
    )
    assert response.context["form"].errors["strategic_target"]
    response = client_for(cast.admin).post(
        create_url(), indicator_data(owner_position=cast.positions["operator"].pk)
    )
    assert response.context["form"].errors["owner_position"]


@pytest.mark.parametrize("persona", ["outsider", "employee", "head", "pengelola"])
def test_another_agencys_indicator_forms_are_404(cast, client_for, persona):
    sample = build_sample(cast)
    mine = persona == "outsider"
    agency, indicator = ("DINKES", sample.response) if mine else ("DUKCAPIL", sample.other)
    client = client_for(cast.users[persona])
    assert client.get(create_url(agency)).status_code == 404
    assert client.post(create_url(agency), indicator_data()).status_code == 404
    edit = reverse("strategy:indicator_edit", args=[indicator.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, indicator_data()).status_code == 404


@pytest.mark.parametrize("persona", ["employee", "head", "rater", "auditor"])
def test_those_who_do_not_manage_the_agency_may_not_create_or_change(cast, client_for, persona):
    sample = build_sample(cast)
    client = client_for(cast.users[persona])
    assert client.get(create_url()).status_code == 403
    assert client.post(create_url(), indicator_data()).status_code == 403
    edit = reverse("strategy:indicator_edit", args=[sample.response.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, indicator_data(code="IKU-01", name="x")).status_code == 403
    assert not Indicator.objects.filter(code="IKU-10").exists()
    sample.response.refresh_from_db()
    assert sample.response.name != "x"
