"""Adding a work result to a draft (``skp:rhk_add``): the supported result chosen among the
rater's results, targets as a value or a range with their basis and direction, bad input
refused on its field or row; and, for every change to a draft (adding, changing, removing a
result, the attachment), readers get 403, outsiders 404, anonymous visitors sign in."""

import pytest
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import Rhk, Skp

from .support import (
    approved,
    attachment_url,
    detail_url,
    draft,
    english,
    rhk_data,
    rhk_delete_url,
    rhk_edit_url,
    submitted,
    this_year,
)

pytestmark = pytest.mark.django_db


def add_url(skp) -> str:
    return reverse("skp:rhk_add", args=[skp.pk])


def _empty_plan(cast, who="employee", approach="kuantitatif") -> Skp:
    return services.skp_create(
        employee=cast.employees[who], year=this_year(), approach=approach, by=cast.users[who]
    )


# --- The form -----------------------------------------------------------------------------------


def test_the_form_offers_the_results_of_the_raters_plan_of_the_year(cast, client_for):
    rater_plan = draft(cast, "rater", results=2)
    draft(cast, "colleague")  # a peer's results are not offered
    skp = _empty_plan(cast)
    response = client_for(cast.employee).get(add_url(skp))
    assert response.status_code == 200
    offered = list(response.context["form"].fields["supports"].queryset)
    assert offered == list(rater_plan.results.order_by("number"))
    assert len(response.context["rows"]) == 5
    html = response.content.decode()
    assert "e.g. 1200 or 80-90" in html or "1200" in html


def test_the_employee_adds_a_result_with_a_value_and_a_range_target(cast, client_for):
    rater_plan = draft(cast, "rater")
    supports = rater_plan.results.get()
    skp = _empty_plan(cast)
    data = rhk_data(
        supports=supports.pk,
        rows=[
            ("kuantitas", "Anak diimunisasi", "1200", "anak"),
            ("", "", "", ""),  # an empty row is ignored
            ("kualitas", "Kepuasan orang tua", "80-90", "%"),
        ],
    )
    response = client_for(cast.employee).post(add_url(skp), data)
    rhk = Rhk.objects.get(skp=skp)
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(skp)}#rhk-{rhk.pk}"
    assert rhk.supports == supports
    first, second = rhk.indicators.order_by("number")
    assert first.target == 1200 and first.unit_of_measure == "anak"
    assert (second.target_low, second.target_high) == (80, 90)


@pytest.mark.parametrize(
    ("basis", "direction", "unit", "yearly_total", "lower_is_better"),
    [
        ("", "", "anak", True, False),  # automatic: a count is a yearly total
        ("", "", "%", False, False),  # automatic: a share holds in every period
        ("period", "", "anak", False, False),
        ("year", "lower", "%", True, True),
        ("", "lower", "hari", True, True),
    ],
)
def test_the_target_basis_and_direction_are_chosen_or_automatic(
    cast, client_for, basis, direction, unit, yearly_total, lower_is_better
):
    skp = _empty_plan(cast)
    data = rhk_data(rows=[("kuantitas", "Anak diimunisasi", "1200", unit)])
    data.update({"iki-0-basis": basis, "iki-0-direction": direction})
    assert client_for(cast.employee).post(add_url(skp), data).status_code == 302
    iki = Rhk.objects.get(skp=skp).indicators.get()
    assert (iki.yearly_total, iki.lower_is_better) == (yearly_total, lower_is_better)
    # the edit form shows what is stored
    form = client_for(cast.employee).get(rhk_edit_url(iki.rhk)).context["rows"][0]
    assert form.initial["basis"] == ("year" if yearly_total else "period")
    assert form.initial["direction"] == ("lower" if lower_is_better else "higher")


def test_an_unknown_target_basis_is_refused_on_its_row(cast, client_for):
    skp = _empty_plan(cast)
    data = rhk_data()
    data["iki-0-basis"] = "decade"
    response = client_for(cast.employee).post(add_url(skp), data)
    assert response.status_code == 400
    assert response.context["rows"][0].errors["basis"]
    assert not Rhk.objects.filter(skp=skp).exists()


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        ([], "form", "at least one indicator"),
        ([("kuantitas", "Anak", "banyak", "anak")], "row", "number"),
        ([("kuantitas", "Anak", "90-80", "")], "row", "lower bound"),
        ([("kuantitas", "Anak", "", "anak")], "row", "target"),
        ([("", "Anak", "10", "anak")], "row", "kuantitas, kualitas"),
        ([("kuantitas", "", "10", "anak")], "row", "Write the indicator"),
    ],
)
def test_bad_indicators_are_shown_on_their_row_and_nothing_is_stored(
    cast, client_for, rows, where, message
):
    skp = _empty_plan(cast)
    response = english(client_for(cast.employee)).post(add_url(skp), rhk_data(rows=rows))
    assert response.status_code == 400
    assert not Rhk.objects.filter(skp=skp).exists()
    if where == "form":
        errors = " ".join(response.context["form"].non_field_errors())
    else:
        errors = str(response.context["rows"][0].errors)
    assert message in errors


