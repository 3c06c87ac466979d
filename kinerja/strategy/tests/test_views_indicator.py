"""The indicator page: definition, targets and achievement, the months with their values,
corrections and evidence; entering a value, uploading evidence, verifying or returning."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.core.actors import SYSTEM
from kinerja.organizations.scope import forget_scope
from kinerja.strategy import services
from kinerja.strategy.models import Evidence, Realisation

from .test_views_support import build_sample, pdf_upload, this_year


def also_pengelola(cast, user) -> None:
    """Make ``user`` one of DINKES's performance administrators too (who may enter values)."""
    RoleAssignment.objects.create(user=user, role=Role.PENGELOLA_KINERJA, agency=cast.dinkes)
    forget_scope(user)


def page_url(indicator, year=None) -> str:
    url = reverse("strategy:indicator", args=[indicator.pk])
    return f"{url}?year={year}" if year else url


def add_url(indicator) -> str:
    return reverse("strategy:realisation_add", args=[indicator.pk])


def evidence_url(indicator) -> str:
    return reverse("strategy:evidence_add", args=[indicator.pk])


def verify_url(realisation) -> str:
    return reverse("strategy:realisation_verify", args=[realisation.pk])


def current(indicator, year, month) -> Realisation | None:
    return Realisation.objects.current().filter(indicator=indicator, year=year, month=month).first()


def entry(period: str, value="12,5", **extra) -> dict:
    return {"r-period": period, "r-value": value, **extra}


# --- Reading -------------------------------------------------------------------------------------


def test_the_page_shows_the_months_their_state_history_and_evidence(cast, client_for):
    sample = build_sample(cast)
    year = sample.year
    services.realisation_record(
        indicator=sample.response, year=year, month=2, value=Decimal(11), by=cast.pengelola
    )
    evidence = services.evidence_add(
        indicator=sample.response, year=year, month=2, upload=pdf_upload(), by=cast.pengelola
    )
    response = client_for(cast.employee).get(page_url(sample.response, year))
    assert response.status_code == 200
    rows = {row.month: row for row in response.context["rows"]}
    assert list(rows) == list(range(1, 13))
    assert rows[2].value == Decimal(11)
    assert [r.value for r in rows[2].history] == [Decimal(9)]
    assert rows[2].evidence == [evidence]
    html = response.content.decode()
    assert reverse("strategy:evidence", args=[evidence.pk]) in html
    month = html[html.index('id="month-2"') : html.index('id="month-3"')]
    assert 'data-state="submitted"' in month
    assert "<del" in month  # the superseded 9
    assert 'id="realisation-form"' not in html  # a plain employee enters nothing


def test_a_quarterly_indicator_lists_and_offers_only_its_reporting_months(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).get(page_url(sample.visits, sample.year))
    assert [row.month for row in response.context["rows"]] == [3, 6, 9, 12]
    choices = [
        value for value, _label in response.context["realisation_form"].fields["period"].choices
    ]
    assert choices == [f"{sample.year}-{m:02d}" for m in (3, 6, 9, 12)]


