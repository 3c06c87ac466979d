"""Changing an indicator (``strategy:indicator_edit``): a manager changes it; a cycle through
another formula is refused on the formula field."""

from django.urls import reverse

from .support import build_sample, indicator_data


def test_a_cycle_through_another_formula_is_refused(cast, client_for):
    sample = build_sample(cast)  # IKU-03 = {IKU-02} / 10
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_edit", args=[sample.visits.pk]),
        indicator_data(
            code="IKU-02",
            name=sample.visits.name,
            data_source="formula",
            formula="{IKU-03} * 10",
        ),
    )
    assert response.status_code == 200
    assert "IKU-03" in " ".join(response.context["form"].errors["formula"])
    sample.visits.refresh_from_db()
    assert sample.visits.data_source == "manual"


def test_a_manager_changes_an_indicator(cast, client_for):
    sample = build_sample(cast)
    url = reverse("strategy:indicator_edit", args=[sample.response.pk])
    client = client_for(cast.pengelola)
    assert client.get(url).context["form"].initial["code"] == "IKU-01"
    response = client.post(
        url,
        indicator_data(
            code="IKU-01",
            name="Waktu respon IGD",
            polarity="lower_is_better",
            aggregation="average",
            period_type="monthly",
            lower_formula="inverse",
        ),
    )
    assert response.status_code == 302
    sample.response.refresh_from_db()
    assert (sample.response.name, sample.response.lower_formula) == ("Waktu respon IGD", "inverse")
