"""Every rule of "Sending events" (service-data-api.md) at the service level: the validator's
errors name the event's index and field; ``store`` keeps a batch whole or not at all, tells
harmless duplicates from conflicts, and the cases do not depend on arrival order or split."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.db import transaction

from kinerja.organizations.models import Agency, Unit
from kinerja.streams.ingest import (
    BatchRefused,
    Validator,
    catch_up,
    rebuild_cases,
    rederive_stream,
    store,
)
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import Case, Event, Stream
from kinerja.testing.factories import RegionFactory

from . import reference as ref

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
NIP = "198503122010011002"
OTHER_NIP = "199001012015032001"
STAGES = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]


@pytest.fixture
def units():
    agency = Agency.objects.create(region=RegionFactory(), code="ING", name="Ingest", kind="dinas")
    return {
        code: Unit.objects.create(agency=agency, code=code, name=code)
        for code in ("ING-U1", "ING-U2", "ING-U3")
    }


def make_stream(code: str, units) -> Stream:
    return Stream.objects.create(
        code=code,
        name=code,
        agency=next(iter(units.values())).agency,
        stages=STAGES,
        start_stage="diajukan",
        end_stage="diserahkan",
        sla_limit=Decimal(8),
        sla_unit="working_hours",
    )


@pytest.fixture
def stream(units) -> Stream:
    return make_stream("ktp-el", units)


def event(**changes) -> dict:
    """A valid event with ``changes``; a change to ``...`` removes the field."""
    base = {
        "id": "E-1",
        "case": "C-1",
        "stage": "diajukan",
        "at": "2026-01-05T08:15:00+07:00",
        "unit": "ING-U1",
        "officer": NIP,
        "attributes": {"channel": "loket"},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def refused(stream, raws) -> list[tuple]:
    with pytest.raises(BatchRefused) as caught:
        Validator(stream).clean_all(raws)
    return [(e.index, e.field) for e in caught.value.errors]


def good(n: int) -> dict:
    return event(id=f"G-{n}", case=f"C-{n}")


# --- Validation: one bad field, the error names the event's index and the field ----------------

BAD = [
    ("id missing", {"id": ...}, "id"),
    ("id empty", {"id": ""}, "id"),
    ("id null", {"id": None}, "id"),
    ("id a number", {"id": 123}, "id"),
    ("id a list", {"id": ["E-1"]}, "id"),
    ("id of 129 characters", {"id": "x" * 129}, "id"),
    ("case missing", {"case": ...}, "case"),
    ("case empty", {"case": ""}, "case"),
    ("case a number", {"case": 7}, "case"),
    ("case of 129 characters", {"case": "é" * 129}, "case"),
    ("stage missing", {"stage": ...}, "stage"),
    ("stage not of the stream", {"stage": "dibatalkan"}, "stage"),
    ("stage in capitals", {"stage": "DIAJUKAN"}, "stage"),
    ("stage a number", {"stage": 1}, "stage"),
    ("at missing", {"at": ...}, "at"),
    ("at without offset", {"at": "2026-01-05T08:15:00"}, "at"),
    ("at without offset, fractional", {"at": "2026-01-05T08:15:00.250"}, "at"),
    ("at a date only", {"at": "2026-01-05"}, "at"),
    ("at not RFC 3339", {"at": "05/01/2026 08:15"}, "at"),
    ("at a day that does not exist", {"at": "2026-02-30T08:15:00Z"}, "at"),
    ("at hour 25", {"at": "2026-01-05T25:15:00Z"}, "at"),
    ("at offset without colon", {"at": "2026-01-05T08:15:00+0700"}, "at"),
    ("at offset hours only", {"at": "2026-01-05T08:15:00+07"}, "at"),
    ("at a Unix time", {"at": 1767575700}, "at"),
    ("at empty", {"at": ""}, "at"),
    ("unit unknown", {"unit": "NO-SUCH-UNIT"}, "unit"),
    ("unit empty", {"unit": ""}, "unit"),
    ("unit a number", {"unit": 12}, "unit"),
    ("officer of 17 digits", {"officer": NIP[:-1]}, "officer"),
    ("officer of 19 digits", {"officer": NIP + "1"}, "officer"),
    ("officer with a letter", {"officer": NIP[:-1] + "X"}, "officer"),
    ("officer a number", {"officer": int(NIP)}, "officer"),
    ("officer with spaces", {"officer": "19850312 201001 1 002"}, "officer"),
    ("officer empty", {"officer": ""}, "officer"),
    ("attributes a list", {"attributes": ["loket"]}, "attributes"),
    ("attributes a string", {"attributes": "loket"}, "attributes"),
    ("attributes over 4 KiB", {"attributes": {"note": "x" * 4090}}, "attributes"),
]


@pytest.mark.parametrize(("changes", "field"), [r[1:] for r in BAD], ids=[r[0] for r in BAD])
def test_an_invalid_field_is_refused_with_the_events_index_and_the_field(stream, changes, field):
    raws = [good(0), good(1), event(**changes), good(3)]
    assert refused(stream, raws) == [(2, field)]


def test_an_event_that_is_not_an_object_is_refused_with_its_index(stream):
    assert refused(stream, [good(0), "E-1", good(2), ["x"]]) == [(1, ""), (3, "")]


def test_every_error_of_a_batch_is_reported(stream):
    raws = [event(id="", stage="x"), good(1), event(id="E-2", at="2026-01-05", officer="1")]
    assert refused(stream, raws) == [(0, "id"), (0, "stage"), (2, "at"), (2, "officer")]


def test_attributes_of_exactly_4_kib_are_accepted(stream):
    # {"note":"…"} is 11 bytes around the text.
    [clean] = Validator(stream).clean_all([event(attributes={"note": "x" * 4085})])
    assert len(clean.attributes_json) == 4096
    assert refused(stream, [event(attributes={"note": "x" * 4086})]) == [(0, "attributes")]


GOOD = [
    ("Z", "2026-01-05T01:15:00Z", datetime(2026, 1, 5, 1, 15, tzinfo=UTC)),
    ("small z and t", "2026-01-05t01:15:00z", datetime(2026, 1, 5, 1, 15, tzinfo=UTC)),
    ("+07:00", "2026-01-05T08:15:00+07:00", datetime(2026, 1, 5, 1, 15, tzinfo=UTC)),
    ("-03:30", "2026-01-04T21:45:00-03:30", datetime(2026, 1, 5, 1, 15, tzinfo=UTC)),
    ("+00:00", "2026-01-05T01:15:00+00:00", datetime(2026, 1, 5, 1, 15, tzinfo=UTC)),
    (
        "milliseconds",
        "2026-01-05T08:15:00.123+07:00",
        datetime(2026, 1, 5, 1, 15, 0, 123000, tzinfo=UTC),
    ),
    (
        "microseconds",
        "2026-01-05T08:15:00.123456+07:00",
        datetime(2026, 1, 5, 1, 15, 0, 123456, tzinfo=UTC),
    ),
    (
        "nanoseconds (kept to the microsecond)",
        "2026-01-05T08:15:00.123456789Z",
        datetime(2026, 1, 5, 8, 15, 0, 123456, tzinfo=UTC),
    ),
    ("one fraction digit", "2026-01-05T08:15:00.5Z",
     datetime(2026, 1, 5, 8, 15, 0, 500000, tzinfo=UTC)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "instant"), [r[1:] for r in GOOD], ids=[r[0] for r in GOOD])
def test_a_time_with_an_offset_is_stored_to_the_microsecond(stream, text, instant):
    store(stream, Validator(stream).clean_all([event(at=text)]))
    stored = Event.objects.get(stream=stream, event_id="E-1").at
    assert stored == instant
    assert stored.microsecond == instant.microsecond


def test_the_optional_fields_may_be_left_out_or_null(stream):
    raws = [
        event(id="a", unit=..., officer=..., attributes=...),
        event(id="b", unit=None, officer=None, attributes=None),
    ]
    store(stream, Validator(stream).clean_all(raws))
    rows = Event.objects.filter(stream=stream).values_list("unit", "officer", "attributes")
    assert list(rows) == [(None, "", None), (None, "", None)]


def test_a_unit_code_in_small_letters_names_the_same_unit(stream, units):
    [clean] = Validator(stream).clean_all([event(unit="ing-u2")])
    assert clean.unit_id == units["ING-U2"].pk
    [upper] = Validator(stream).clean_all([event(unit="ING-U2")])
    assert clean.digest == upper.digest  # the same content


HOSTILE = [
    ("an officer with a newline after 18 digits", {"officer": NIP + "\n"}, "officer"),
    ("an officer of 18 Arabic-Indic digits", {"officer": "١" * 18}, "officer"),
    ("a time with a newline after it", {"at": "2026-01-05T08:15:00+07:00\n"}, "at"),
]


@pytest.mark.parametrize(
    ("changes", "field"), [r[1:] for r in HOSTILE], ids=[r[0] for r in HOSTILE]
)
def test_lookalike_values_are_refused(stream, changes, field):
    assert refused(stream, [event(**changes)]) == [(0, field)]


def _nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"a": value}
    return value


def test_deeply_nested_attributes_are_an_error_of_that_event(stream):
    assert refused(stream, [good(0), event(attributes=_nested(300))]) == [(1, "attributes")]


def test_attributes_nested_to_a_reasonable_depth_are_accepted(stream):
    Validator(stream).clean_all([event(attributes=_nested(100))])


# --- Storing: whole or nothing; duplicates and conflicts ----------------------------------------


def send(stream, raws):
    return store(stream, Validator(stream).clean_all(raws))


def test_a_batch_is_stored_and_counted(stream):
    stored = send(stream, [good(0), good(1), good(2)])
    assert (stored.accepted, stored.duplicates) == (3, 0)
    assert Event.objects.filter(stream=stream).count() == 3
    assert Stream.objects.get(pk=stream.pk).last_event_pk == Event.objects.latest("pk").pk


def test_an_empty_batch_stores_nothing(stream):
    stored = send(stream, [])
    assert (stored.accepted, stored.duplicates) == (0, 0)


def test_the_same_event_again_is_a_harmless_duplicate(stream):
    send(stream, [good(0), good(1)])
    stored = send(stream, [good(1), good(2)])
    assert (stored.accepted, stored.duplicates) == (2, 1)
    assert Event.objects.filter(stream=stream).count() == 3


SAME_CONTENT = [
    ("the same instant with another offset", {"at": "2026-01-05T01:15:00Z"}),
    ("the same instant with milliseconds written", {"at": "2026-01-05T08:15:00.000+07:00"}),
    ("the same instant far away", {"at": "2026-01-04T13:15:00-12:00"}),
    ("attributes in another order", {"attributes": {"b": 2, "a": 1}}),
    ("the unit in small letters", {"unit": "ing-u1"}),
]


@pytest.mark.parametrize("changes", [r[1] for r in SAME_CONTENT], ids=[r[0] for r in SAME_CONTENT])
def test_the_same_content_written_differently_is_a_duplicate(stream, changes):
    first = {"attributes": {"a": 1, "b": 2}} if "attributes" in changes else {}
    send(stream, [event(**first)])
    stored = send(stream, [event(**changes)])
    assert (stored.accepted, stored.duplicates) == (1, 1)


OTHER_CONTENT = [
    ("another case", {"case": "C-2"}),
    ("another stage", {"stage": "dicetak"}),
    ("another instant", {"at": "2026-01-05T08:15:00.001+07:00"}),
    ("the same clock time with another offset", {"at": "2026-01-05T08:15:00+08:00"}),
    ("another unit", {"unit": "ING-U2"}),
    ("no unit", {"unit": ...}),
    ("another officer", {"officer": OTHER_NIP}),
    ("no officer", {"officer": ...}),
    ("other attributes", {"attributes": {"channel": "online"}}),
    ("no attributes", {"attributes": ...}),
    ("empty attributes", {"attributes": {}}),
]


@pytest.mark.parametrize(
    "changes", [r[1] for r in OTHER_CONTENT], ids=[r[0] for r in OTHER_CONTENT]
)
def test_the_same_id_with_other_content_refuses_the_whole_batch(stream, changes):
    send(stream, [event()])
    last = Stream.objects.get(pk=stream.pk).last_event_pk
    with pytest.raises(BatchRefused) as caught:
        send(stream, [good(7), good(8), event(**changes), good(9)])
    assert [(e.index, e.field) for e in caught.value.errors] == [(2, "id")]
    assert list(Event.objects.filter(stream=stream).values_list("event_id", flat=True)) == ["E-1"]
    assert Stream.objects.get(pk=stream.pk).last_event_pk == last


def test_a_duplicate_inside_one_batch_is_stored_once(stream):
    stored = send(stream, [good(0), event(), good(1), event(at="2026-01-05T01:15:00Z")])
    assert (stored.accepted, stored.duplicates) == (4, 1)
    assert Event.objects.filter(stream=stream, event_id="E-1").count() == 1


def test_a_conflict_inside_one_batch_names_the_later_event(stream):
    with pytest.raises(BatchRefused) as caught:
        send(stream, [event(), good(1), event(stage="dicetak")])
    assert [(e.index, e.field) for e in caught.value.errors] == [(2, "id")]
    assert not Event.objects.filter(stream=stream).exists()


def test_two_streams_stored_in_one_transaction_keep_their_own_events(stream, units):
    other = make_stream("other", units)
    with transaction.atomic():
        send(stream, [event(id="A-1"), event(id="A-2")])
        send(other, [event(id="B-1", stage="dicetak")])
    assert list(Event.objects.filter(stream=other).values_list("event_id", "stage")) == [
        ("B-1", "dicetak")
    ]


def test_ids_are_unique_per_stream_not_across_streams(stream, units):
    other = make_stream("other", units)
    send(stream, [event()])
    stored = send(other, [event(stage="dicetak")])
    assert (stored.accepted, stored.duplicates) == (1, 0)


# --- Cases follow the events; order and split do not matter -------------------------------------


CASE_FIELDS = [
    "case_key", "unit_id", "officer", "started_at", "started_on", "completed_at",
    "completed_on", "duration_ms", "sla_ms", "within_sla", "inconsistent", "excluded", "events",
]  # fmt: skip


def case_rows(stream) -> dict:
    return {
        row["case_key"]: row
        for row in Case.objects.filter(stream=stream).values(*CASE_FIELDS).order_by("case_key")
    }


def answers(stream, units) -> list[dict]:
    queries = [
        {"group": "week"},
        {"unit_id": units["ING-U1"].pk, "unit_code": "ING-U1", "group": "month"},
        {"from_stage": "diverifikasi", "to_stage": "dicetak", "group": "day"},
    ]
    result = []
    for extra in queries:
        answer = compute(
            MetricsQuery(stream=stream, start=date(2026, 5, 25), end=date(2026, 8, 31), **extra)
        )
        answer.pop("stream")
        result.append(answer)
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_order_and_any_split_give_the_same_cases_and_metrics(units, seed):
    data = ref.generate_events(seed, cases=60, units=list(units), officers=[NIP, OTHER_NIP])
    rng = random.Random(seed)
    # The shuffled stream first: on PostgreSQL a later store() in the same transaction would
    # also receive the earlier batches (see the test above), and the order would be lost.
    shuffled = make_stream("shuffled", units)
    traffic = data.events + data.resends
    rng.shuffle(traffic)
    for piece in ref.split(rng, traffic, most=40):
        send(shuffled, piece)
        if rng.random() < 0.4:
            catch_up(shuffled)
    catch_up(shuffled)
    in_order = make_stream("in-order", units)
    send(in_order, data.events)
    catch_up(in_order)
    unique = len({e["id"] for e in data.events})
    assert Event.objects.filter(stream=shuffled).count() == unique
    assert case_rows(shuffled) == case_rows(in_order)
    assert answers(shuffled, units) == answers(in_order, units)
    assert len(case_rows(in_order)) == len({e["case"] for e in data.events})


def test_catching_up_twice_changes_nothing(stream):
    send(stream, [good(0), event(id="E-2", case="C-0", stage="diserahkan")])
    assert catch_up(stream) == 2
    before = case_rows(stream)
    assert catch_up(stream) == 0
    assert case_rows(stream) == before
    fresh = Stream.objects.get(pk=stream.pk)
    assert fresh.cases_through_pk == fresh.last_event_pk


def test_catching_up_in_small_batches_gives_the_same_cases(units):
    data = ref.generate_events(5, cases=30, units=list(units), officers=[NIP, OTHER_NIP])
    small, large = make_stream("small", units), make_stream("large", units)
    for target in (small, large):
        for piece in ref.split(random.Random(5), data.events, most=25):
            send(target, piece)
    assert catch_up(small, batch=7) == catch_up(large) == len(data.events)
    assert case_rows(small) == case_rows(large)


@pytest.mark.parametrize(("unit", "limit"), [("hours", "30"), ("minutes", "300"), ("days", "1")])
def test_after_an_sla_change_rederiving_gives_the_new_slas(units, unit, limit):
    data = ref.generate_events(6, cases=40, units=list(units), officers=[NIP, OTHER_NIP])
    stream = make_stream("sla", units)
    send(stream, data.events)
    catch_up(stream)
    Stream.objects.filter(pk=stream.pk).update(sla_limit=Decimal(limit), sla_unit=unit)
    rederive_stream(Stream.objects.get(pk=stream.pk), batch=7)
    definition = ref.StreamDef(
        code="sla", stages=ref.STAGES, start="diajukan", end="diserahkan",
        sla_limit=Fraction(limit), sla_unit=unit,
    )  # fmt: skip
    expected = ref.derive_cases(data.events, definition, ref.Calendar())
    within = dict(Case.objects.filter(stream=stream).values_list("case_key", "within_sla"))
    assert within == {key: case.within_sla for key, case in expected.items()}
    assert any(within.values()) and not all(v for v in within.values() if v is not None)


def test_rebuilding_a_case_gives_the_case_merged_event_by_event(stream):
    raws = [
        event(id="a", stage="diajukan", at="2026-01-05T08:00:00+07:00"),
        event(id="b", stage="diserahkan", at="2026-01-05T10:00:00+07:00", unit="ING-U2"),
        event(id="c", stage="diajukan", at="2026-01-05T07:00:00+07:00", officer=OTHER_NIP),
    ]
    for raw in raws:
        send(stream, [raw])
        catch_up(stream)
    merged = case_rows(stream)
    rebuild_cases(Stream.objects.get(pk=stream.pk), ["C-1"])
    assert case_rows(stream) == merged


def test_rebuilding_with_the_stream_used_to_catch_up_keeps_the_case(stream):
    send(stream, [good(0)])
    catch_up(stream)  # the same instance: its cases_through_pk is still 0 in memory
    rebuild_cases(stream, ["C-0"])
    catch_up(stream)
    assert Case.objects.filter(stream=stream, case_key="C-0").exists()
