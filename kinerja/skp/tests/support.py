"""What the page tests of plans (and the evaluation tests that build on them) share, no tests
here: sample plans built through the services (as people would through the pages), the
addresses of the plan's pages, the SKP document's plan and PDF reading, the XLSX exports'
sheets and rated plan. The API tests' helpers: ``api_support.py``."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from kinerja.evaluations import services as evaluation_services
from kinerja.skp import documents, services
from kinerja.skp.models import Skp
from kinerja.skp.rules import behaviour_values
from kinerja.skp.tests.factories import approved_plan, verified_realisation
from kinerja.testing.language import english as in_english

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def this_year() -> int:
    """The plans of the tests are this year's: every quarter up to today has begun."""
    return timezone.localdate().year


def pdf_upload(name: str = "rekap.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def indicator(n: int = 1, target: str = "300") -> dict:
    return {
        "aspect": "kuantitas",
        "text": f"Anak diimunisasi {n}",
        "target": target,
        "unit": "anak",
    }


def draft(cast, who: str = "employee", *, results: int = 1, supports=None) -> Skp:
    """``who``'s plan of this year with ``results`` main results of two indicators each."""
    user = cast.users[who]
    skp = services.skp_create(employee=cast.employees[who], year=this_year(), by=user)
    for n in range(1, results + 1):
        services.rhk_add(
            skp=skp,
            by=user,
            kind="utama",
            text=f"Pelayanan imunisasi {n}",
            supports=supports,
            indicators=[
                indicator(n),
                {"aspect": "kualitas", "text": f"Kepuasan {n}", "target": "80-90", "unit": "%"},
            ],
        )
    return skp


def submitted(cast, who: str = "employee", **kwargs) -> Skp:
    skp = draft(cast, who, **kwargs)
    services.skp_submit(skp=skp, by=cast.users[who])
    skp.refresh_from_db()
    return skp


def approved(cast, who: str = "employee", **kwargs) -> Skp:
    skp = submitted(cast, who, **kwargs)
    rater = next(k for k, e in cast.employees.items() if e.pk == skp.rater_id)
    services.skp_approve(skp=skp, by=cast.users[rater])
    skp.refresh_from_db()
    return skp


def english(client):
    """The client's users chose English, so that tests read the English messages."""
    return in_english(client)


def detail_url(skp: Skp) -> str:
    return reverse("skp:detail", args=[skp.pk])


MAIN_TEXT = "Terlaksananya asuhan keperawatan lansia"


EXTRA_TEXT = "Tersusunnya laporan posyandu lansia"


READERS = ["employee", "rater", "rater_superior", "pengelola", "head", "admin", "auditor"]


STRANGERS = ["colleague", "outsider", "other_head"]


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text with whitespace made single (cells wrap over lines)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def label(msgid: str) -> str:
    """A label as the (Indonesian) document prints it, with or without the catalogue."""
    with translation.override(documents.DOCUMENT_LANGUAGE):
        return gettext(msgid)


def document_plan(cast):
    """The employee's plan: a main result supporting the rater's, an additional one, the
    attachment and one leader's expectation; approved."""
    leader = approved_plan(cast, "rater")
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, approach="kuantitatif", by=cast.employee
    )
    services.rhk_add(
        skp=skp, by=cast.employee, kind="utama", text=MAIN_TEXT, supports=leader.results.get(),
        indicators=[
            {"aspect": "kuantitas", "text": "Jumlah lansia yang dilayani", "target": "1200",
             "unit": "orang"},
            {"aspect": "kualitas", "text": "Kepuasan lansia", "target": "80-90", "unit": "%"},
        ],
    )  # fmt: skip
    services.rhk_add(
        skp=skp, by=cast.employee, kind="tambahan", text=EXTRA_TEXT,
        indicators=[
            {"aspect": "waktu", "text": "Laporan tepat waktu", "target": "5", "unit": "hari"}
        ],
    )  # fmt: skip
    services.skp_update(
        skp=skp, by=cast.employee, resources="Aplikasi SIMPUS dan satu tensimeter digital",
        accountability="Laporan bulanan kepada Kepala Puskesmas", consequences="Teguran tertulis",
    )  # fmt: skip
    services.skp_submit(skp=skp, by=cast.employee)
    value = behaviour_values(2026)[0]
    services.expectation_set(skp=skp, value=value, text="Ramah kepada pasien lansia", by=cast.rater)
    services.skp_approve(skp=skp, by=cast.rater)
    skp.refresh_from_db()
    return skp


PLANS = reverse("skp:plans_xlsx")