def test_a_result_without_text_is_refused_on_its_field(cast, client_for):
    skp = _empty_plan(cast)
    response = client_for(cast.employee).post(add_url(skp), rhk_data(text=""))
    assert response.status_code == 400
    assert "text" in response.context["form"].errors


def test_a_supported_result_outside_the_raters_plan_is_refused(cast, client_for):
    peer = draft(cast, "colleague")
    skp = _empty_plan(cast)
    response = client_for(cast.employee).post(
        add_url(skp), rhk_data(supports=peer.results.get().pk)
    )
    assert response.status_code == 400
    assert "supports" in response.context["form"].errors
    assert not Rhk.objects.filter(skp=skp).exists()


def test_a_qualitative_plan_takes_an_indicator_without_a_target(cast, client_for):
    skp = _empty_plan(cast, approach="kualitatif")
    data = rhk_data(rows=[("kualitas", "Laporan diterima tanpa revisi", "", "")])
    assert client_for(cast.employee).post(add_url(skp), data).status_code == 302
    assert Rhk.objects.get(skp=skp).indicators.get().target is None


# --- Rights -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head", "auditor"])
def test_those_who_only_read_the_plan_get_403(cast, client_for, persona):
    skp = draft(cast)
    rhk = skp.results.get()
    client = client_for(cast.users[persona])
    assert client.get(add_url(skp)).status_code == 403
    assert client.post(add_url(skp), rhk_data()).status_code == 403
    assert client.post(rhk_edit_url(rhk), rhk_data()).status_code == 403
    assert client.post(rhk_delete_url(rhk)).status_code == 403
    assert client.post(attachment_url(skp), {"approach": "kualitatif"}).status_code == 403
    assert skp.results.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404(cast, client_for, persona):
    skp = draft(cast)
    rhk = skp.results.get()
    client = client_for(cast.users[persona])
    assert client.get(add_url(skp)).status_code == 404
    assert client.post(rhk_edit_url(rhk), rhk_data()).status_code == 404
    assert client.post(rhk_delete_url(rhk)).status_code == 404
    assert client.get(attachment_url(skp)).status_code == 404


def test_the_administrator_adds_a_result_for_the_employee(cast, client_for):
    skp = _empty_plan(cast)
    assert client_for(cast.pengelola).post(add_url(skp), rhk_data()).status_code == 302
    assert skp.results.count() == 1


@pytest.mark.parametrize("make", [submitted, approved])
def test_a_plan_beyond_draft_is_not_changed_and_the_employee_is_told(cast, client_for, make):
    skp = make(cast)
    response = english(client_for(cast.employee)).get(add_url(skp), follow=True)
    assert any("only a draft or a returned plan" in str(m) for m in response.context["messages"])
    response = client_for(cast.employee).post(add_url(skp), rhk_data())
    assert response.status_code == 302
    assert skp.results.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = draft(cast)
    response = client.get(add_url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize(
    ("typed", "target", "low", "high"),
    [("1.200", 1200, None, None), ("1.200-1.500", None, 1200, 1500), ("12,5", 12.5, None, None)],
)
def test_a_target_typed_the_indonesian_way_is_stored_as_meant(
    cast, client_for, typed, target, low, high
):
    skp = _empty_plan(cast)
    data = rhk_data(rows=[("kuantitas", "Dokumen diterbitkan", typed, "dokumen")])
    assert client_for(cast.employee).post(add_url(skp), data).status_code == 302
    iki = Rhk.objects.get(skp=skp).indicators.get()
    assert (iki.target, iki.target_low, iki.target_high) == (target, low, high)


def test_a_rows_error_is_listed_in_the_summary_at_the_top_of_the_form(cast, client_for):
    skp = _empty_plan(cast)
    data = rhk_data(rows=[("kuantitas", "Dokumen diterbitkan", "1.2", "dokumen")])
    response = client_for(cast.employee).post(add_url(skp), data)
    assert response.status_code == 400
    html = response.content.decode()
    at = html.index("data-error-summary")
    opening = html[html.rindex("<div", 0, at) : html.index(">", at)]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    summary = html[at : html.index('id="id_kind"')]  # above the form's first field
    assert 'href="#id_iki-0-target"' in summary
    assert not Rhk.objects.filter(skp=skp).exists()
