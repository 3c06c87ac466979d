"""The plan's operations (``services/plans.py``): ``skp_create`` records the rater chain and
position, refuses a second open plan of the year and someone who may not draft;
``skp_transfer`` closes the plan and starts a new one."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.skp import services
from kinerja.skp.models import SkpState

from .support import draft_2026

pytestmark = pytest.mark.django_db


def test_the_plan_records_the_rater_chain_and_position_when_created(cast):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    assert skp.state == SkpState.DRAFT
    assert skp.rater == cast.employees["rater"]
    assert skp.rater_superior == cast.employees["rater_superior"]
    assert skp.position_name == "Perawat Terampil"
    assert skp.position_level == "terampil"


def test_a_second_open_plan_for_the_same_year_is_refused(cast):
    services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    assert "year" in error.value.message_dict


def test_an_outsider_may_not_draft_someone_elses_plan(cast):
    with pytest.raises(PermissionDenied):
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.outsider)
    with pytest.raises(PermissionDenied):
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.colleague)


def test_the_administrator_drafts_only_after_the_second_week_of_january(cast):
    with pytest.raises(ValidationError) as error:
        services.skp_create(
            employee=cast.employees["employee"],
            year=2026,
            by=cast.pengelola,
            today=date(2026, 1, 10),
        )
    assert "15/01/2026" in str(error.value)
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, by=cast.pengelola, today=date(2026, 1, 15)
    )
    assert skp.created_by == cast.pengelola


def test_a_transfer_closes_the_plan_and_starts_a_new_one_keeping_the_old(cast):
    skp = draft_2026(cast)
    employee = cast.employees["employee"]
    employee.position = cast.positions["analis"]
    employee.unit = cast.positions["analis"].unit
    employee.save()
    new = services.skp_transfer(skp=skp, by=cast.pengelola, on=date(2026, 7, 1))
    skp.refresh_from_db()
    assert (skp.state, skp.ends_on) == (SkpState.CLOSED, date(2026, 7, 1))
    assert new.previous == skp and new.position_name == "Analis Kepegawaian"
    assert skp.results.count() == 1
