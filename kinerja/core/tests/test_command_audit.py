"""``kinerja audit verify`` and ``kinerja audit head``."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from kinerja.core import audit
from kinerja.core.models import AuditRecord
from kinerja.core.tests.support import append, bypass_append_only, rows, seq_of

pytestmark = pytest.mark.django_db


class FakeTerminal(StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stderr=None) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def test_verify_passes_and_counts_the_records():
    append(7)

    output = run("verify")

    assert output.startswith("OK")
    assert re.findall(r"\d+", output) == ["7"]


def test_verify_passes_on_an_empty_trail():
    assert re.findall(r"\d+", run("verify")) == ["0"]


def test_verify_names_an_altered_record_and_exits_non_zero():
    append(5)
    target = seq_of(4)
    bypass_append_only()
    rows(target).update(note="edited")

    with pytest.raises(CommandError) as caught:
        run("verify")

    assert f"#{target}" in str(caught.value)
    assert caught.value.returncode == 1


def test_verify_names_a_removed_record():
    append(5)
    target = seq_of(2)
    bypass_append_only()
    rows(target).delete()

    with pytest.raises(CommandError) as caught:
        run("verify")

    assert f"#{target}" in str(caught.value)


def test_verify_catches_a_removed_newest_record():
    append(5)
    newest = seq_of(5)
    bypass_append_only()
    rows(newest).delete()

    with pytest.raises(CommandError) as caught:
        run("verify")

    assert f"#{newest}" in str(caught.value)


def test_verify_names_the_record_after_a_rehashed_one():
    append(5)
    target = seq_of(2)
    bypass_append_only()
    rec = rows(target).get()
    rec.note = "edited"
    rows(target).update(note=rec.note, hash=audit.compute_hash(rec))

    with pytest.raises(CommandError) as caught:
        run("verify")

    assert f"#{target + 1}" in str(caught.value)


def test_verify_shows_no_progress_bar_when_not_on_a_terminal():
    append(3)
    err = StringIO()

    run("verify", stderr=err)

    assert err.getvalue() == ""


def test_verify_shows_a_progress_bar_on_a_terminal():
    append(3)
    err = FakeTerminal()

    output = run("verify", stderr=err)

    assert output.startswith("OK")
    assert "records" in err.getvalue()


def test_head_prints_the_sequence_and_hash_of_the_newest_record():
    records = append(3)

    output = run("head")

    assert str(records[-1].seq) in output
    assert records[-1].hash in output
    assert records[0].hash not in output


def test_head_of_an_empty_trail_says_so():
    output = run("head")

    assert not re.search(r"[0-9a-f]{64}", output)


def test_the_append_only_guard_is_back_after_a_tampering_test():
    """The bypass above lives in each test's transaction and is rolled back with it."""
    [rec] = append(1)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditrecord SET note = %s WHERE seq = %s", ["x", rec.seq])

    assert AuditRecord.objects.get(seq=rec.seq).note == ""
