"""What the evaluation tests share (no tests here): an approved plan of last year (every period
has begun), a rated plan, the personas' expected answers and English pages for the page tests;
the addresses of the development plan, objection and unit pages; an annual rating at a given
time for the service tests. The API tests' helpers: ``api_support.py``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation, Objection
from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import approved_plan, verified_realisation
from kinerja.testing.language import english

#: Every test plan is of last year: all its periods have begun, whatever today is.
YEAR = timezone.localdate().year - 1


Q1 = f"{YEAR}-Q1"


Q2 = f"{YEAR}-Q2"


ANNUAL = str(YEAR)


#: Those who see the employee's plan (Skp.objects.visible_to) besides the employee.
PLAN_READERS = ["rater", "rater_superior", "head", "pengelola", "admin", "auditor"]


def plan(cast, who: str = "employee"):
    return approved_plan(cast, who, YEAR)


def with_realisations(cast, skp, period: str = Q1, count: str = "330", quality: str = "85"):
    """1200 a year is 300 a quarter: 330 → 110 %; 85 within 80–90 → 100 %; the mean 105 %
    suggests 'meets'."""
    iki_count, iki_quality = skp.results.get().indicators.order_by("number")
    verified_realisation(
        iki=iki_count, period=period, value=count, note="Rekap loket", by=cast.employee
    )
    verified_realisation(iki=iki_quality, period=period, value=quality, by=cast.employee)
    return skp


def rated(cast, skp, period: str = Q1, results: str = "meets", behaviour: str = "meets", **kw):
    return services.evaluation_rate(
        skp=skp,
        by=cast.rater,
        period=period,
        results_rating=results,
        behaviour_rating=behaviour,
        **kw,
    )


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English, so that the tests read the msgids (the Indonesian catalogue follows)."""
    return english(client)


def build_plan(cast, results: int, who: str = "employee"):
    """``who``'s approved plan with ``results`` main results of two indicators each."""
    user = cast.users[who]
    skp = skp_services.skp_create(
        employee=cast.employees[who], year=YEAR, approach="kuantitatif", by=user
    )
    for n in range(results):
        skp_services.rhk_add(
            skp=skp,
            by=user,
            kind="utama",
            text=f"Hasil kerja {n + 1}",
            indicators=[
                {
                    "aspect": "kuantitas",
                    "text": f"Jumlah {n + 1}",
                    "target": "100",
                    "unit": "dokumen",
                },
                {"aspect": "kualitas", "text": f"Mutu {n + 1}", "target": "80-90", "unit": "%"},
            ],
        )
    skp_services.skp_submit(skp=skp, by=user)
    skp_services.skp_approve(skp=skp, by=cast.rater)
    skp.refresh_from_db()
    return skp


WIB = ZoneInfo("Asia/Jakarta")


def annual_rated_at(cast, when):
    skp = approved_plan(cast)
    return services.evaluation_rate(
        skp=skp,
        by=cast.rater,
        period="2026",
        results_rating="below",
        behaviour_rating="meets",
        now=when,
    )


def development_open_url(skp) -> str:
    return reverse("evaluations:development_open", args=[skp.pk])


def development_url(development) -> str:
    return reverse("evaluations:development", args=[development.pk])


def annual_rating(cast, **kw) -> Evaluation:
    return rated(cast, plan(cast), ANNUAL, results="below", behaviour="meets", **kw)


def objection_file_url(evaluation) -> str:
    return reverse("evaluations:objection_file", args=[evaluation.pk])


def objection_url(objection) -> str:
    return reverse("evaluations:objection", args=[objection.pk])


def objection_filed(cast, evaluation) -> Objection:
    return services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Data Desember belum masuk"
    )


PKM = "DINKES-PKM-PLAJU"


def unit_url(unit=PKM, period=Q1) -> str:
    return reverse("evaluations:unit", args=[unit, period])


def jpt_plan(cast, year: int = 2026):
    """The head of Dinas Kesehatan's approved plan of ``year``: the head of region approves it,
    recorded by the region's administrator."""
    head = cast.employees["head"]
    skp = skp_services.skp_create(employee=head, year=year, by=cast.head)
    skp_services.rhk_add(
        skp=skp, by=cast.head, kind="utama", text="Meningkatnya derajat kesehatan",
        indicators=[{"aspect": "kuantitas", "text": "Puskesmas terakreditasi", "target": "5"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=skp, by=cast.head)
    return skp_services.skp_approve(skp=skp, by=cast.admin)
