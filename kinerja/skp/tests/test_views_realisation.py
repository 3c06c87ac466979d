"""Through the year: the values of each indicator per period, entering a realisation,
uploading evidence and downloading it safely."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import IkiRealisation, SkpEvidence

from .test_views_support import PDF, approved, draft, english, pdf_upload, this_year

pytestmark = pytest.mark.django_db


def page_url(skp) -> str:
    return reverse("skp:realisation", args=[skp.pk])


def add_url(skp) -> str:
    return reverse("skp:realisation_add", args=[skp.pk])


def upload_url(skp) -> str:
    return reverse("skp:evidence_add", args=[skp.pk])


def download_url(item) -> str:
    return reverse("skp:evidence", args=[item.pk])


def first_iki(skp):
    return skp.results.get().indicators.get(number=1)


def entry(iki, period=None, value="312", note="Rekap loket") -> dict:
    period = period or f"{this_year()}-Q1"
    return {"r-iki": iki.pk, "r-period": period, "r-value": value, "r-note": note}


# --- Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "rater", "rater_superior", "pengelola", "auditor"])
def test_those_who_see_the_plan_see_its_values_per_period(cast, client_for, persona):
    skp = approved(cast)
    services.realisation_record(
        iki=first_iki(skp), period=f"{skp.year}-Q1", value="250", by=cast.employee
    )
    response = client_for(cast.users[persona]).get(page_url(skp))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row.cells[0].value.value == Decimal(250)
    assert "provenance-manual" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404(cast, client_for, persona):
    skp = approved(cast)
    client = client_for(cast.users[persona])
    assert client.get(page_url(skp)).status_code == 404
    assert client.post(add_url(skp), entry(first_iki(skp))).status_code == 404
    assert client.post(upload_url(skp), {}).status_code == 404


def test_only_the_employee_and_the_administrator_get_the_entry_forms(cast, client_for):
    skp = approved(cast)
    assert client_for(cast.employee).get(page_url(skp)).context["realisation_form"] is not None
    assert client_for(cast.pengelola).get(page_url(skp)).context["realisation_form"] is not None
    assert client_for(cast.rater).get(page_url(skp)).context["realisation_form"] is None


def test_the_periods_offered_are_those_of_the_agencys_rhythm_that_have_begun(cast, client_for):
    skp = approved(cast)
    form = client_for(cast.employee).get(page_url(skp)).context["realisation_form"]
    assert [v for v, _label in form.fields["period"].choices] == [
        f"{skp.year}-Q{q}" for q in range(1, 5)
    ]


# --- Entering ------------------------------------------------------------------------------------


def test_the_employee_records_a_realisation(cast, client_for):
    skp = approved(cast)
    iki = first_iki(skp)
    response = client_for(cast.employee).post(add_url(skp), entry(iki, value="312,5"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#iki-{iki.pk}")
    stored = IkiRealisation.objects.get(iki=iki)
    assert (stored.period, stored.value, stored.note) == (
        f"{skp.year}-Q1",
        Decimal("312.5"),
        "Rekap loket",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"r-value": "banyak"}, "value"),
        ({"r-value": ""}, "value"),
        ({"r-period": "2026-13"}, "period"),
        ({"r-period": "2001-Q1"}, "period"),
        ({"r-iki": "999999"}, "iki"),
        ({"r-note": "a\x07b"}, "note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(cast, client_for, change, field):
    skp = approved(cast)
    data = {**entry(first_iki(skp)), **change}
    response = client_for(cast.employee).post(add_url(skp), data)
    assert response.status_code == 400
    assert field in response.context["realisation_form"].errors
    assert not IkiRealisation.objects.exists()


def test_an_indicator_of_another_plan_is_not_accepted(cast, client_for):
    skp = approved(cast)
    other = approved(cast, "colleague")
    response = client_for(cast.pengelola).post(add_url(skp), entry(first_iki(other)))
    assert response.status_code == 400
    assert "iki" in response.context["realisation_form"].errors


def test_a_draft_takes_no_realisation_and_says_why(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.employee)).post(add_url(skp), entry(first_iki(skp)))
    assert response.status_code == 400
    assert "once the plan is approved" in str(response.context["realisation_form"].errors)
    assert not IkiRealisation.objects.exists()


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head"])
def test_readers_may_not_enter(cast, client_for, persona):
    skp = approved(cast)
    client = client_for(cast.users[persona])
    assert client.post(add_url(skp), entry(first_iki(skp))).status_code == 403
    assert client.post(upload_url(skp), {}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = approved(cast)
    response = client.get(page_url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# --- Evidence ------------------------------------------------------------------------------------


def _upload(client, skp, upload, period=None):
    return client.post(
        upload_url(skp),
        {
            "e-iki": first_iki(skp).pk,
            "e-period": period or f"{skp.year}-Q1",
            "e-file": upload,
            "e-description": "Rekap Maret",
        },
    )


def test_evidence_is_uploaded_listed_and_downloaded_as_an_attachment(cast, client_for):
    skp = approved(cast)
    client = client_for(cast.employee)
    response = _upload(client, skp, pdf_upload("Rekap Maret.pdf"))
    assert response.status_code == 302
    item = SkpEvidence.objects.get()
    html = client.get(page_url(skp)).content.decode()
    assert download_url(item) in html and "Rekap Maret.pdf" in html
    response = client_for(cast.rater).get(download_url(item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_file_field(cast, client_for):
    skp = approved(cast)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _upload(client_for(cast.employee), skp, fake)
    assert response.status_code == 400
    assert "file" in response.context["evidence_form"].errors
    assert not SkpEvidence.objects.exists()


def test_evidence_on_a_draft_is_refused(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.employee))
    response = _upload(response, skp, pdf_upload())
    assert response.status_code == 400
    assert "once the plan is approved" in str(response.context["evidence_form"].errors)
    assert not SkpEvidence.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404_for_a_download(cast, client_for, persona):
    skp = approved(cast)
    item = services.evidence_add(
        iki=first_iki(skp), period=f"{skp.year}-Q1", upload=pdf_upload(), by=cast.employee
    )
    assert client_for(cast.users[persona]).get(download_url(item)).status_code == 404


def test_a_file_missing_from_storage_is_404_not_an_error(cast, client_for):
    skp = approved(cast)
    item = services.evidence_add(
        iki=first_iki(skp), period=f"{skp.year}-Q1", upload=pdf_upload(), by=cast.employee
    )
    item.file.storage.delete(item.file.name)
    assert client_for(cast.employee).get(download_url(item)).status_code == 404


def test_the_page_makes_the_same_number_of_queries_for_one_or_eight_results(
    cast, client_for, django_assert_max_num_queries
):
    small = approved(cast, results=1)
    client = client_for(cast.employee)
    client.get(page_url(small))
    with django_assert_max_num_queries(60) as captured:
        client.get(page_url(small))
    bound = len(captured.captured_queries)
    big = approved(cast, "colleague", results=8)
    for rhk in big.results.all():
        iki = rhk.indicators.get(number=1)
        services.realisation_record(iki=iki, period=f"{big.year}-Q1", value="5", by=cast.colleague)
        services.evidence_add(
            iki=iki, period=f"{big.year}-Q1", upload=pdf_upload(), by=cast.colleague
        )
    client = client_for(cast.colleague)
    client.get(page_url(big))
    with django_assert_max_num_queries(bound):
        response = client.get(page_url(big))
    assert len(response.context["rows"]) == 16