def test_no_future_month_is_offered(cast, client_for):
    sample = build_sample(cast)
    today = timezone.localdate()
    response = client_for(cast.pengelola).get(page_url(sample.response))
    choices = [
        value for value, _label in response.context["realisation_form"].fields["period"].choices
    ]
    assert choices == [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
    accept = response.context["evidence_form"].fields["file"].widget.attrs["accept"]
    assert ".pdf" in accept and ".xlsx" in accept


def test_a_formula_indicator_shows_its_formula_and_computed_values_without_an_entry_form(
    cast, client_for
):
    sample = build_sample(cast)
    response = client_for(cast.admin).get(page_url(sample.share, sample.year))
    html = response.content.decode()
    assert 'id="indicator-formula"' in html
    assert "{IKU-02} / 10" in html
    assert 'id="realisation-form"' not in html and 'id="evidence-form"' not in html
    rows = {row.month: row.value for row in response.context["rows"]}
    assert rows[3] == Decimal(30) and rows[1] is None


def test_the_targets_and_achievement_of_each_quarter_are_shown(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.head).get(page_url(sample.occupancy, sample.year))
    result = response.context["result"]
    assert [q.achievement_pct for q in result.quarters] == [Decimal("100.00")] * 4
    html = response.content.decode()
    assert 'id="quarter-4"' in html and "band-sangat-baik" in html


# --- Entering values -----------------------------------------------------------------------------


def test_the_pengelola_records_a_value_with_its_narrative(cast, client_for):
    sample = build_sample(cast)
    year = this_year()
    period = f"{year}-01"
    response = client_for(cast.pengelola).post(
        add_url(sample.response),
        entry(
            period,
            "12,5",
            **{"r-note": "Rekap IGD", "r-supporting": "Ambulans", "r-hindering": "Cuti"},
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?year={year}#month-1")
    value = current(sample.response, year, 1)
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
    assert client.post(add_url(sample.response), entry(period, "7")).status_code == 302
    all_may = Realisation.objects.filter(indicator=sample.response, year=sample.year, month=5)
    assert sorted(r.value for r in all_may) == [Decimal(7), Decimal(9)]
    assert current(sample.response, sample.year, 5).value == Decimal(7)
    html = client.get(page_url(sample.response, sample.year)).content.decode()
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
        add_url(sample.response), entry(f"{sample.year}-03", "8")
    )
    assert response.status_code == 302
    assert current(sample.response, sample.year, 3).entered_by == cast.employee


def _next_month() -> str:
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year}-{month:02d}"


@pytest.mark.parametrize(
    ("indicator", "data", "field"),
    [
        ("response", lambda y: entry(f"{y}-02", "abc"), "value"),
        ("response", lambda y: entry(f"{y}-02", ""), "value"),
        ("response", lambda y: entry(f"{y}-02", "1.23456"), "value"),
        ("response", lambda y: entry(f"{y}-13"), "period"),
        ("response", lambda y: entry(_next_month()), "period"),
        ("visits", lambda y: entry(f"{y}-02"), "period"),  # quarterly: not February
    ],
)
def test_bad_input_is_shown_on_its_field_and_changes_nothing(
    cast, client_for, indicator, data, field
):
    sample = build_sample(cast)
    target = getattr(sample, indicator)
    before = Realisation.objects.count()
    response = client_for(cast.pengelola).post(add_url(target), data(sample.year))
    assert response.status_code == 200
    assert response.context["realisation_form"].errors[field]
    assert Realisation.objects.count() == before


def test_a_formula_indicator_refuses_an_entered_value(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(add_url(sample.share), entry(f"{sample.year}-01"))
    assert response.status_code == 200
    assert not Realisation.objects.filter(indicator=sample.share).exists()


# --- Evidence ------------------------------------------------------------------------------------


def test_evidence_is_stored_for_its_month(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        evidence_url(sample.response),
        {"e-period": f"{sample.year}-04", "e-file": pdf_upload(), "e-description": "Rekap April"},
    )
    assert response.status_code == 302
    item = Evidence.objects.get(indicator=sample.response)
    assert (item.month, item.content_type, item.description) == (
        4,
        "application/pdf",
        "Rekap April",
    )
    assert item.uploaded_by == cast.pengelola


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekap.pdf", b"<html><script>alert(1)</script></html>"),  # not a PDF inside
        ("rekap.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("rekap.png", b"%PDF-1.4 pretending"),  # name and content disagree
        ("kosong.pdf", b""),
    ],
)
def test_a_refused_file_is_shown_on_the_file_field_and_nothing_is_stored(
    cast, client_for, name, content
):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        evidence_url(sample.response),
        {"e-period": f"{sample.year}-04", "e-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["evidence_form"].errors["file"]
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(cast, client_for, settings):
    settings.KINERJA_MAX_EVIDENCE_MB = 1
    sample = build_sample(cast)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client_for(cast.pengelola).post(
        evidence_url(sample.response), {"e-period": f"{sample.year}-04", "e-file": big}
    )
    assert response.context["evidence_form"].errors["file"]
    assert not Evidence.objects.exists()


# --- Verification --------------------------------------------------------------------------------


def test_the_head_verifies_a_value_the_pengelola_entered(cast, client_for):
    sample = build_sample(cast)
    value = current(sample.response, sample.year, 6)
    client = client_for(cast.head)
    html = client.get(page_url(sample.response, sample.year)).content.decode()
    assert f'id="verify-{value.pk}"' in html
    response = client.post(verify_url(value), {f"v{value.pk}-action": "accept"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.state, value.verified_by) == ("verified", cast.head)


def test_returning_needs_a_note(cast, client_for):
    sample = build_sample(cast)
    value = current(sample.response, sample.year, 6)
    client = client_for(cast.head)
    response = client.post(verify_url(value), {f"v{value.pk}-action": "return"})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.month == 6)
    assert row.verify_form.errors["note"]
    value.refresh_from_db()
    assert value.state == "submitted"
    response = client.post(
        verify_url(value), {f"v{value.pk}-action": "return", f"v{value.pk}-note": "Bukti kurang"}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.state, value.verification_note) == ("returned", "Bukti kurang")


def test_a_value_already_verified_is_not_verified_again(cast, client_for):
    sample = build_sample(cast)
    value = current(sample.response, sample.year, 6)
    services.realisation_verify(realisation=value, by=cast.head, accept=True)
    response = client_for(cast.head).post(
        verify_url(value), {f"v{value.pk}-action": "return", f"v{value.pk}-note": "x"}
    )
    assert response.status_code == 200
    value.refresh_from_db()
    assert value.state == "verified"


@pytest.mark.parametrize("persona", ["pengelola", "rater", "employee", "auditor", "admin"])
def test_only_the_owners_superior_verifies(cast, client_for, persona):
    sample = build_sample(cast)
    value = current(sample.response, sample.year, 6)
    response = client_for(cast.users[persona]).post(
        verify_url(value), {f"v{value.pk}-action": "accept"}
    )
    assert response.status_code == 403
    value.refresh_from_db()
    assert value.state == "submitted"


def test_the_person_who_entered_a_value_does_not_verify_it(cast, client_for):
    sample = build_sample(cast)
    also_pengelola(cast, cast.head)  # the head may enter here, and verifies the agency's values
    value = services.realisation_record(
        indicator=sample.response, year=sample.year, month=7, value=Decimal(5), by=cast.head
    )
    assert (
        client_for(cast.head).post(verify_url(value), {f"v{value.pk}-action": "accept"}).status_code
        == 403
    )


# --- Rights --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "head", "rater", "auditor"])
def test_those_who_neither_manage_nor_own_may_not_enter_values_or_evidence(
    cast, client_for, persona
):
    sample = build_sample(cast)
    client = client_for(cast.users[persona])
    before = Realisation.objects.count()
    assert client.post(add_url(sample.response), entry(f"{sample.year}-01", "1")).status_code == 403
    response = client.post(
        evidence_url(sample.response), {"e-period": f"{sample.year}-01", "e-file": pdf_upload()}
    )
    assert response.status_code == 403
    assert Realisation.objects.count() == before
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "employee", "pengelola", "head"])
def test_another_agencys_indicator_is_404_everywhere(cast, client_for, persona):
    sample = build_sample(cast)
    indicator = sample.response if persona == "outsider" else sample.other
    value = Realisation.objects.current().filter(indicator=indicator).first()
    client = client_for(cast.users[persona])
    assert client.get(page_url(indicator, sample.year)).status_code == 404
    assert client.post(add_url(indicator), entry(f"{sample.year}-01", "1")).status_code == 404
    assert (
        client.post(evidence_url(indicator), {"e-period": f"{sample.year}-01"}).status_code == 404
    )
    assert client.post(verify_url(value), {f"v{value.pk}-action": "accept"}).status_code == 404
    value.refresh_from_db()
    assert (
        value.state == "submitted"
        and value.value == current(indicator, sample.year, value.month).value
    )


