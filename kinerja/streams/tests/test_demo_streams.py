"""The service-data part of the Plaju demo: a full year, loaded once for this module."""

import random
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.organizations.models import Employee, Unit
from kinerja.streams import demo
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import Case, Event, Stream
from kinerja.testing.database import kept_for_module

DEMO_DAY = date(2026, 11, 28)

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    days, demo.DAYS, demo.REFERENCE_DAY = demo.DAYS, 365, DEMO_DAY
    try:
        with kept_for_module(django_db_blocker, _load) as output:
            yield output
    finally:
        demo.DAYS, demo.REFERENCE_DAY = days, None


@pytest.fixture
def loaded(_loaded_once, db):
    return _loaded_once


def test_the_demo_has_a_year_of_at_least_fifty_thousand_cases(loaded):
    assert Case.objects.counted().count() >= 50_000
    first = (
        Case.objects.counted().order_by("started_on").values_list("started_on", flat=True).first()
    )
    last = (
        Case.objects.counted().order_by("-started_on").values_list("started_on", flat=True).first()
    )
    assert (last - first).days >= 360
    assert last < DEMO_DAY
    assert "Service data: 2 streams" in loaded


@pytest.mark.parametrize(
    ("code", "agency", "limit", "unit"),
    [("ktp-el", "DISDUKCAPIL", 8, "working_hours"), ("gawat-darurat", "DINKES", 15, "minutes")],
)
def test_the_two_streams_carry_the_issues_service_levels(loaded, code, agency, limit, unit):
    stream = Stream.objects.get(code=code)
    assert stream.agency.code == agency
    assert (stream.sla_limit, stream.sla_unit) == (limit, unit)


def test_cases_are_attributed_to_the_demo_units_and_officers(loaded):
    units = set(Case.objects.values_list("unit__code", flat=True).distinct())
    assert {"DISDUKCAPIL-PLAJU", "DINKES-PKM-PLAJU"} <= units
    officers = set(Case.objects.exclude(officer="").values_list("officer", flat=True).distinct())
    demo_nips = set(Employee.objects.values_list("nip", flat=True))
    assert officers and officers <= demo_nips
    for stream in Stream.objects.all():
        assert Case.objects.filter(stream=stream).exclude(officer="").exists()
    assert set(Unit.objects.filter(code__in=units).values_list("agency__code", flat=True)) == {
        "DISDUKCAPIL",
        "DINKES",
    }


def test_the_history_looks_like_the_real_services(loaded):
    ktp = Stream.objects.get(code="ktp-el")
    normal = compute(MetricsQuery(stream=ktp, start=date(2026, 10, 1), end=date(2026, 10, 31)))
    shortage = compute(MetricsQuery(stream=ktp, start=date(2026, 8, 1), end=date(2026, 8, 31)))
    assert 50 < normal["within_sla_pct"] < 95
    assert shortage["within_sla_pct"] < normal["within_sla_pct"]  # the blanko ran short
    assert normal["inconsistent_cases"] > 0  # a few data-entry mistakes, to be corrected
    psc = Stream.objects.get(code="gawat-darurat")
    dry = compute(MetricsQuery(stream=psc, start=date(2026, 7, 1), end=date(2026, 7, 31)))
    wet = compute(MetricsQuery(stream=psc, start=date(2026, 1, 1), end=date(2026, 1, 31)))
    assert wet["duration_seconds"]["median"] > dry["duration_seconds"]["median"]  # rainy season


def test_the_generated_events_are_the_same_every_time(loaded):
    window = demo.Window(date(2026, 1, 5), date(2026, 1, 9), demo._window().zone)
    first = list(demo.ktp_events(window, random.Random(2025)))
    again = list(demo.ktp_events(window, random.Random(2025)))
    assert first == again and len(first) > 1000


def test_loading_again_sends_nothing_twice(loaded):
    before = Event.objects.count()
    assert demo.load()["events"] == 0
    assert Event.objects.count() == before
