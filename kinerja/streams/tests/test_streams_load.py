"""Reading, checking and loading stream definitions (definitions.py, services.streams_load)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.models import Agency
from kinerja.streams import services
from kinerja.streams.definitions import (
    DefinitionsRefused,
    check_file,
    check_stream,
    parse_text,
    read_file,
)
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.models import Case, Event, Stream

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "streams.example.yaml"

BASE = {
    "code": "ktp-el",
    "name": "Penerbitan KTP-el",
    "agency": "DINKES",
    "stages": ["diajukan", "diverifikasi", "dicetak", "diserahkan"],
    "start": "diajukan",
    "end": "diserahkan",
    "sla": {"limit": 8, "unit": "working_hours"},
}


def a_file(*streams: dict) -> dict:
    return {"streams": [copy.deepcopy(s) for s in streams]}


def with_(changes: dict, base: dict = BASE) -> dict:
    stream = copy.deepcopy(base)
    for key, value in changes.items():
        if value is KeyError:
            stream.pop(key, None)
        else:
            stream[key] = value
    return stream


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


# --- Errors name the stream and the field --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "KTP EL"}, "code"),
        ({"code": "k"}, "code"),
        ({"code": KeyError}, "code"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": KeyError}, "name"),
        ({"agency": "NOPE"}, "agency"),
        ({"agency": 12}, "agency"),
        ({"stages": "diajukan, diserahkan"}, "stages"),
        ({"stages": []}, "stages"),
        ({"stages": ["diajukan", "Di Verifikasi", "diserahkan"]}, "stages[1]"),
        ({"stages": ["diajukan", "diserahkan", "diajukan"]}, "stages[2]"),
        ({"stages": ["diajukan", True, "diserahkan"]}, "stages[1]"),
        ({"stages": ["diajukan", "x" * 41, "diserahkan"]}, "stages[1]"),
        ({"start": "dibuat"}, "start"),
        ({"start": KeyError}, "start"),
        ({"end": "diajukan"}, "end"),
        ({"sla": KeyError}, "sla"),
        ({"sla": "8 jam"}, "sla"),
        ({"sla": {"limit": 0, "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": -1, "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": "8", "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": True, "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": 1.234, "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": float("inf"), "unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": 10**9, "unit": "hours"}}, "sla.limit"),
        ({"sla": {"unit": "hours"}}, "sla.limit"),
        ({"sla": {"limit": 8, "unit": "weeks"}}, "sla.unit"),
        ({"sla": {"limit": 8}}, "sla.unit"),
        ({"sla": {"limit": 8, "unit": "hours", "target": 90}}, "sla"),
        ({"stage": "diajukan"}, "stage"),
    ],
)
def test_an_error_names_the_stream_by_index_and_code_and_the_field(cast, changes, field):
    good = with_({"code": "gawat-darurat"})
    bad = with_(changes, with_({"code": "ktp-el"}))
    with pytest.raises(DefinitionsRefused) as refused:
        check_file(a_file(good, bad))
    errors = refused.value.errors
    assert field in {e.field for e in errors}
    assert {e.index for e in errors} == {1}
    error = next(e for e in errors if e.field == field)
    expected_code = bad.get("code") if field != "code" else None
    assert error.code == expected_code
    assert str(error).startswith("streams[1]")
    assert field in str(error)


def test_one_bad_stream_stores_nothing_of_the_whole_file(cast):
    good = with_({"code": "gawat-darurat"})
    bad = with_({"sla": {"limit": 0, "unit": "hours"}})
    with pytest.raises(DefinitionsRefused):
        load(a_file(good, bad))
    assert not Stream.objects.exists()
    assert not AuditRecord.objects.filter(object_type="streams.stream").exists()


def test_a_code_twice_in_the_file_is_refused_at_its_second_place(cast):
    with pytest.raises(DefinitionsRefused) as refused:
        check_file(a_file(BASE, with_({"name": "Lagi"})))
    [error] = refused.value.errors
    assert (error.index, error.code, error.field) == (1, "ktp-el", "code")
    assert "streams[0]" in error.message


def test_every_error_of_the_file_is_reported_at_once(cast):
    with pytest.raises(DefinitionsRefused) as refused:
        check_file(a_file(with_({"agency": "NOPE"}), with_({"code": "b", "end": "nope"})))
    assert {(e.index, e.field) for e in refused.value.errors} == {
        (0, "agency"),
        (1, "code"),
        (1, "end"),
    }


@pytest.mark.parametrize(
    "data",
    [None, [], "streams", {"stream": []}, {"streams": []}, {"streams": {"code": "x"}}],
)
def test_a_file_without_a_list_of_streams_is_refused(cast, data):
    with pytest.raises(DefinitionsRefused) as refused:
        check_file(data)
    assert refused.value.errors[0].index is None


def test_an_unknown_top_level_key_is_refused(cast):
    with pytest.raises(DefinitionsRefused) as refused:
        check_file({"streams": [BASE], "version": 2})
    assert "version" in refused.value.errors[0].message


def test_a_stream_that_is_not_a_mapping_is_refused_with_its_index(cast):
    with pytest.raises(DefinitionsRefused) as refused:
        check_file({"streams": [BASE, "gawat-darurat"]})
    assert refused.value.errors[0].index == 1


def test_invalid_yaml_names_its_line():
    with translation.override("en"), pytest.raises(DefinitionsRefused) as refused:
        parse_text("streams:\n  - code: ktp-el\n    name: [unclosed\n")
    assert "line" in refused.value.errors[0].message


def test_a_yaml_bareword_like_on_is_caught_as_not_text(cast):
    data = parse_text(
        "streams:\n  - code: saklar\n    name: Saklar\n    agency: DINKES\n"
        "    stages: [off, on]\n    start: 'off'\n    end: 'on'\n"
        "    sla: {limit: 1, unit: hours}\n"
    )
    with pytest.raises(DefinitionsRefused) as refused:
        check_file(data)
    assert {e.field for e in refused.value.errors} >= {"stages[0]", "stages[1]"}


def test_a_json_file_is_read_as_json(cast, tmp_path):
    import json

    path = tmp_path / "streams.json"
    path.write_text(json.dumps(a_file(BASE)), encoding="utf-8")
    [definition] = check_file(read_file(path))
    assert definition.code == "ktp-el"


def test_invalid_json_names_its_line_and_column(tmp_path):
    path = tmp_path / "streams.json"
    path.write_text('{"streams": [\n  {"code": "ktp-el",,}\n]}', encoding="utf-8")
    with translation.override("en"), pytest.raises(DefinitionsRefused) as refused:
        read_file(path)
    assert "line 2" in refused.value.errors[0].message


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"\xff\xfe\x00bad", "UTF-8"), (None, "read")],
)
def test_an_unreadable_file_is_refused(tmp_path, content, words):
    path = tmp_path / "streams.yaml"
    if content is not None:
        path.write_bytes(content)
    with translation.override("en"), pytest.raises(DefinitionsRefused) as refused:
        read_file(path)
    assert words in refused.value.errors[0].message


def test_a_yaml_file_round_trips_through_safe_load(cast, tmp_path):
    path = tmp_path / "streams.yaml"
    path.write_text(yaml.safe_dump(a_file(BASE)), encoding="utf-8")
    [definition] = check_file(read_file(path))
    assert definition.stages == tuple(BASE["stages"])


def test_the_validator_reads_agency_codes_in_any_case(cast):
    errors: list = []
    definition = check_stream(
        with_({"agency": "dinkes"}), index=0, agencies={"DINKES": cast.dinkes.pk}, errors=errors
    )
    assert errors == []
    assert definition.agency_id == cast.dinkes.pk