def test_posting_without_the_csrf_token_is_refused(cast):
    from django.test import Client

    sample = build_sample(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.pengelola, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    before = Realisation.objects.count()
    assert client.post(add_url(sample.response), entry(f"{sample.year}-01", "1")).status_code == 403
    assert Realisation.objects.count() == before


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    sample = build_sample(cast)
    others = [cast.admin, cast.pengelola, cast.users["rater"]]
    also_pengelola(cast, cast.users["rater"])
    for month in range(1, 13):
        for n in range(3):  # two corrections of every month, by different people
            services.realisation_record(
                indicator=sample.response,
                year=sample.year,
                month=month,
                value=Decimal(10 + n),
                by=others[n],
            )
        services.evidence_add(
            indicator=sample.response,
            year=sample.year,
            month=month,
            upload=pdf_upload(f"m{month}.pdf"),
            by=cast.pengelola,
        )
    client = client_for(cast.head)
    with django_assert_max_num_queries(35):
        response = client.get(page_url(sample.response, sample.year))
    assert sum(len(row.history) for row in response.context["rows"]) == 12 * 3


def test_ids_in_the_page_are_never_written_with_a_thousands_separator(cast, client_for):
    sample = build_sample(cast)
    item = services.evidence_add(
        indicator=sample.response, year=sample.year, month=2, upload=pdf_upload(), by=cast.pengelola
    )
    Evidence.objects.filter(pk=item.pk).update(id=123456)
    html = client_for(cast.head).get(page_url(sample.response, sample.year)).content.decode()
    assert 'id="evidence-123456"' in html
    assert reverse("strategy:evidence", args=[123456]) in html