RATINGS = reverse("evaluations:ratings_xlsx")


PKM = "DINKES-PKM-PLAJU"


FORMULA = '=HYPERLINK("http://evil.example/x","Klik")'


def sheet(response, title: str) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def title(msgid: str) -> str:
    return documents.column_titles([(msgid, 0)])[0]


#: A moment when the annual rating of 2026 is open (it opens on 1 January 2027, whatever today
#: is: evaluations.lifecycle).
YEAR_2026_OPEN = datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Asia/Jakarta"))


def rated_plan(cast):
    """The employee's approved plan rated for TW I, and the year rated (on 4 January 2027),
    objected to the next day and changed the day after."""
    skp = approved_plan(cast)
    count, quality = skp.results.get().indicators.order_by("number")

    verified_realisation(iki=count, period="2026-Q1", value="330", by=cast.employee)
    verified_realisation(iki=quality, period="2026-Q1", value="85", by=cast.employee)
    quarter = evaluation_services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="meets", behaviour_rating="above"
    )
    annual = evaluation_services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026", results_rating="below", behaviour_rating="meets",
        now=YEAR_2026_OPEN,
    )  # fmt: skip
    objection = evaluation_services.objection_file(
        evaluation=annual, by=cast.employee, reason="Data Desember belum masuk",
        now=YEAR_2026_OPEN + timedelta(days=1),
    )  # fmt: skip
    evaluation_services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="changed", reason="Data lengkap",
        results_rating="meets", behaviour_rating="meets", now=YEAR_2026_OPEN + timedelta(days=2),
    )  # fmt: skip
    return skp, quarter, annual


# --- Cost ------------------------------------------------------------------------------------


def export_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def rater_key(cast, skp) -> str:
    return next(key for key, e in cast.employees.items() if e.pk == skp.rater_id)


def draft_2026(cast, who="employee"):
    skp = services.skp_create(employee=cast.employees[who], year=2026, by=cast.users[who])
    services.rhk_add(
        skp=skp,
        by=cast.users[who],
        kind="utama",
        text="Pelayanan imunisasi",
        indicators=[
            {"aspect": "kuantitas", "text": "Anak diimunisasi", "target": "300", "unit": "anak"}
        ],
    )
    return skp


def step_url(name: str, skp: Skp) -> str:
    return reverse(f"skp:{name}", args=[skp.pk])


def state(skp: Skp) -> str:
    return Skp.objects.get(pk=skp.pk).state


def rhk_edit_url(rhk) -> str:
    return reverse("skp:rhk_edit", args=[rhk.skp_id, rhk.pk])


def rhk_delete_url(rhk) -> str:
    return reverse("skp:rhk_delete", args=[rhk.skp_id, rhk.pk])


def attachment_url(skp) -> str:
    return reverse("skp:attachment", args=[skp.pk])


def rhk_data(text="Terlaksananya imunisasi dasar", supports="", rows=None, **extra) -> dict:
    rows = rows if rows is not None else [("kuantitas", "Anak diimunisasi", "300", "anak")]
    data = {"kind": "utama", "text": text, "supports": supports, **extra}
    for n, (aspect, iki_text, target, unit) in enumerate(rows):
        data.update(
            {
                f"iki-{n}-aspect": aspect,
                f"iki-{n}-text": iki_text,
                f"iki-{n}-target": target,
                f"iki-{n}-unit": unit,
            }
        )
    return data


def realisation_url(skp) -> str:
    return reverse("skp:realisation", args=[skp.pk])


def realisation_add_url(skp) -> str:
    return reverse("skp:realisation_add", args=[skp.pk])


def evidence_add_url(skp) -> str:
    return reverse("skp:evidence_add", args=[skp.pk])


def evidence_url(item) -> str:
    return reverse("skp:evidence", args=[item.pk])


def first_iki(skp):
    return skp.results.get().indicators.get(number=1)


def realisation_entry(iki, period=None, value="312", note="Rekap loket") -> dict:
    period = period or f"{this_year()}-Q1"
    return {"r-iki": iki.pk, "r-period": period, "r-value": value, "r-note": note}


def matrix_url(skp) -> str:
    return reverse("skp:matrix", args=[skp.pk])


def template_save_url(skp) -> str:
    return reverse("skp:template_save", args=[skp.pk])


def template_apply_url(skp, template) -> str:
    return reverse("skp:template_apply", args=[skp.pk, template.pk])


