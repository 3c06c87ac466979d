"""A plan in time: its start (1 January, or the TMT of the position recorded by the Pengelola
Kinerja with its SK number), its end at a transfer (``skp_transfer``), retirement or death
(``skp_end``), with the reason kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState, SkpTransition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages as written in the code (the msgids; the Indonesian catalogue follows them)."""
    with translation.override("en"):
        yield


TODAY = date(2026, 3, 20)


def create(cast, who="pengelola", **kw):
    return services.skp_create(
        employee=cast.employees["employee"], year=2026, by=cast.users[who], today=TODAY, **kw
    )


def test_a_plan_starts_on_1_january_by_default(cast):
    skp = create(cast, "employee")
    assert (skp.starts_on, skp.tmt_sk_number, skp.end_reason) == (date(2026, 1, 1), "", "")


@pytest.mark.parametrize("who", ["pengelola", "admin"])
def test_the_performance_administrator_records_an_entrants_tmt(cast, who):
    skp = create(cast, who, start=date(2026, 3, 15), sk_number="800/12/BKPSDM/2026")
    assert (skp.starts_on, skp.tmt_sk_number) == (date(2026, 3, 15), "800/12/BKPSDM/2026")


@pytest.mark.parametrize("who", ["employee", "rater"])
def test_others_may_not_give_another_start(cast, who):
    with pytest.raises(ValidationError) as refused:
        create(cast, who, start=date(2026, 3, 15))
    assert "start" in refused.value.message_dict
    assert not Skp.objects.exists()


def test_anyone_who_drafts_may_name_1_january(cast):
    assert create(cast, "employee", start=date(2026, 1, 1)).starts_on == date(2026, 1, 1)


@pytest.mark.parametrize("start", [date(2025, 12, 31), date(2027, 1, 1)])
def test_the_start_lies_in_the_plans_year(cast, start):
    with pytest.raises(ValidationError) as refused:
        create(cast, start=start)
    assert "start" in refused.value.message_dict


@pytest.mark.parametrize(("reason", "label"), [("retirement", "retirement"), ("death", "death")])
def test_the_pengelola_ends_a_plan_at_retirement_or_death(cast, reason, label):
    skp = create(cast)
    ended = services.skp_end(skp=skp, by=cast.pengelola, on=date(2026, 10, 10), reason=reason)
    assert (ended.state, ended.ends_on, ended.end_reason) == (
        SkpState.CLOSED, date(2026, 10, 10), reason,
    )  # fmt: skip
    assert SkpTransition.objects.filter(skp=skp, to_state=SkpState.CLOSED).get().reason == label


def test_another_reason_needs_a_note(cast):
    skp = create(cast)
    with pytest.raises(ValidationError) as refused:
        services.skp_end(skp=skp, by=cast.pengelola, on=date(2026, 10, 10), reason="other")
    assert "note" in refused.value.message_dict
    services.skp_end(
        skp=skp, by=cast.pengelola, on=date(2026, 10, 10), reason="other",
        note="Diberhentikan sementara",
    )  # fmt: skip
    assert Skp.objects.get(pk=skp.pk).end_reason == "other"


@pytest.mark.parametrize("who", ["employee", "rater", "rater_superior", "auditor"])
def test_only_the_administrator_ends_a_plan(cast, who):
    skp = create(cast)
    with pytest.raises(PermissionDenied):
        services.skp_end(skp=skp, by=cast.users[who], on=date(2026, 10, 10), reason="death")


@pytest.mark.parametrize(
    ("on", "reason", "field"),
    [
        (date(2027, 1, 5), "death", "on"),
        (date(2025, 12, 31), "death", "on"),
        (date(2026, 10, 10), "transfer", "reason"),  # a transfer is skp_transfer's
        (date(2026, 10, 10), "pension", "reason"),
    ],
)
def test_a_bad_end_is_refused_on_its_field(cast, on, reason, field):
    skp = create(cast)
    with pytest.raises(ValidationError) as refused:
        services.skp_end(skp=skp, by=cast.pengelola, on=on, reason=reason)
    assert field in refused.value.message_dict


def test_an_ended_plan_cannot_end_again(cast):
    skp = create(cast)
    services.skp_end(skp=skp, by=cast.pengelola, on=date(2026, 10, 10), reason="death")
    with pytest.raises(ValidationError) as refused:
        services.skp_end(skp=skp, by=cast.pengelola, on=date(2026, 10, 11), reason="death")
    assert "skp" in refused.value.message_dict


def test_a_transfer_keeps_the_tmt_and_sk_on_the_new_plan_and_the_reason_on_the_old(cast):
    skp = create(cast)
    employee = cast.employees["employee"]
    employee.position = cast.positions["analis"]
    employee.save()
    new = services.skp_transfer(
        skp=skp, by=cast.pengelola, on=date(2026, 7, 15), sk_number="821/7/2026"
    )
    skp.refresh_from_db()
    assert (skp.ends_on, skp.end_reason) == (date(2026, 7, 15), "transfer")
    assert (new.starts_on, new.tmt_sk_number, new.previous) == (
        date(2026, 7, 15),
        "821/7/2026",
        skp,
    )
