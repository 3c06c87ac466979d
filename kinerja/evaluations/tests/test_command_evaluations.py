"""``kinerja evaluations close --year YYYY [--agency CODE]``: the annual closing from the
command line, its summary in the region's number format, and precise refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from kinerja.core.models import AuditRecord
from kinerja.evaluations.management.commands.evaluations import region_number
from kinerja.evaluations.models import CoachingItem, Evaluation, EvaluationState, OrgEvaluation
from kinerja.evaluations.tests.coaching_support import slipping
from kinerja.evaluations.tests.support import Q1
from kinerja.evaluations.tests.test_service_annual_close import SB, rated

pytestmark = pytest.mark.django_db


def run(*args, actor: str | None = None) -> str:
    out = StringIO()
    before = ["--as", actor] if actor else []  # an option of the command, before the action
    call_command("evaluations", *before, "close", *args, stdout=out)
    return out.getvalue()


def _due(cast, count, **kwargs):
    return rated(cast, count, delivered=timezone.now() - timedelta(days=30), **kwargs)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (10_000, "10.000"),
        (1_234_567, "1.234.567"),
        (Decimal("2.08"), "2,08"),
        (Decimal("12345.5"), "12.345,5"),
    ],
)
def test_numbers_are_written_as_the_region_writes_them(value, text):
    assert region_number(value) == text


def test_close_makes_ratings_final_and_prints_the_summary(cast):
    _due(cast, 1_200)
    output = run("--year", "2026")
    assert "Annual closing 2026 (whole region): 1.200 annual evaluation(s)" in output
    assert "made final now: 1.200 (final in all: 1.200)" in output
    assert "credit points computed (functional positions): 1.200 (1.200 changed)" in output
    assert not Evaluation.objects.exclude(state=EvaluationState.FINAL).exists()


def test_close_lists_the_curve_warnings_of_each_unit(cast):
    _due(cast, 3, predicate=SB)
    _due(cast, 2, unit="yankes", position="analis", kind="pelaksana", level="")
    OrgEvaluation.objects.create(unit=cast.units["pkm"], period="2026", predicate="Baik")
    output = run("--year", "2026")
    assert (
        "units checked against the curve: 2, with warnings: 1, without an organisation predicate: 1"
    ) in output
    assert "DINKES-PKM-PLAJU UPTD Puskesmas Plaju (Baik, 3 employee(s)):" in output
    assert "    - More than half should be Baik (now 0.0 %)." in output
    assert "DINKES-YANKES Bidang Pelayanan Kesehatan: no organisation predicate for 2026." in output


def test_close_of_one_agency_leaves_the_others(cast):
    _due(cast, 2)
    _due(cast, 1, unit="dukcapil", position="operator", kind="pelaksana", level="")
    output = run("--year", "2026", "--agency", "dukcapil")
    assert "Annual closing 2026 (DUKCAPIL Dinas Kependudukan dan Pencatatan Sipil)" in output
    assert Evaluation.objects.filter(state=EvaluationState.RATED).count() == 2


def test_a_year_without_evaluations_says_there_is_nothing_to_close(cast):
    assert "nothing to close" in run("--year", "2025")


def test_the_changes_are_recorded_as_made_through_the_command_door(cast):
    _due(cast, 1)
    run("--year", "2026", actor="admin")
    record = AuditRecord.objects.filter(action="transition").latest("seq")
    assert (record.channel, record.actor_label) == ("command", "admin")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--agency", "NOPE"], "No agency with the code 'NOPE'."),
        (["--year", "1850"], "The year must lie between 2000 and 2100."),
        (["--year", "2026"], "No user named 'nobody'."),
    ],
)
def test_bad_input_is_refused_precisely_and_changes_nothing(cast, args, message):
    _due(cast, 1)
    with pytest.raises(CommandError) as error:
        run(*args, actor="nobody" if "user" in message else None)
    assert message in str(error.value)
    assert not Evaluation.objects.filter(state=EvaluationState.FINAL).exists()


def test_a_year_is_required(cast):
    with pytest.raises(CommandError):
        call_command("evaluations", "close", stdout=StringIO(), stderr=StringIO())


def test_someone_who_may_not_close_is_refused_with_the_reason(cast):
    _due(cast, 1)
    with pytest.raises(CommandError) as error:
        run("--year", "2026", actor=cast.rater.username)
    assert "Only the region's administrator closes the year" in str(error.value)
    assert not Evaluation.objects.filter(state=EvaluationState.FINAL).exists()


def test_an_agencys_performance_administrator_closes_their_agency(cast):
    _due(cast, 1)
    output = run("--year", "2026", "--agency", "DINKES", actor=cast.pengelola.username)
    assert "made final now: 1" in output
    with pytest.raises(CommandError, match="No agency with the code 'DUKCAPIL'"):
        run("--year", "2026", "--agency", "DUKCAPIL", actor=cast.pengelola.username)


# --- coaching --period ---------------------------------------------------------------------------


def coaching(*args, actor: str | None = None) -> str:
    out = StringIO()
    before = ["--as", actor] if actor else []
    call_command("evaluations", *before, "coaching", *args, stdout=out)
    return out.getvalue()


def test_coaching_opens_an_item_for_a_slipping_indicator_once(cast):
    skp = slipping(cast)
    assert "1 item(s) opened" in coaching("--period", Q1)
    assert "0 item(s) opened" in coaching("--period", Q1, "--agency", "dinkes")
    assert CoachingItem.objects.filter(skp=skp, state="open").count() == 1


@pytest.mark.parametrize(
    ("args", "actor", "message"),
    [
        (["--period", "2026-Q5"], None, "1–4"),
        (["--period", str(timezone.localdate().year)], None, "ended periods"),
        (["--period", "2025", "--agency", "NOPE"], None, "No agency"),
        (["--period", "2025"], "employee", "may not"),
    ],
)
def test_coaching_refuses_precisely(cast, args, actor, message):
    username = cast.users[actor].username if actor else None
    with translation.override("en"), pytest.raises(CommandError, match=message):
        coaching(*args, actor=username)
