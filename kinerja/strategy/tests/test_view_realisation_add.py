"""Entering a value on the indicator page (``strategy:realisation_add``): the Pengelola Kinerja
or the holder of the owning position records a value with its narrative, a correction keeps the
earlier value in the history; bad input shown on its field, a formula indicator refuses a
value; those who neither manage nor own may not enter values or evidence; posting without the
CSRF token is refused."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import Evidence, Realisation

from .support import (
    build_sample,
    current_value,
    evidence_add_url,
    indicator_url,
    pdf_upload,
    realisation_add_url,
    realisation_entry,
    this_year,
)

# --- Entering values -----------------------------------------------------------------------------


def test_the_pengelola_records_a_value_with_its_narrative(cast, client_for):
    sample = build_sample(cast)
    year = this_year()
    period = f"{year}-01"
    response = client_for(cast.pengelola).post(
        realisation_add_url(sample.response),
        realisation_entry(
            period,
            "12,5",
            **{"r-note": "Rekap IGD", "r-supporting": "Ambulans", "r-hindering": "Cuti"},
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?year={year}#month-1")
    value = current_value(sample.response, year, 1)
    assert (value.value, value.note, value.supporting, value.hindering) == (
        Decimal("12.5"),
        "Rekap IGD",
        "Ambulans",
        "Cuti",
    )
    assert value.entered_by == cast.pengelola and value.state == "submitted"


def test_a_correction_keeps_the_earlier_value_in_the_history(cast, client_for):
    sample = build_sample(cast)
    client = client_for(cast.pengelola)
    period = f"{sample.year}-05"
    assert (
        client.post(
            realisation_add_url(sample.response), realisation_entry(period, "7")
        ).status_code
        == 302
    )
    all_may = Realisation.objects.filter(indicator=sample.response, year=sample.year, month=5)
    assert sorted(r.value for r in all_may) == [Decimal(7), Decimal(9)]
    assert current_value(sample.response, sample.year, 5).value == Decimal(7)
    html = client.get(indicator_url(sample.response, sample.year)).content.decode()
    assert 'id="history-5"' in html


def test_the_holder_of_the_owning_position_enters_values(cast, client_for):
    sample = build_sample(cast)
    services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        indicator=sample.response,
        values={"owner_position": cast.positions["perawat"]},
    )
    response = client_for(cast.employee).post(
        realisation_add_url(sample.response), realisation_entry(f"{sample.year}-03", "8")
    )
    assert response.status_code == 302
    assert current_value(sample.response, sample.year, 3).entered_by == cast.employee


def _next_month() -> str:
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year}-{month:02d}"


@pytest.mark.parametrize(
    ("indicator", "data", "field"),
    [
        ("response", lambda y: realisation_entry(f"{y}-02", "abc"), "value"),
        ("response", lambda y: realisation_entry(f"{y}-02", ""), "value"),
        ("response", lambda y: realisation_entry(f"{y}-02", "1.23456"), "value"),
        ("response", lambda y: realisation_entry(f"{y}-13"), "period"),
        ("response", lambda y: realisation_entry(_next_month()), "period"),
        ("visits", lambda y: realisation_entry(f"{y}-02"), "period"),  # quarterly: not February
    ],
)
def test_bad_input_is_shown_on_its_field_and_changes_nothing(
    cast, client_for, indicator, data, field
):
    sample = build_sample(cast)
    target = getattr(sample, indicator)
    before = Realisation.objects.count()
    response = client_for(cast.pengelola).post(realisation_add_url(target), data(sample.year))
    assert response.status_code == 200
    assert response.context["realisation_form"].errors[field]
    assert Realisation.objects.count() == before


def test_a_formula_indicator_refuses_an_entered_value(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        realisation_add_url(sample.share), realisation_entry(f"{sample.year}-01")
    )
    assert response.status_code == 200
    assert not Realisation.objects.filter(indicator=sample.share).exists()


# --- Rights --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "head", "rater", "auditor"])
def test_those_who_neither_manage_nor_own_may_not_enter_values_or_evidence(
    cast, client_for, persona
):
    sample = build_sample(cast)
    client = client_for(cast.users[persona])
    before = Realisation.objects.count()
    assert (
        client.post(
            realisation_add_url(sample.response), realisation_entry(f"{sample.year}-01", "1")
        ).status_code
        == 403
    )
    response = client.post(
        evidence_add_url(sample.response), {"e-period": f"{sample.year}-01", "e-file": pdf_upload()}
    )
    assert response.status_code == 403
    assert Realisation.objects.count() == before
    assert not Evidence.objects.exists()


def test_posting_without_the_csrf_token_is_refused(cast):
    from django.test import Client

    sample = build_sample(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.pengelola, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    before = Realisation.objects.count()
    assert (
        client.post(
            realisation_add_url(sample.response), realisation_entry(f"{sample.year}-01", "1")
        ).status_code
        == 403
    )
    assert Realisation.objects.count() == before
