"""Sample plans for the page tests, built through the services (as people would through the
pages), plus a check that the sample reads as intended."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState

pytestmark = pytest.mark.django_db

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
    """The client asks for English pages, so that tests read the English messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def detail_url(skp: Skp) -> str:
    return reverse("skp:detail", args=[skp.pk])


def test_the_sample_plan_is_approved_with_two_indicators_per_result(cast):
    skp = approved(cast, results=2)
    assert skp.state == SkpState.APPROVED
    assert skp.rater == cast.employees["rater"]
    assert [r.indicators.count() for r in skp.results.all()] == [2, 2]
