"""``kinerja raters refresh|show``."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations import services
from kinerja.organizations.models import ActingOfficial, RaterChain, RaterOverride


def numbers(output: str) -> list[int]:
    """The counts a refresh reports: ended, then changed (whatever the language)."""
    return [int(n) for n in re.findall(r"\d+", output)]


def run(*args: str) -> str:
    out = StringIO()
    call_command("raters", *args, stdout=out)
    return out.getvalue()


def test_refresh_ends_overdue_assignments_and_reports_the_counts(cast):
    e, p = cast.employees, cast.positions
    today = timezone.localdate()
    services.override_start(
        employee=e["employee"], rater=e["head"], reason="ST 1", ends_on=today, by=SYSTEM
    )
    services.acting_start(
        position=p["dukcapil_kadis"], employee=e["pengelola"], kind="plh", reason="SK 2",
        ends_on=today,
        by=SYSTEM,
    )  # fmt: skip
    # Make both overdue, as if a day had passed (the records are not audit rows: plain update).
    RaterOverride.objects.update(ends_on=today - timedelta(days=1))
    ActingOfficial.objects.update(ends_on=today - timedelta(days=1))

    output = run("refresh")

    # Two ended; one chain changed: the employee's rater is the tree's again. (The Plh of
    # the Kepala Dinas post was no one's rater: the post has a holder.)
    assert numbers(output) == [2, 1]
    assert not RaterOverride.objects.filter(ended_at=None).exists()
    assert not ActingOfficial.objects.filter(ended_at=None).exists()
    assert RaterChain.objects.get(employee=e["employee"]).rater_id == e["rater"].pk
    ends = AuditRecord.objects.filter(action="end")
    assert ends.count() == 2
    assert {r.channel for r in ends} == {Channel.COMMAND}


def test_refresh_with_nothing_due_changes_nothing(cast):
    records = AuditRecord.objects.count()

    output = run("refresh")

    assert numbers(output) == [0, 0]
    assert AuditRecord.objects.count() == records


def test_refresh_repairs_a_chain_that_drifted(cast):
    e = cast.employees
    RaterChain.objects.filter(employee=e["employee"]).update(rater=e["head"])

    output = run("refresh")

    assert numbers(output) == [0, 1]
    assert RaterChain.objects.get(employee=e["employee"]).rater_id == e["rater"].pk


def test_show_prints_the_rater_and_superior_with_their_basis(cast):
    e = cast.employees

    output = run("show", e["employee"].nip_display)  # spaces as printed on documents

    assert e["employee"].name in output
    assert e["rater"].name in output and e["rater"].nip_display in output
    assert e["rater_superior"].name in output
    assert "DINKES-PKM-PLAJU-PERAWAT" in output


def test_show_names_the_override_and_its_reason(cast):
    e = cast.employees
    services.override_start(
        employee=e["employee"], rater=e["pengelola"], reason="ST Kadis 800/45", by=SYSTEM
    )

    output = run("show", e["employee"].nip)

    assert e["pengelola"].name in output
    assert "ST Kadis 800/45" in output


def test_show_names_the_acting_official(cast):
    e, p = cast.employees, cast.positions
    services.acting_start(
        position=p["kapus"], employee=e["colleague"], kind="plh", reason="SK 9", by=SYSTEM
    )
    e["rater"].active = False
    e["rater"].save()
    services.raters_recompute(by=SYSTEM)

    output = run("show", e["employee"].nip)

    assert e["colleague"].name in output
    assert "SK 9" in output


def test_show_of_the_agency_head_names_the_head_of_region(cast):
    output = run("show", cast.employees["head"].nip)

    assert "Wali Kota Palembang" in output


@pytest.mark.django_db
def test_show_of_an_unknown_nip_fails():
    with pytest.raises(CommandError):
        run("show", "198503122010011999")
