"""Checking an uploaded evidence file: its size, and its type by content (not by name).

Accepted: PDF, PNG, JPEG, and Office Open XML documents (.docx, .xlsx). Anything else —
including scripts, HTML and archives in disguise — is refused with a precise reason.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024

TYPES = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
}


class EvidenceFileError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return settings.KINERJA_MAX_EVIDENCE_MB * 1024 * 1024


def _kind(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    return None


def check_evidence_file(upload) -> CheckedFile:
    """Read the upload once: refuse it if too large or of the wrong type; hash it."""
    name = (getattr(upload, "name", "") or "").lower()
    limit = max_bytes()
    if upload.size > limit:
        raise EvidenceFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.KINERJA_MAX_EVIDENCE_MB}
        )
    if upload.size == 0:
        raise EvidenceFileError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    kind = _kind(head, upload)
    allowed = ", ".join(sorted({ext for _type, exts in TYPES.values() for ext in exts}))
    if kind is None:
        raise EvidenceFileError(
            _("This kind of file is not accepted as evidence; use one of: %(types)s.")
            % {"types": allowed}
        )
    content_type, extensions = TYPES[kind]
    if not any(name.endswith(ext) for ext in extensions):
        raise EvidenceFileError(
            _("The file's name does not match its content (%(kind)s); rename it to %(ext)s.")
            % {"kind": kind.upper(), "ext": sorted(extensions)[0]}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type, upload.size, digest.hexdigest())
