"""Evidence files (``kinerja.strategy.evidence_files``): accepted by content (PDF, PNG, JPEG,
DOCX, XLSX), never by name alone; files in disguise and empty files refused; size limited by
``KINERJA_MAX_EVIDENCE_MB``."""

import hashlib
import io
import zipfile

import openpyxl
import pytest

from kinerja.strategy.evidence_files import EvidenceFileError, check_evidence_file

from .support import HTML_BYTES, PDF_BYTES, evidence_upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


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


def reason(name: str, content: bytes) -> str:
    with pytest.raises(EvidenceFileError) as caught:
        check_evidence_file(evidence_upload(name, content))
    return str(caught.value)


# --- By content --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rekap-oktober-2026.pdf", PDF_BYTES, "application/pdf"),
        ("REKAP.PDF", PDF_BYTES, "application/pdf"),
        ("foto-loket.png", PNG, "image/png"),
        ("foto-loket.jpg", JPEG, "image/jpeg"),
        ("foto-loket.JPEG", JPEG, "image/jpeg"),
        ("berita-acara.docx", DOCX, DOCX_TYPE),
        ("rekap.xlsx", xlsx(), XLSX_TYPE),
    ],
)
def test_each_accepted_type_is_known_by_its_content(name, content, content_type):
    file = evidence_upload(name, content)

    checked = check_evidence_file(file)

    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0  # ready to be stored


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekap.docx", PDF_BYTES),
        ("rekap", PDF_BYTES),
        ("rekap.pdf.exe", PDF_BYTES),
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
        ("rekap.pdf", HTML_BYTES),
        ("rekap.pdf", b"  \n" + HTML_BYTES),
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
    at_limit = PDF_BYTES + b"0" * (limit - len(PDF_BYTES))

    assert check_evidence_file(evidence_upload("rekap.pdf", at_limit)).size == limit
    assert "1" in reason("rekap.pdf", at_limit + b"0")
