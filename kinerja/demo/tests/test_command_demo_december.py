"""The Plaju demo loaded in December (``data/story.yaml``: ``december_rating_opens_days_before``):
the region opens the year's end for rating on 1 December, so the annual rating and Yeni
Marlina's objection exist, waiting for dr. Rizky Pratama — in his worklist — and the next
year's calendar is the one in force before."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
from kinerja.core.periods import Period
from kinerja.demo.loader import common
from kinerja.evaluations.lifecycle import period_window
from kinerja.evaluations.models import Objection
from kinerja.portal.tasks import tasks_for
from kinerja.skp.models import Skp
from kinerja.skp.rules import skp_calendar
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

DECEMBER_DAY = date(2026, 12, 7)
RIZKY, YENI = "198009052008061001", "198502022008032007"


def load() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    common.REFERENCE_DAY = DECEMBER_DAY
    try:
        with kept_for_module(django_db_blocker, load) as output:
            yield output
    finally:
        common.REFERENCE_DAY = None


@pytest.fixture
def loaded(_loaded_once, db):
    return _loaded_once


def test_the_year_end_opens_on_the_first_of_december_for_that_year_only(loaded):
    assert skp_calendar(2026).rating_opens_days_before == 31
    assert skp_calendar(2027).rating_opens_days_before == 0
    skp = Skp.objects.get(year=2026, employee__nip=YENI)
    window = period_window(skp, Period.of_year(2026), DECEMBER_DAY)
    assert window.opens_on == date(2026, 12, 1)
    assert window.is_open


def test_yeni_marlinas_objection_waits_for_dr_rizky_in_his_worklist(loaded):
    objection = Objection.objects.select_related("evaluation__skp__employee").get()
    assert objection.evaluation.skp.employee.nip == YENI
    assert objection.decided_at is None
    rizky = User.objects.get(employee__nip=RIZKY)
    mine = [t for t in tasks_for(rizky, DECEMBER_DAY) if t.kind == "objection_decide"]
    assert [t.object_id for t in mine] == [str(objection.pk)]
