"""``services.streams_load`` (and ``stream_save``, ``stream_rederive``): loading the example file,
idempotence, changes that re-derive or rebuild the cases, all or nothing; only the region's
administrator (``SYSTEM`` in commands) defines streams and re-derives their cases — checked
inside the operations, whatever the door."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.models import Agency
from kinerja.streams import services
from kinerja.streams.definitions import DefinitionsRefused, check_file, read_file
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.models import Case, Event, Stream

from .service_data import make_stream
from .support import BASE, a_file, with_

pytestmark = pytest.mark.django_db

FILE = {
    "streams": [
        {
            "code": "ktp-el",
            "name": "Penerbitan KTP-el",
            "agency": "DUKCAPIL",
            "stages": ["diajukan", "diserahkan"],
            "start": "diajukan",
            "end": "diserahkan",
            "sla": {"limit": 8, "unit": "working_hours"},
        }
    ]
}


@pytest.mark.parametrize("who", ["admin", None])
def test_the_regions_administrator_and_the_system_define_streams(cast, who):
    by = SYSTEM if who is None else getattr(cast, who)
    changes = services.streams_load(definitions=check_file(FILE), by=by)
    assert [c.action for c in changes] == ["create"]
    assert Stream.objects.filter(code="ktp-el").exists()


@pytest.mark.parametrize("who", ["pengelola", "head", "auditor", "employee", "outsider"])
def test_nobody_else_defines_streams_not_even_in_a_dry_run(cast, who):
    user = getattr(cast, who)
    for dry_run in (False, True):
        with pytest.raises(PermissionDenied):
            services.streams_load(definitions=check_file(FILE), by=user, dry_run=dry_run)
    definition = check_file(FILE)[0]
    with pytest.raises(PermissionDenied):
        services.stream_save(definition=definition, by=user)
    assert not Stream.objects.exists()
    assert not AuditRecord.objects.filter(object_type__icontains="stream").exists()


@pytest.mark.parametrize(("who", "allowed"), [("admin", True), ("pengelola", False)])
def test_only_the_regions_administrator_re_derives_a_streams_cases(cast, who, allowed):
    stream = make_stream(cast.dinkes)
    if allowed:
        assert services.stream_rederive(stream=stream, by=getattr(cast, who)) == 0
    else:
        with pytest.raises(PermissionDenied):
            services.stream_rederive(stream=stream, by=getattr(cast, who), rebuild=True)


EXAMPLE = Path(settings.BASE_DIR) / "docs" / "streams.example.yaml"


def load(data: dict) -> list[services.StreamChange]:
    return services.streams_load(definitions=check_file(data), by=SYSTEM)


def send(stream: Stream, events: list[dict]) -> None:
    store(stream, Validator(stream).clean_all(events))
    stream.refresh_from_db()
    catch_up(stream)


T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # a Monday, 08:00 WIB


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def event(case: str, stage: str, minutes: int) -> dict:
    return {"id": f"{case}-{stage}", "case": case, "stage": stage, "at": at(minutes)}


# --- The example file ----------------------------------------------------------------------------


def test_the_example_file_defines_the_two_demo_streams(cast):
    Agency.objects.create(region=cast.dinkes.region, code="DISDUKCAPIL", name="Disdukcapil")
    definitions = check_file(read_file(EXAMPLE))
    by_code = {d.code: d for d in definitions}
    assert set(by_code) == {"ktp-el", "gawat-darurat"}
    ktp, emergency = by_code["ktp-el"], by_code["gawat-darurat"]
    assert (ktp.agency_code, ktp.sla_limit, ktp.sla_unit) == ("DISDUKCAPIL", 8, "working_hours")
    assert ktp.stages == ("diajukan", "diverifikasi", "dicetak", "diserahkan")
    assert (emergency.agency_code, emergency.sla_limit, emergency.sla_unit) == (
        "DINKES",
        15,
        "minutes",
    )
    assert emergency.start == "panggilan-diterima"
    assert "diserahkan-ke-faskes" in emergency.stages


def test_loading_the_example_creates_the_streams_and_records_them(cast):
    Agency.objects.create(region=cast.dinkes.region, code="DISDUKCAPIL", name="Disdukcapil")
    changes = services.streams_load(definitions=check_file(read_file(EXAMPLE)), by=SYSTEM)
    assert [c.action for c in changes] == ["create", "create"]
    ktp = Stream.objects.get(code="ktp-el")
    assert ktp.agency.code == "DISDUKCAPIL"
    assert (ktp.start_stage, ktp.end_stage) == ("diajukan", "diserahkan")
    assert ktp.sla_limit == Decimal(8)
    records = AuditRecord.objects.filter(object_type="streams.stream", action="create")
    assert sorted(records.values_list("object_id", flat=True)) == ["gawat-darurat", "ktp-el"]


# --- Idempotence and changes ---------------------------------------------------------------------


def test_loading_the_same_file_twice_changes_and_records_nothing(cast):
    data = a_file(BASE, with_({"code": "gawat-darurat", "sla": {"limit": 15, "unit": "minutes"}}))
    load(data)
    records = AuditRecord.objects.count()
    updated = dict(Stream.objects.values_list("code", "updated_at"))
    changes = load(data)
    assert [c.action for c in changes] == ["unchanged", "unchanged"]
    assert AuditRecord.objects.count() == records
    assert dict(Stream.objects.values_list("code", "updated_at")) == updated


def test_a_limit_written_as_8_0_is_the_same_as_8(cast):
    load(a_file(BASE))
    changes = load(a_file(with_({"sla": {"limit": 8.0, "unit": "working_hours"}})))
    assert changes[0].action == "unchanged"


def test_a_changed_file_updates_the_stream_and_records_before_and_after(cast):
    load(a_file(BASE))
    changes = load(a_file(with_({"name": "Penerbitan KTP elektronik"})))
    assert changes[0].action == "update"
    assert Stream.objects.get(code="ktp-el").name == "Penerbitan KTP elektronik"
    record = AuditRecord.objects.filter(object_id="ktp-el", action="update").get()
    assert record.before == {"name": "Penerbitan KTP-el"}
    assert record.after == {"name": "Penerbitan KTP elektronik"}


def test_a_stream_missing_from_the_file_is_left_alone(cast):
    other = with_({"code": "gawat-darurat", "sla": {"limit": 15, "unit": "minutes"}})
    load(a_file(BASE, other))
    load(a_file(with_({"name": "Baru"})))
    assert Stream.objects.filter(code="gawat-darurat").exists()
    assert Stream.objects.get(code="gawat-darurat").name == BASE["name"]


def test_a_dry_run_stores_nothing_but_says_what_would_change(cast):
    load(a_file(BASE))
    records = AuditRecord.objects.count()
    data = a_file(with_({"name": "Lain"}), with_({"code": "baru"}))
    changes = services.streams_load(definitions=check_file(data), by=SYSTEM, dry_run=True)
    assert [c.action for c in changes] == ["update", "create"]
    assert not Stream.objects.filter(code="baru").exists()
    assert Stream.objects.get(code="ktp-el").name == BASE["name"]
    assert AuditRecord.objects.count() == records


def test_a_new_service_level_re_derives_the_cases(cast):
    load(a_file(with_({"sla": {"limit": 30, "unit": "minutes"}})))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [event("A", "diajukan", 0), event("A", "diserahkan", 20)])
    assert Case.objects.get(stream=stream, case_key="A").within_sla is True
    changes = load(a_file(with_({"sla": {"limit": 10, "unit": "minutes"}})))
    assert changes[0].sla_changed and changes[0].cases_rederived == 1
    case = Case.objects.get(stream=stream, case_key="A")
    assert case.within_sla is False
    assert case.sla_ms == 20 * 60_000


def test_a_new_start_stage_rebuilds_every_case_from_its_events(cast):
    load(a_file(BASE))
    stream = Stream.objects.get(code="ktp-el")
    send(
        stream,
        [event("A", "diajukan", 0), event("A", "diverifikasi", 30), event("A", "diserahkan", 90)],
    )
    assert Case.objects.get(stream=stream, case_key="A").duration_ms == 90 * 60_000
    changes = load(a_file(with_({"start": "diverifikasi"})))
    assert changes[0].ends_changed and changes[0].cases_rebuilt == 1
    case = Case.objects.get(stream=stream, case_key="A")
    assert case.started_at == T0 + timedelta(minutes=30)
    assert case.duration_ms == 60 * 60_000
    assert case.events == 3


def test_events_stored_but_not_yet_in_the_cases_are_rebuilt_too(cast):
    load(a_file(BASE))
    stream = Stream.objects.get(code="ktp-el")
    # Stored without the catch-up (as while the background task has not run yet).
    store(stream, Validator(stream).clean_all([event("B", "diverifikasi", 5)]))
    load(a_file(with_({"start": "diverifikasi"})))
    case = Case.objects.get(stream=stream, case_key="B")
    assert case.started_at == T0 + timedelta(minutes=5)


def test_removing_a_stage_in_use_is_allowed_and_reported_and_keeps_the_events(cast):
    load(a_file(BASE))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [event("A", "diajukan", 0), event("A", "dicetak", 10)])
    changes = load(a_file(with_({"stages": ["diajukan", "diverifikasi", "diserahkan"]})))
    assert changes[0].removed_stages_in_use == {"dicetak": 1}
    assert Event.objects.filter(stream=stream, stage="dicetak").count() == 1
    assert Stream.objects.get(code="ktp-el").stages == ["diajukan", "diverifikasi", "diserahkan"]


def test_an_excluded_case_stays_excluded_after_a_rebuild(cast):
    load(a_file(BASE))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [event("A", "diajukan", 0), event("A", "diserahkan", 10)])
    services.exclusion_add(stream=stream, case_key="A", reason="uji", by=cast.admin)
    load(a_file(with_({"end": "dicetak"})))
    assert Case.objects.get(stream=stream, case_key="A").excluded is True


def test_one_bad_stream_stores_nothing_of_the_whole_file(cast):
    good = with_({"code": "gawat-darurat"})
    bad = with_({"sla": {"limit": 0, "unit": "hours"}})
    with pytest.raises(DefinitionsRefused):
        load(a_file(good, bad))
    assert not Stream.objects.exists()
    assert not AuditRecord.objects.filter(object_type="streams.stream").exists()
