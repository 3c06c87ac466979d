"""The figures are exact (service-data-api.md, "Reading metrics"): for seeded random data — a
few hundred cases over three months, sent shuffled in random batches, some twice, some through
the HTTP API — every case and every figure of a table of queries equals what the independent
reference (``reference.py``) computes from the raw events, through ``metrics.compute`` and
through ``GET /api/v1/streams/{code}/metrics``, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import orjson
import pytest

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.core.models import DayOff
from kinerja.organizations.models import Agency, Unit
from kinerja.streams.ingest import Validator, catch_up, rebuild_cases, rederive_stream, store
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import Case, CaseExclusion, Event, Stream
from kinerja.streams.services import exclusion_add, exclusion_end
from kinerja.testing.factories import RegionFactory, make_nip, user_for

from . import reference as ref

pytestmark = pytest.mark.django_db

DAYS_OFF = {date(2026, 5, 28): "Cuti bersama Iduladha", date(2026, 8, 18): "Cuti bersama HUT RI"}

# (SLA unit, limit): working time and each calendar unit.
CONFIGS = [("working_hours", "8"), ("days", "2"), ("minutes", "90"), ("hours", "1.5")]


@dataclass
class World:
    stream: Stream
    secret: str
    data: ref.Dataset
    units: list[str]
    officers: list[str]
    definition: ref.StreamDef
    calendar: ref.Calendar
    excluded: list[str]
    sent: int
    accepted: int
    duplicates: int

    def reference_cases(self) -> dict[str, ref.RefCase]:
        return ref.derive_cases(self.data.events, self.definition, self.calendar, self.excluded)


def _post(client, secret: str, code: str, events: list[dict]):
    return client.post(
        f"/api/v1/streams/{code}/events",
        data=orjson.dumps({"events": events}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def build_world(client, *, seed: int, sla_unit: str, sla_limit: str, cases: int = 300) -> World:
    """Agency, three units, five officers, two days off, a stream and its token; the seeded
    events sent shuffled in random batches (a quarter of them over HTTP), duplicates resent,
    catch-ups at random moments; exclusions before and after the events arrive."""
    rng = random.Random(seed * 7919)
    region = RegionFactory()
    agency = Agency.objects.create(region=region, code="EXA", name="Dinas Exact", kind="dinas")
    units = [f"EXA-U{i}" for i in range(3)]
    for code in units:
        Unit.objects.create(agency=agency, code=code, name=code)
    officers = [make_nip(900 + i, birth="19800101") for i in range(5)]
    for day, name in DAYS_OFF.items():
        DayOff.objects.get_or_create(date=day, defaults={"name": name})
    stream = Stream.objects.create(
        code=f"exact-{seed}",
        name="Exact",
        agency=agency,
        stages=list(ref.STAGES),
        start_stage="diajukan",
        end_stage="diserahkan",
        sla_limit=Decimal(sla_limit),
        sla_unit=sla_unit,
    )
    _token, secret = token_create(name=f"exact-{seed}", user=None, streams=[stream], by=SYSTEM)
    definition = ref.StreamDef(
        code=stream.code,
        stages=ref.STAGES,
        start="diajukan",
        end="diserahkan",
        sla_limit=Fraction(sla_limit),
        sla_unit=sla_unit,
    )
    data = ref.generate_events(
        seed,
        cases=cases,
        units=units,
        officers=officers,
        sla_us=int(definition.sla_limit_us),
    )
    traffic = data.events + data.resends
    rng.shuffle(traffic)
    pieces = ref.split(rng, traffic, most=150)
    pieces += rng.sample(pieces, 2)  # whole batches sent again: duplicates only
    accepted = duplicates = sent = 0
    admin = user_for(username=f"exact-admin-{seed}")
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN_BKPSDM)
    early = [*data.exclude_before, *data.exclude_ended]
    for n, piece in enumerate(pieces):
        sent += len(piece)
        if rng.random() < 0.25:
            response = _post(client, secret, stream.code, piece)
            assert response.status_code == 200, response.content
            body = response.json()
            accepted, duplicates = accepted + body["accepted"], duplicates + body["duplicates"]
        else:
            stored = store(stream, Validator(stream).clean_all(piece))
            accepted, duplicates = accepted + stored.accepted, duplicates + stored.duplicates
        if rng.random() < 0.3:
            catch_up(stream)
        if n == len(pieces) // 2:  # half-way: exclude the cases that exist by now
            catch_up(stream)
            existing = set(Case.objects.filter(stream=stream).values_list("case_key", flat=True))
            for key in [k for k in early if k in existing]:
                exclusion_add(stream=stream, case_key=key, reason="printer outage", by=admin)
            early = [k for k in early if k not in existing]
    catch_up(stream)
    for key in early:  # the cases that had no event yet half-way
        exclusion_add(stream=stream, case_key=key, reason="printer outage", by=admin)

    # Later decisions: two exclusions end, four new ones.
    for exclusion in CaseExclusion.objects.filter(
        stream=stream, case_key__in=data.exclude_ended, ended_at=None
    ):
        exclusion_end(exclusion=exclusion, by=admin)
    for key in data.exclude_after:
        exclusion_add(stream=stream, case_key=key, reason="duplicate application", by=admin)
    # A repair derives some cases again from all their events: exclusions must survive it.
    fresh = Stream.objects.get(pk=stream.pk)
    rebuild_cases(fresh, [*data.exclude_after, *data.exclude_ended, *rng.sample(data.keys, 20)])
    return World(
        stream=Stream.objects.get(pk=stream.pk),
        secret=secret,
        data=data,
        units=units,
        officers=officers,
        definition=definition,
        calendar=ref.Calendar(days_off=frozenset(DAYS_OFF)),
        excluded=[*data.exclude_before, *data.exclude_after],
        sent=sent,
        accepted=accepted,
        duplicates=duplicates,
    )


def queries(world: World) -> list[tuple[str, dict]]:
    """The table of queries: ranges, filters, groups and stage pairs."""
    first, last = world.data.first_day, world.data.last_day
    whole = {"start": first, "end": last}
    table = [
        ("whole range", whole),
        ("wider range", {"start": date(2026, 5, 1), "end": date(2026, 9, 30)}),
        ("whole range by day", {**whole, "group": "day"}),
        ("whole range by week", {**whole, "group": "week"}),
        ("whole range by month", {**whole, "group": "month"}),
        ("a single day", {"start": date(2026, 6, 10), "end": date(2026, 6, 10)}),
        ("Independence Day", {"start": date(2026, 8, 17), "end": date(2026, 8, 17)}),
        ("one ISO week", {"start": date(2026, 6, 8), "end": date(2026, 6, 14)}),
        (
            "weeks across a month's end",
            {"start": date(2026, 6, 26), "end": date(2026, 7, 8), "group": "week"},
        ),
        ("July by day", {"start": date(2026, 7, 1), "end": date(2026, 7, 31), "group": "day"}),
        ("July", {"start": date(2026, 7, 1), "end": date(2026, 7, 31)}),
        ("weeks around New Year", {"start": date(2026, 12, 20), "end": date(2027, 1, 10),
                                   "group": "week"}),
        ("months around New Year", {"start": date(2026, 11, 15), "end": date(2027, 2, 3),
                                    "group": "month"}),
        ("nothing happened", {"start": date(2027, 1, 1), "end": date(2027, 1, 31),
                              "group": "month"}),
        ("first unit by month", {**whole, "unit": world.units[0], "group": "month"}),
        ("second unit in July", {"start": date(2026, 7, 1), "end": date(2026, 7, 31),
                                 "unit": world.units[1]}),
        ("third unit by week", {**whole, "unit": world.units[2], "group": "week"}),
        ("first officer by week", {**whole, "officer": world.officers[0], "group": "week"}),
        ("second officer", {**whole, "officer": world.officers[1]}),
        ("officer and unit", {**whole, "officer": world.officers[2], "unit": world.units[0]}),
        ("verified to printed", {**whole, "from_stage": "diverifikasi", "to_stage": "dicetak"}),
        (
            "verified to printed by week",
            {**whole, "from_stage": "diverifikasi", "to_stage": "dicetak", "group": "week"},
        ),
        (
            "start to end by month",
            {**whole, "from_stage": "diajukan", "to_stage": "diserahkan", "group": "month"},
        ),
        ("printed to printed", {**whole, "from_stage": "dicetak", "to_stage": "dicetak"}),
        ("end to start", {**whole, "from_stage": "diserahkan", "to_stage": "diajukan"}),
        (
            "verified to handed over for a unit in June",
            {"start": date(2026, 6, 1), "end": date(2026, 6, 30), "unit": world.units[1],
             "from_stage": "diverifikasi", "to_stage": "diserahkan", "group": "day"},
        ),
    ]  # fmt: skip
    # The days around every event at the edge of a local day (00:00:00.000, 23:59:59.999).
    midnight = 17 * 3600 * ref.US  # 00:00 WIB is 17:00 UTC
    edges = sorted(
        {
            ref.local_date(ref.parse_at(e["at"]))
            for e in world.data.events
            if ref.parse_at(e["at"]) % (86_400 * ref.US) in (midnight, midnight - 1000)
        }
    )
    for day in edges:
        table.append((f"edge day {day}", {"start": day, "end": day}))
        table.append((f"edge days around {day}", {"start": day, "end": day + timedelta(days=1),
                                                  "group": "day"}))  # fmt: skip
    return table


def product_answer(world: World, query: dict) -> dict:
    unit_id = None
    if query.get("unit"):
        unit_id = Unit.objects.get(code=query["unit"]).pk
    return compute(
        MetricsQuery(
            stream=world.stream,
            start=query["start"],
            end=query["end"],
            unit_id=unit_id,
            unit_code=query.get("unit"),
            officer=query.get("officer"),
            group=query.get("group"),
            from_stage=query.get("from_stage"),
            to_stage=query.get("to_stage"),
        )
    )


def reference_answer(world: World, cases: dict, query: dict) -> dict:
    return ref.metrics(cases, world.definition, **query)


@pytest.fixture(params=CONFIGS, ids=[f"{unit}-{limit}" for unit, limit in CONFIGS])
def world(request, client) -> World:
    sla_unit, limit = request.param
    seed = 11 + CONFIGS.index(request.param)
    return build_world(client, seed=seed, sla_unit=sla_unit, sla_limit=limit)


def test_every_event_is_stored_once_and_every_resend_counts_as_a_duplicate(world):
    unique = {e["id"] for e in world.data.events}
    assert world.accepted == world.sent
    assert world.duplicates == world.sent - len(unique)
    assert Event.objects.filter(stream=world.stream).count() == len(unique)
    stream = Stream.objects.get(pk=world.stream.pk)
    assert stream.cases_through_pk == stream.last_event_pk


def test_every_case_row_equals_the_reference(world):
    expected = world.reference_cases()
    units = dict(Unit.objects.values_list("pk", "code"))
    rows = {c.case_key: c for c in Case.objects.filter(stream=world.stream)}
    assert set(rows) == set(expected)
    problems = []
    for key, want in expected.items():
        got = rows[key]
        actual = {
            "started": ref.parse_at(got.started_at.isoformat()) if got.started_at else None,
            "completed": ref.parse_at(got.completed_at.isoformat()) if got.completed_at else None,
            "unit": units.get(got.unit_id),
            "officer": got.officer or None,
            "inconsistent": got.inconsistent,
            "excluded": got.excluded,
            "duration_ms": got.duration_ms,
            "within_sla": got.within_sla,
            "events": got.events,
        }
        wanted = {
            "started": want.started,
            "completed": want.completed,
            "unit": want.unit,
            "officer": want.officer,
            "inconsistent": want.inconsistent,
            "excluded": want.excluded,
            "duration_ms": None if want.duration_us is None else want.duration_us // 1000,
            "within_sla": want.within_sla,
            "events": len(want.events),
        }
        if actual != wanted:
            problems.append(f"{key}: {actual} != {wanted}")
    assert not problems, "\n".join(problems[:20])


def test_the_data_has_every_shape_the_contract_speaks_of(world):
    """Guards the generator: the comparisons below mean something only if the data holds
    open, never-started, inconsistent and excluded cases, SLA breaches and ties."""
    cases = world.reference_cases()
    started = [c for c in cases.values() if c.started is not None]
    assert len(started) > 200
    assert sum(1 for c in cases.values() if c.started is None) >= 5
    assert sum(1 for c in started if c.inconsistent) >= 5
    assert sum(1 for c in started if c.completed is None) >= 20
    assert sum(1 for c in started if c.excluded) >= 8
    assert sum(1 for c in started if c.within_sla is False) >= 10
    assert sum(1 for c in started if c.within_sla is True) >= 10
    assert sum(1 for e in world.data.events if e["id"].endswith("-t-a")) >= 10


def test_compute_equals_the_reference_for_every_query(world):
    cases = world.reference_cases()
    problems = []
    for name, query in queries(world):
        problems += ref.differences(
            product_answer(world, query), reference_answer(world, cases, query), f"{name}: "
        )
    assert not problems, "\n".join(problems[:40])


def test_the_metrics_endpoint_answers_the_reference_for_every_query(world, client):
    cases = world.reference_cases()
    problems = []
    for name, query in queries(world):
        params = {k: v.isoformat() if isinstance(v, date) else v for k, v in query.items()}
        response = client.get(
            f"/api/v1/streams/{world.stream.code}/metrics",
            params,
            HTTP_AUTHORIZATION=f"Bearer {world.secret}",
        )
        assert response.status_code == 200, (name, response.content)
        problems += ref.differences(
            response.json(), reference_answer(world, cases, query), f"{name}: "
        )
    assert not problems, "\n".join(problems[:40])


def test_a_day_off_added_later_changes_the_working_time_slas_after_rederiving(client):
    world = build_world(client, seed=41, sla_unit="working_hours", sla_limit="4", cases=150)
    DayOff.objects.create(date=date(2026, 7, 15), name="Hari jadi kota")
    rederive_stream(world.stream)
    world.calendar = ref.Calendar(days_off=frozenset({*DAYS_OFF, date(2026, 7, 15)}))
    cases = world.reference_cases()
    query = {"start": world.data.first_day, "end": world.data.last_day, "group": "week"}
    ref.assert_figures_match(product_answer(world, query), reference_answer(world, cases, query))
    within = dict(Case.objects.filter(stream=world.stream).values_list("case_key", "within_sla"))
    assert within == {key: c.within_sla for key, c in cases.items()}


def test_events_sent_after_a_metrics_read_are_in_the_next_read(client):
    world = build_world(client, seed=43, sla_unit="minutes", sla_limit="90", cases=40)
    query = {"start": world.data.first_day, "end": world.data.last_day}
    more = [
        {"id": "late-1", "case": "LATE", "stage": "diajukan", "at": "2026-06-02T09:00:00+07:00"},
        {"id": "late-2", "case": "LATE", "stage": "diserahkan", "at": "2026-06-02T10:00:00Z"},
    ]
    assert _post(client, world.secret, world.stream.code, more).status_code == 200
    world.data.events += more  # stored, not yet merged: the endpoint must catch up first
    response = client.get(
        f"/api/v1/streams/{world.stream.code}/metrics",
        {"start": query["start"].isoformat(), "end": query["end"].isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {world.secret}",
    )
    ref.assert_figures_match(
        response.json(), reference_answer(world, world.reference_cases(), query)
    )


def test_a_duration_over_the_sla_by_a_fraction_of_a_millisecond_is_outside_it(client):
    agency = Agency.objects.create(region=RegionFactory(), code="SUBMS", name="S", kind="dinas")
    stream = Stream.objects.create(
        code="sub-ms", name="S", agency=agency, stages=["a", "z"], start_stage="a",
        end_stage="z", sla_limit=Decimal(15), sla_unit="minutes",
    )  # fmt: skip
    events = [
        {"id": "1", "case": "k", "stage": "a", "at": "2026-01-05T08:00:00.000000+07:00"},
        {"id": "2", "case": "k", "stage": "z", "at": "2026-01-05T08:15:00.000600+07:00"},
    ]
    store(stream, Validator(stream).clean_all(events))
    catch_up(stream)
    answer = compute(MetricsQuery(stream=stream, start=date(2026, 1, 5), end=date(2026, 1, 5)))
    # The exact duration is 900.0006 s > 900 s: a query over the raw events says "outside".
    assert answer["within_sla_pct"] == 0.0