def quarter_rated(cast):
    skp = approved(cast)
    evaluation = evaluation_services.evaluation_rate(
        skp=skp,
        by=cast.rater,
        period=f"{this_year()}-Q1",
        results_rating="meets",
        behaviour_rating="meets",
    )
    return skp, evaluation


def html_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


class UnitDownloadRights:
    """What every download of a unit's rows (the plans and the ratings XLSX) shares: who finds
    which rows, a unit that is not theirs, sign-in, and a cost that does not grow with the
    plans. A test module subclasses it as ``Test…`` with ``url``, ``sheet_title`` and
    ``rows_of_four_plans`` (the rows four plans rated for one quarter give)."""

    url: str
    sheet_title: str
    rows_of_four_plans: int

    @pytest.fixture
    def rated(self, cast):
        return rated_plan(cast)

    @pytest.mark.parametrize(
        "persona", ["employee", "rater", "rater_superior", "pengelola", "head"]
    )
    def test_the_plan_readers_find_the_employees_rows(self, client_for, cast, rated, persona):
        response = client_for(cast.users[persona]).get(self.url, {"unit": PKM, "year": 2026})
        rows = sheet(response, self.sheet_title)
        assert cast.employees["employee"].nip in {row[0] for row in rows[1:]}

    @pytest.mark.parametrize("persona", ["outsider", "other_head"])
    def test_a_unit_of_another_agency_is_404(self, client_for, cast, rated, persona):
        response = client_for(cast.users[persona]).get(self.url, {"unit": PKM, "year": 2026})
        assert response.status_code == 404

    def test_a_colleague_sees_no_rows_of_another_employee(self, client_for, cast, rated):
        response = client_for(cast.colleague).get(self.url, {"unit": PKM, "year": 2026})
        assert len(sheet(response, self.sheet_title)) == 1

    def test_an_unknown_unit_is_404(self, client_for, cast):
        response = client_for(cast.admin).get(self.url, {"unit": "NOPE", "year": 2026})
        assert response.status_code == 404

    def test_a_signed_out_visitor_is_sent_to_sign_in(self, client, cast):
        response = client.get(self.url, {"unit": PKM})
        assert response.status_code == 302
        assert "next=" in response["Location"]

    def test_the_exports_take_as_many_queries_for_many_plans_as_for_one(
        self, client_for, cast, django_assert_max_num_queries
    ):
        def rate(skp):
            evaluation_services.evaluation_rate(
                skp=skp, by=cast.users[rater_key(cast, skp)], period="2026-Q1",
                results_rating="meets", behaviour_rating="meets",
            )  # fmt: skip

        head_of_pkm = approved_plan(cast, "rater")  # a unit head: results follow the unit's
        evaluation_services.org_predicate_set(  # organisation predicate (Baik → meets)
            unit=head_of_pkm.unit, period="2026-Q1", predicate="Baik", by=cast.rater_superior
        )
        rate(approved_plan(cast))
        client = client_for(cast.head)
        params = {"unit": "DINKES", "year": 2026}
        one = export_queries(client, self.url, params)
        rate(head_of_pkm)
        for who in ("colleague", "pengelola"):
            rate(approved_plan(cast, who))
        with django_assert_max_num_queries(one):
            response = client.get(self.url, params)
            data = b"".join(response.streaming_content)
        rows = load_workbook(io.BytesIO(data))[self.sheet_title].max_row - 1
        assert rows == self.rows_of_four_plans


class DocumentDownloadRights:
    """What every official document (the SKP PDF, the evaluation PDF) shares: who may download
    it, as what, and who may not. A test module subclasses it as ``Test…`` with the fixture
    ``document_url`` (a document of the employee of the cast) and ``unknown_url``."""

    unknown_url: str

    @pytest.mark.parametrize("persona", READERS)
    def test_the_employee_the_rater_chain_and_the_agencys_readers_download_it(
        self, client_for, cast, document_url, persona
    ):
        response = client_for(cast.users[persona]).get(document_url)
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        disposition = response["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.pdf"', disposition)

    @pytest.mark.parametrize("persona", STRANGERS)
    def test_a_colleague_and_people_of_other_agencies_get_404(
        self, client_for, cast, document_url, persona
    ):
        assert client_for(cast.users[persona]).get(document_url).status_code == 404

    def test_an_unknown_document_is_404(self, client_for, cast):
        assert client_for(cast.admin).get(self.unknown_url).status_code == 404

    def test_a_signed_out_visitor_is_sent_to_sign_in(self, client, cast, document_url):
        response = client.get(document_url)
        assert response.status_code == 302
        assert "next=" in response["Location"]
