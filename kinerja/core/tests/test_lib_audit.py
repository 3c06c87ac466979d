"""The audit trail: append-only, hash-chained, attributed to a door and an actor."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction

from kinerja.core import audit
from kinerja.core.models import AuditChainHead, AuditRecord, Channel
from kinerja.core.tests.support import append, bypass_append_only, rows, seq_of
from kinerja.testing.factories import user_for

# --- The chain ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_record_links_to_the_previous_one_and_the_head_follows():
    records = append(5)

    stored = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in stored] == [r.seq for r in records]
    assert [r.seq for r in stored] == list(range(stored[0].seq, stored[0].seq + 5))
    for before, after in itertools.pairwise(stored):
        assert after.prev_hash == before.hash
    assert all(audit.compute_hash(r) == r.hash for r in stored)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (stored[-1].seq, stored[-1].hash)


@pytest.mark.django_db
def test_verify_passes_on_a_fresh_chain():
    append(3)
    audit.record("create", object_type="test.thing", object_id="x", after={"when": "now"})
    append(2)

    verdict = audit.verify()

    assert verdict.ok
    assert verdict.checked == AuditRecord.objects.count() == 6
    assert verdict.bad_seq is None


@pytest.mark.django_db
def test_verify_passes_on_an_empty_trail():
    assert audit.verify() == audit.Verdict(True, 0)


@pytest.mark.django_db
def test_verify_reports_progress_on_long_chains():
    append(4001)
    seen = []

    verdict = audit.verify(progress=seen.append)

    assert verdict.ok
    assert seen == [2000, 4000]


# --- Tampering ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", "nothing happened here"),
        ("actor_label", "someone-else"),
        ("channel", Channel.WEB),
        ("object_id", "999"),
        ("agency_code", "DUKCAPIL"),
        ("after", {"value": "9.99", "n": 1}),
        ("before", None),
    ],
)
def test_an_altered_field_is_caught_and_the_record_named(field, value):
    append(5)
    target = seq_of(3)
    bypass_append_only()

    rows(target).update(**{field: value})

    verdict = audit.verify()
    assert not verdict.ok
    assert verdict.bad_seq == target
    assert verdict.checked == 2
    assert f"#{target}" in verdict.reason


@pytest.mark.django_db
def test_an_altered_time_is_caught():
    append(5)
    target = seq_of(2)
    bypass_append_only()
    rec = rows(target).get()

    rows(target).update(at=rec.at.replace(microsecond=(rec.at.microsecond + 1) % 1_000_000))

    verdict = audit.verify()
    assert (verdict.ok, verdict.bad_seq) == (False, target)


@pytest.mark.django_db
def test_a_removed_record_in_the_middle_is_caught():
    append(5)
    target = seq_of(3)
    bypass_append_only()

    rows(target).delete()

    verdict = audit.verify()
    assert (verdict.ok, verdict.bad_seq, verdict.checked) == (False, target, 2)
    assert f"#{target}" in verdict.reason


@pytest.mark.django_db
def test_a_removed_first_record_is_caught():
    append(3)
    bypass_append_only()

    rows(seq_of(1)).delete()

    verdict = audit.verify()
    assert (verdict.ok, verdict.bad_seq) == (False, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("removed", [1, 2])
def test_removing_the_newest_records_is_caught_by_the_chain_head(removed):
    append(5)
    newest = seq_of(5)
    bypass_append_only()

    AuditRecord.objects.filter(seq__gt=newest - removed).delete()

    verdict = audit.verify()
    assert not verdict.ok
    assert verdict.bad_seq == newest - removed + 1  # the first one missing
    assert verdict.checked == newest - removed


@pytest.mark.django_db
def test_a_rehashed_altered_record_is_caught_at_the_next_record():
    append(5)
    target = seq_of(3)
    bypass_append_only()
    rec = rows(target).get()
    rec.note = "rewritten history"

    rows(target).update(note=rec.note, hash=audit.compute_hash(rec))

    verdict = audit.verify()
    assert (verdict.ok, verdict.bad_seq, verdict.checked) == (False, target + 1, 3)
    assert f"#{target + 1}" in verdict.reason


@pytest.mark.django_db
def test_a_rehashed_altered_newest_record_is_caught_by_the_chain_head():
    append(5)
    target = seq_of(5)
    bypass_append_only()
    rec = rows(target).get()
    rec.note = "rewritten history"

    rows(target).update(note=rec.note, hash=audit.compute_hash(rec))

    assert not audit.verify().ok


@pytest.mark.django_db
def test_a_rehashed_altered_newest_record_is_named():
    append(5)
    target = seq_of(5)
    bypass_append_only()
    rec = rows(target).get()
    rec.note = "rewritten history"

    rows(target).update(note=rec.note, hash=audit.compute_hash(rec))

    assert audit.verify().bad_seq == target


@pytest.mark.django_db
def test_a_record_forged_into_a_gap_is_caught():
    append(5)
    target = seq_of(3)
    bypass_append_only()

    rows(target).update(seq=target + 100)

    verdict = audit.verify()
    assert (verdict.ok, verdict.bad_seq) == (False, target)


# --- The database and the model refuse changes --------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_audit_record():
    [rec] = append(1)

    with pytest.raises(DatabaseError), transaction.atomic():
        rows(rec.seq).update(note="changed")

    assert rows(rec.seq).get().note == ""


@pytest.mark.django_db
def test_the_database_refuses_raw_sql_updates_too():
    [rec] = append(1)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditrecord SET note = %s WHERE seq = %s", ["x", rec.seq])

    assert audit.verify().ok


@pytest.mark.django_db
def test_a_deleted_record_is_refused_by_postgresql_and_caught_by_verify_on_sqlite():
    records = append(3)
    target = records[1].seq

    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            rows(target).delete()
        assert rows(target).exists()
        assert audit.verify().ok
    else:
        # SQLite has no DELETE trigger (it could not tell a test's table flush from
        # tampering), so the removal goes through and the chain names the gap.
        rows(target).delete()
        verdict = audit.verify()
        assert not verdict.ok
        assert verdict.bad_seq == target


@pytest.mark.django_db
def test_saving_an_existing_record_again_raises():
    [rec] = append(1)
    stored = rows(rec.seq).get()
    stored.note = "changed"

    with pytest.raises(RuntimeError):
        stored.save()

    assert rows(rec.seq).get().note == ""


@pytest.mark.django_db
def test_deleting_a_record_through_the_model_raises():
    [rec] = append(1)

    with pytest.raises(RuntimeError):
        rows(rec.seq).get().delete()

    assert rows(rec.seq).exists()


# --- Sequence numbers under concurrency ---------------------------------------------------


@pytest.mark.django_db
def test_records_from_transactions_in_sequence_keep_seq_contiguous():
    with transaction.atomic():
        append(3)
    with transaction.atomic():
        append(2)
    with transaction.atomic():
        audit.record("delete", object_type="test.thing", object_id="1")

    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 6))
    assert audit.verify().ok


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_gap():
    append(2)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        append(3)
        1 / 0  # noqa: B018 - the operation fails after recording

    append(1)

    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert audit.verify().ok


WRITER = """
import django
django.setup()
from django.db import transaction
from kinerja.core import audit
for i in range(5):
    with transaction.atomic():
        entry = audit.Entry(action="update", object_type="test.thing", object_id=str(i))
        audit.record_many([entry] * 3)
