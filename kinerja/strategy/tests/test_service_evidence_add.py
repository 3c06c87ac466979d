"""``evidence_add``: evidence stored outside the web root under its hash, for a month the
indicator reports in; a refused file stores nothing and names the file field; a long file name
is kept to its end."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Evidence

from .support import HTML_BYTES, PDF_BYTES, evidence_upload

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
        upload=evidence_upload("rekap-maret-2025.pdf", PDF_BYTES),
        description=" Log PSC 119 ",
        by=cast.pengelola,
    )

    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (evidence.original_name, evidence.content_type, evidence.size, evidence.sha256) == (
        "rekap-maret-2025.pdf", "application/pdf", len(PDF_BYTES), digest,
    )  # fmt: skip
    assert (evidence.description, evidence.uploaded_by) == ("Log PSC 119", cast.pengelola)
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert digest in path.name and "rekap" not in str(path)
    assert path.read_bytes() == PDF_BYTES
    record = AuditRecord.objects.get(object_type="strategy.evidence")
    assert (record.action, record.agency_code) == ("create", "DINKES")
    assert record.after["sha256"] == digest


def test_a_refused_file_stores_nothing_and_names_the_file_field(cast, response_time):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            by=SYSTEM,
            indicator=response_time,
            year=YEAR,
            month=3,
            upload=evidence_upload("rekap.pdf", HTML_BYTES),
        )

    assert list(caught.value.message_dict) == ["file"]
    assert not Evidence.objects.exists()
    assert not AuditRecord.objects.filter(object_type="strategy.evidence").exists()


def test_evidence_belongs_to_a_month_the_indicator_reports_in(cast, response_time):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            by=SYSTEM,
            indicator=response_time,
            year=YEAR,
            month=2,
            upload=evidence_upload("rekap.pdf", PDF_BYTES),
        )

    assert "period" in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_a_long_file_name_is_kept_to_its_end(cast, response_time):
    name = "r" * 300 + ".pdf"

    evidence = services.evidence_add(
        by=SYSTEM,
        indicator=response_time,
        year=YEAR,
        month=3,
        upload=evidence_upload(name, PDF_BYTES),
    )

    assert len(evidence.original_name) == 200
    assert evidence.original_name.endswith(".pdf")
