"""Evidence files: accepted by content (PDF, PNG, JPEG, DOCX, XLSX), never by name alone; size
limited by ``KINERJA_MAX_EVIDENCE_MB``; stored outside the web root by ``evidence_add``."""

import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.evidence_files import EvidenceFileError, check_evidence_file
from kinerja.strategy.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def zip_of(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Rekap Oktober"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = zip_of(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
PPTX = zip_of(["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"])
PLAIN_ZIP = zip_of(["word/document.xml", "macro.vbs"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def reason(name: str, content: bytes) -> str:
    with pytest.raises(EvidenceFileError) as caught:
        check_evidence_file(upload(name, content))
    return str(caught.value)


# --- By content --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rekap-oktober-2026.pdf", PDF, "application/pdf"),
        ("REKAP.PDF", PDF, "application/pdf"),
        ("foto-loket.png", PNG, "image/png"),
        ("foto-loket.jpg", JPEG, "image/jpeg"),
        ("foto-loket.JPEG", JPEG, "image/jpeg"),
        ("berita-acara.docx", DOCX, DOCX_TYPE),
        ("rekap.xlsx", xlsx(), XLSX_TYPE),
    ],
)
def test_each_accepted_type_is_known_by_its_content(name, content, content_type):
    file = upload(name, content)

    checked = check_evidence_file(file)

    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0  # ready to be stored


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekap.docx", PDF),
        ("rekap", PDF),
        ("rekap.pdf.exe", PDF),
        ("foto.jpg", PNG),
        ("foto.png", JPEG),
        ("berita-acara.xlsx", DOCX),
        ("rekap.docx", xlsx()),
    ],
)
def test_a_name_that_does_not_match_the_content_is_refused(name, content):
    assert reason(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekap.pdf", HTML),
        ("rekap.pdf", b"  \n" + HTML),
        ("setup.pdf", EXE),
        ("foto.png", SVG),
        ("berita-acara.docx", PLAIN_ZIP),
        ("berita-acara.docx", PPTX),
        ("berita-acara.docx", b"PK\x03\x04 not really a zip archive"),
        ("rekap.pdf", b"%PDX-1.4 almost"),
        ("catatan.pdf", b"Rekap realisasi Oktober"),
    ],
)
def test_a_file_in_disguise_is_refused(name, content):
    assert reason(name, content)


def test_an_empty_file_is_refused():
    assert reason("rekap.pdf", b"")


def test_a_file_above_the_limit_is_refused_and_one_at_the_limit_accepted(settings):
    settings.KINERJA_MAX_EVIDENCE_MB = 1
    limit = 1024 * 1024
    at_limit = PDF + b"0" * (limit - len(PDF))

    assert check_evidence_file(upload("rekap.pdf", at_limit)).size == limit
    assert "1" in reason("rekap.pdf", at_limit + b"0")


# --- Storing ------------------------------------------------------------------------------------

YEAR = 2025


@pytest.fixture
def response_time(cast):
    return services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-01",
            "name": "Waktu respon",
            "unit_of_measure": "menit",
            "polarity": "lower_is_better",
            "aggregation": "average",
            "period_type": "quarterly",
        },
    )


def test_evidence_is_stored_outside_the_web_root_under_its_hash(cast, response_time):
    services.realisation_record(
        by=SYSTEM, indicator=response_time, year=YEAR, month=3, value=Decimal(14)
    )

    evidence = services.evidence_add(
        indicator=response_time,
        year=YEAR,
        month=3,
        upload=upload("rekap-maret-2025.pdf", PDF),
        description=" Log PSC 119 ",
        by=cast.pengelola,
    )

    digest = hashlib.sha256(PDF).hexdigest()
    assert (evidence.original_name, evidence.content_type, evidence.size, evidence.sha256) == (
        "rekap-maret-2025.pdf", "application/pdf", len(PDF), digest,
    )  # fmt: skip
    assert (evidence.description, evidence.uploaded_by) == ("Log PSC 119", cast.pengelola)
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert digest in path.name and "rekap" not in str(path)
    assert path.read_bytes() == PDF
    record = AuditRecord.objects.get(object_type="strategy.evidence")
    assert (record.action, record.agency_code) == ("create", "DINKES")
    assert record.after["sha256"] == digest


def test_a_refused_file_stores_nothing_and_names_the_file_field(cast, response_time):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            by=SYSTEM, indicator=response_time, year=YEAR, month=3, upload=upload("rekap.pdf", HTML)
        )

    assert list(caught.value.message_dict) == ["file"]
    assert not Evidence.objects.exists()
    assert not AuditRecord.objects.filter(object_type="strategy.evidence").exists()


def test_evidence_belongs_to_a_month_the_indicator_reports_in(cast, response_time):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            by=SYSTEM, indicator=response_time, year=YEAR, month=2, upload=upload("rekap.pdf", PDF)
        )

    assert "period" in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_a_long_file_name_is_kept_to_its_end(cast, response_time):
    name = "r" * 300 + ".pdf"

    evidence = services.evidence_add(
        by=SYSTEM, indicator=response_time, year=YEAR, month=3, upload=upload(name, PDF)
    )

    assert len(evidence.original_name) == 200
    assert evidence.original_name.endswith(".pdf")