"""


def _sqlite_writers_in_processes(tmp_path) -> None:
    """An in-memory SQLite test database is one connection; real concurrency on SQLite means
    processes sharing a database file, as the embedded default does."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
        "KINERJA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chain.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    writers = [subprocess.Popen([sys.executable, "-c", WRITER], env=env) for _ in range(4)]
    assert [w.wait(timeout=300) for w in writers] == [0, 0, 0, 0]
    result = subprocess.run(
        [sys.executable, "-m", "django", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "60" in result.stdout


def _postgresql_writers_in_threads() -> None:
    append(1)  # the head row exists and is committed
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    append(3)
        except BaseException as exc:  # surfaced by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 1 + 1 + 4 * 5 * 3))
    assert audit.verify() == audit.Verdict(True, 61)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_on_the_chain_head(tmp_path):
    if connection.vendor == "sqlite":
        _sqlite_writers_in_processes(tmp_path)
    else:
        _postgresql_writers_in_threads()


# --- Doors: who and through which channel -------------------------------------------------


@pytest.mark.django_db
def test_outside_any_door_a_change_is_recorded_as_system():
    [rec] = append(1)

    assert (rec.channel, rec.actor_id, rec.actor_label) == (Channel.SYSTEM, None, "system")


@pytest.mark.django_db
def test_a_door_with_a_user_records_the_user():
    user = user_for(username="siti")

    with audit.door(Channel.WEB, user):
        [rec] = append(1)

    stored = rows(rec.seq).get()
    assert (stored.channel, stored.actor_id, stored.actor_label) == (Channel.WEB, user.pk, "siti")


@pytest.mark.django_db
def test_a_door_without_a_user_records_its_label():
    with audit.door(Channel.COMMAND, None, label="demo"):
        [rec] = append(1)

    assert (rec.channel, rec.actor_id, rec.actor_label) == (Channel.COMMAND, None, "demo")


@pytest.mark.django_db
def test_a_door_without_user_or_label_records_the_channel():
    with audit.door(Channel.IMPORT):
        [rec] = append(1)

    assert (rec.channel, rec.actor_label) == (Channel.IMPORT, "import")


@pytest.mark.django_db
def test_an_anonymous_visitor_is_not_an_actor():
    with audit.door(Channel.API, AnonymousUser(), label="api"):
        [rec] = append(1)

    assert (rec.channel, rec.actor_id, rec.actor_label) == (Channel.API, None, "api")


@pytest.mark.django_db
def test_the_actor_is_resolved_when_the_record_is_written():
    user = user_for(username="budi")
    signed_in = []

    with audit.door(Channel.WEB, resolver=lambda: signed_in[0] if signed_in else None):
        [before] = append(1)
        signed_in.append(user)
        [after] = append(1)

    assert (before.actor_id, after.actor_id) == (None, user.pk)


@pytest.mark.django_db
def test_doors_nest_and_the_outer_door_returns():
    user = user_for(username="admin2")

    with audit.door(Channel.WEB, user):
        with audit.door(Channel.COMMAND, None, label="demo"):
            [inner] = append(1)
        [outer] = append(1)
    [outside] = append(1)

    assert (inner.channel, inner.actor_label) == (Channel.COMMAND, "demo")
    assert (outer.channel, outer.actor_id) == (Channel.WEB, user.pk)
    assert outside.channel == Channel.SYSTEM
