"""Coaching items opened and resolved by the data (``coaching_check``, ``coaching_refresh``,
``coaching_from_breach``) and the signals that trigger them: a slip opens one item, again
opens none, a value back on target resolves it, an answered item is not opened again; the
rater of the unit's head gets a breach's item."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.models import Notification
from kinerja.core.periods import Period
from kinerja.evaluations import services
from kinerja.evaluations.models import CoachingItem, CoachingState
from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import approved_plan, verified_realisation
from kinerja.streams.models import AlertBreach
from kinerja.streams.signals import breach_changed

from .coaching_support import bound_plan, breach, check, count_iki, open_item, slipping
from .support import Q1, YEAR

pytestmark = pytest.mark.django_db


def test_a_verified_value_below_expectation_opens_one_item_for_the_rater(cast):
    item = open_item(cast)
    assert (item.state, item.kind, item.period) == ("open", "indicator", Q1)
    assert item.iki == count_iki(item.skp)
    assert item.data["value"] == "200"
    assert item.data["target"] == "300"
    assert item.data["achievement"] == "66.67"
    assert item.data["source"] == "manual"
    assert item.due_on == timezone.localdate() + timedelta(days=14)
    assert Notification.objects.filter(
        recipient=cast.rater, link=f"/penilaian/pendampingan/{item.pk}/"
    ).exists()


def test_checking_again_or_sweeping_opens_no_second_item(cast):
    item = open_item(cast)
    check(item.skp)
    services.coaching_refresh(period=Period.of_quarter(YEAR, 1), by=SYSTEM)
    assert CoachingItem.objects.filter(skp=item.skp).count() == 1


def test_a_value_at_expectation_opens_nothing(cast):
    skp = slipping(cast, value="290")  # 96,67 %: meets expectation
    assert check(skp).opened == 0
    assert not CoachingItem.objects.exists()


def test_a_value_back_on_target_resolves_the_open_item(cast):
    item = open_item(cast)
    verified_realisation(iki=item.iki, period=Q1, value="310", by=cast.employee)
    assert check(item.skp).resolved == 1
    item.refresh_from_db()
    assert item.state == CoachingState.RESOLVED
    assert item.data["value"] == "310"


def test_an_answered_item_is_not_opened_again(cast):
    item = open_item(cast)
    services.coaching_dismiss(item=item, by=cast.rater, reason="Cuti melahirkan")
    verified_realisation(iki=item.iki, period=Q1, value="150", by=cast.employee)
    assert check(item.skp).opened == 0
    assert CoachingItem.objects.filter(skp=item.skp).count() == 1


def test_a_slip_after_a_resolved_item_opens_a_new_one(cast):
    item = open_item(cast)
    verified_realisation(iki=item.iki, period=Q1, value="310", by=cast.employee)
    check(item.skp)
    verified_realisation(iki=item.iki, period=Q1, value="100", by=cast.employee)
    assert check(item.skp).opened == 1
    assert CoachingItem.objects.filter(skp=item.skp, state="open").count() == 1


def test_a_value_awaiting_verification_does_not_count(cast):
    from_plan = slipping(cast, value="310")
    skp_services.realisation_record(
        iki=count_iki(from_plan), period=Q1, value="100", by=cast.employee
    )
    assert check(from_plan).opened == 0


def test_the_rater_verifying_a_low_value_opens_the_item_after_commit(
    cast, django_capture_on_commit_callbacks
):
    skp = slipping(cast, value="310")
    realisation = skp_services.realisation_record(
        iki=count_iki(skp), period=Q1, value="120", by=cast.employee
    )
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.realisation_verify(realisation=realisation, by=cast.rater, accept=True)
    item = CoachingItem.objects.get(skp=skp)
    assert (item.state, item.data["value"]) == ("open", "120")


def test_the_sweep_refuses_a_running_period(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.coaching_refresh(period=Period.of_year(today.year), by=SYSTEM)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("pengelola", True), ("rater", False), ("employee", False)],
)
def test_who_runs_the_sweep_for_an_agency(cast, who, allowed):
    slipping(cast)
    period = Period.of_quarter(YEAR, 1)
    if allowed:
        assert services.coaching_refresh(period=period, by=cast.users[who], agency=cast.dinkes)
    else:
        with pytest.raises(PermissionDenied):
            services.coaching_refresh(period=period, by=cast.users[who], agency=cast.dinkes)


def test_an_alert_on_a_unit_gives_the_rater_of_its_head_an_item(cast):
    head_plan = approved_plan(cast, "rater", timezone.localdate().year)
    opened = breach(cast)
    assert services.coaching_from_breach(breach=opened, by=SYSTEM).opened == 1
    item = CoachingItem.objects.get(breach=opened)
    assert item.skp == head_plan  # about the unit's head, for his rater
    assert item.skp.rater == cast.employees["rater_superior"]
    assert item.data["value"] == "71.5"
    assert services.coaching_from_breach(breach=opened, by=SYSTEM).opened == 0


def test_the_breach_ending_resolves_its_open_item(cast):
    approved_plan(cast, "rater", timezone.localdate().year)
    opened = breach(cast)
    services.coaching_from_breach(breach=opened, by=SYSTEM)
    AlertBreach.objects.filter(pk=opened.pk).update(ended_at=timezone.now())
    opened.refresh_from_db()
    breach_changed.send(sender=AlertBreach, breach=opened)  # as evaluate_alerts does
    assert CoachingItem.objects.get(breach=opened).state == CoachingState.RESOLVED


def test_a_breach_signal_opens_the_item(cast):
    approved_plan(cast, "rater", timezone.localdate().year)
    opened = breach(cast)
    breach_changed.send(sender=AlertBreach, breach=opened)
    assert CoachingItem.objects.filter(breach=opened, state="open").count() == 1


def test_no_item_when_the_head_has_no_plan(cast):
    assert services.coaching_from_breach(breach=breach(cast), by=SYSTEM).opened == 0


def test_an_ended_periods_service_data_below_expectation_opens_an_item_with_its_cases(cast):
    skp = bound_plan(cast, cases=25)  # 25 of 300: 8,33 %, on 25 cases (the minimum is 20)
    services.coaching_refresh(period=Period.of_quarter(YEAR, 1), by=SYSTEM)
    item = CoachingItem.objects.get(skp=skp)
    assert (item.data["source"], item.data["value"], item.data["cases"]) == ("stream", "25", 25)
    assert item.data["stream"] == "Penanganan kegawatdaruratan"


def test_service_data_on_too_few_cases_open_nothing(cast):
    skp = bound_plan(cast, cases=5)
    services.coaching_refresh(period=Period.of_quarter(YEAR, 1), by=SYSTEM)
    assert not CoachingItem.objects.filter(skp=skp).exists()
