"""``kinerja events import``: .ndjson, .csv and .xlsx files under the API's rules, in batches
stored whole or not at all, with errors by file line (or spreadsheet row) and field."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kinerja.streams.imports import read as reading
from kinerja.streams.ingest import catch_up
from kinerja.streams.models import Case, Event, Stream
from kinerja.testing.factories import AgencyFactory, UnitFactory, make_nip

OFFICER = make_nip(7)
SPREADSHEET_TIME = datetime(2026, 1, 5, 8, 15)  # noqa: DTZ001 - a spreadsheet's time has no zone


@pytest.fixture
def stream(db) -> Stream:
    agency = AgencyFactory(code="DISDUKCAPIL")
    UnitFactory(agency=agency, code="DUK-LOKET")
    UnitFactory(agency=agency, code="DUK-PLAJU")
    return Stream.objects.create(
        code="ktp-el",
        name="Penerbitan KTP-el",
        agency=agency,
        stages=["diajukan", "diverifikasi", "diserahkan"],
        start_stage="diajukan",
        end_stage="diserahkan",
        sla_limit=8,
        sla_unit="hours",
    )


@pytest.fixture(params=["calamine", "openpyxl"])
def xlsx_reader(request, monkeypatch) -> str:
    """Workbooks are read by python-calamine, or streamed by openpyxl when they are large:
    the same rows and row numbers either way."""
    if request.param == "openpyxl":
        monkeypatch.setattr(reading, "CALAMINE_MAX_XML", -1)
    return request.param


def run(*args) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("events", "import", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def accepted(out: str) -> tuple[int, int]:
    match = re.search(r"ccept(?:ed)? (\d+) events, of which (\d+) duplicates", out)
    assert match, out
    return int(match[1]), int(match[2])


def event(n: int, stage: str = "diajukan", at: str = "2026-01-05T08:15:00+07:00", **extra):
    return {"id": f"E{n}-{stage}", "case": f"C{n}", "stage": stage, "at": at, **extra}


def write_ndjson(path: Path, events: list) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list], *, title: str = "Peristiwa", before=()) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Petunjuk"
    first["A1"] = "Isi lembar Peristiwa."
    sheet = workbook.create_sheet(title)
    for row in before:  # rows above the header (a title, an empty row)
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def stored_ids(stream: Stream) -> list[str]:
    return sorted(Event.objects.filter(stream=stream).values_list("event_id", flat=True))


# --- Formats ------------------------------------------------------------------------------------


def test_an_ndjson_file_is_stored_event_by_event_and_its_cases_follow(stream, tmp_path):
    path = write_ndjson(
        tmp_path / "events.ndjson",
        [
            event(1, unit="DUK-LOKET", officer=OFFICER, attributes={"channel": "loket"}),
            event(1, "diserahkan", "2026-01-05T10:15:00+07:00"),
            event(2, at="2026-01-05T01:00:00Z"),
        ],
    )
    out, _err, error = run("--stream", "ktp-el", path)
    assert error is None
    assert accepted(out) == (3, 0)
    first = Event.objects.get(stream=stream, event_id="E1-diajukan")
    assert first.unit.code == "DUK-LOKET"
    assert first.officer == OFFICER
    assert first.attributes == {"channel": "loket"}
    case = Case.objects.get(stream=stream, case_key="C1")  # the command caught up
    assert case.duration_ms == 2 * 3600 * 1000
    assert case.unit.code == "DUK-LOKET"
    assert Case.objects.get(stream=stream, case_key="C2").completed_at is None


def test_a_csv_file_gives_its_other_columns_as_attributes(stream, tmp_path):
    path = write_csv(
        tmp_path / "events.csv",
        "id,case,stage,at,unit,officer,channel,note,attributes\n"
        f'E1,C1,diajukan,2026-01-05T08:15:00+07:00,duk-loket,{OFFICER},loket,,"{{""x"": 1}}"\n'
        'E2,C1,diserahkan,2026-01-05T09:00:00+07:00,,,online,"a, b",'
        '"{""channel"": ""app""}"\n'
        "E3,C2,diajukan,2026-01-05T09:00:00+07:00,,,,,\n",
    )
    out, _err, error = run("--stream", "ktp-el", path)
    assert error is None, error
    assert accepted(out) == (3, 0)
    events = {e.event_id: e for e in Event.objects.filter(stream=stream)}
    assert events["E1"].attributes == {"channel": "loket", "x": 1}
    assert events["E1"].unit.code == "DUK-LOKET"
    assert events["E1"].officer == OFFICER
    # Empty cells are left out; the attributes column's own keys win over a column.
    assert events["E2"].attributes == {"channel": "app", "note": "a, b"}
    assert events["E2"].unit is None
    assert events["E3"].attributes is None


def test_attribute_columns_keeps_only_the_columns_named(stream, tmp_path):
    path = write_csv(
        tmp_path / "events.csv",
        "id;case;stage;at;channel;note\nE1;C1;diajukan;2026-01-05T08:15:00+07:00;loket;x\n",
    )
    _out, _err, error = run("--stream", "ktp-el", path, "--attribute-columns", "channel")
    assert error is None, error
    assert Event.objects.get(event_id="E1").attributes == {"channel": "loket"}


def test_an_xlsx_sheet_named_peristiwa_is_read_and_gives_the_same_events_as_its_csv(
    stream, tmp_path, xlsx_reader
):
    rows = [
        ["id", "case", "stage", "at", "unit", "channel"],
        ["E1", 61276295, "diajukan", "2026-01-05T08:15:00+07:00", "DUK-LOKET", "loket"],
        ["E2", 61276295, "diserahkan", "2026-01-05T09:15:00+07:00", None, 2.5],
    ]
    book = write_xlsx(tmp_path / "events.xlsx", rows, before=[["Ekspor KTP-el"], []])
    out, _err, error = run("--stream", "ktp-el", book)
    assert error is None, error
    assert accepted(out) == (2, 0)
    e1 = Event.objects.get(event_id="E1")
    assert e1.case_key == "61276295"  # a number cell, as a CSV holds it
    assert Event.objects.get(event_id="E2").attributes == {"channel": "2.5"}
    same = write_csv(
        tmp_path / "events.csv",
        "id,case,stage,at,unit,channel\n"
        "E1,61276295,diajukan,2026-01-05T08:15:00+07:00,DUK-LOKET,loket\n"
        "E2,61276295,diserahkan,2026-01-05T09:15:00+07:00,,2.5\n",
    )
    out, _err, error = run("--stream", "ktp-el", same)
    assert error is None, error
    assert accepted(out) == (2, 2)


def test_an_xlsx_without_an_events_sheet_is_read_from_its_first_sheet(
    stream, tmp_path, xlsx_reader
):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["id", "case", "stage", "at"])
    workbook.active.append(["E1", "C1", "diajukan", "2026-01-05T08:15:00Z"])
    workbook.save(tmp_path / "data.xlsx")
    _out, _err, error = run("--stream", "ktp-el", tmp_path / "data.xlsx")
    assert error is None, error
    assert stored_ids(stream) == ["E1"]


# --- Errors name the file's line (or row) and field -------------------------------------------


def test_csv_errors_name_the_file_line_and_field_also_after_a_cell_spanning_lines(stream, tmp_path):
    path = write_csv(
        tmp_path / "events.csv",
        "id,case,stage,at,note\n"  # line 1
        'E1,C1,diajukan,2026-01-05T08:15:00+07:00,"two\nlines"\n'  # lines 2–3
        "\n"  # line 4: empty, skipped
        "E2,C2,dicetak,2026-01-05T08:15:00+07:00,\n"  # line 5: no such stage
        "E3,C3,diajukan,05/01/2026,\n"  # line 6: not a time
        "E4,C4,diajukan,2026-01-05T08:15:00+07:00,\n",
    )
    _out, err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert "events.csv line 5, field 'stage'" in err
    assert "events.csv line 6, field 'at'" in err
    assert "line 2" not in err
    assert stored_ids(stream) == []


def test_the_same_error_on_many_lines_is_reported_once_with_its_lines(stream, tmp_path):
    rows = "".join(f"E{n},C{n},diajukan,2026-01-05 08:{n:02d}\n" for n in range(2, 10))
    path = write_csv(tmp_path / "events.csv", "id,case,stage,at\n" + rows)
    _out, err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert "Batch 1 (lines 2–9, 8 events) refused: 8 error(s)." in err
    assert "events.csv lines 2, 3, 4, 5, 6 and 3 more, field 'at': " in err
    assert err.count("field 'at'") == 1


def test_ndjson_errors_name_the_line_counting_blank_lines_and_bad_json(stream, tmp_path):
    path = tmp_path / "events.ndjson"
    path.write_text(
        json.dumps(event(1))
        + "\n\n"  # line 2 blank
        + '{"id": "E3", "case": \n'  # line 3: broken JSON
        + json.dumps(event(4, officer="123"))
        + "\n",
        encoding="utf-8",
    )
    _out, err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert "events.ndjson line 3: Not valid JSON" in err
    assert "events.ndjson line 4, field 'officer'" in err
    assert stored_ids(stream) == []


def test_xlsx_errors_name_the_spreadsheet_row(stream, tmp_path, xlsx_reader):
    rows = [
        ["id", "case", "stage", "at", "officer"],  # row 3, under a title and an empty row
        ["E1", "C1", "diajukan", "2026-01-05T08:15:00+07:00", OFFICER],
        ["E2", "C2", "diajukan", "kemarin", None],  # row 5
        ["E3", "C3", "diajukan", "2026-01-05T08:15:00+07:00", float(OFFICER)],  # row 6
    ]
    book = write_xlsx(tmp_path / "events.xlsx", rows, before=[["Ekspor"], []])
    _out, err, error = run("--stream", "ktp-el", book)
    assert error is not None
    assert "Batch 1 (rows 4–6" in err
    assert "events.xlsx row 5, field 'at'" in err
    # A NIP typed as a number has lost its last digits: refused, never stored rounded.
    assert "events.xlsx row 6 (column E): Cell E6 is a number of more than 15 digits" in err
    assert stored_ids(stream) == []


# --- Batches: all or nothing, stop, run again ----------------------------------------------------


def test_a_bad_line_in_batch_two_leaves_batch_one_stored_and_nothing_of_batch_two(stream, tmp_path):
    events = [event(n) for n in range(1, 7)]
    events[3]["at"] = "2026-01-05 08:15"  # line 4: batch 2 (lines 3–4)
    path = write_ndjson(tmp_path / "events.ndjson", events)
    out, err, error = run("--stream", "ktp-el", path, "--batch", 2)
    assert error is not None
    assert "Batch 2 (lines 3–4)" in str(error)
    assert "Batches 1–1 (lines 1–2) were stored" in str(error)
    assert "events.ndjson line 4, field 'at'" in err
    assert stored_ids(stream) == ["E1-diajukan", "E2-diajukan"]  # nothing of batch 2 or 3
    assert accepted(out) == (2, 0)

    # The operator fixes the file and runs the same command again: batch 1 is duplicates.
    events[3]["at"] = "2026-01-05T08:15:00+07:00"
    write_ndjson(path, events)
    out, _err, error = run("--stream", "ktp-el", path, "--batch", 2)
    assert error is None, error
    assert accepted(out) == (6, 2)
    assert len(stored_ids(stream)) == 6


def test_running_the_same_file_again_stores_nothing_new(stream, tmp_path):
    path = write_csv(
        tmp_path / "events.csv",
        "id,case,stage,at\n"
        "E1,C1,diajukan,2026-01-05T08:15:00+07:00\n"
        "E2,C1,diserahkan,2026-01-05T09:15:00+07:00\n",
    )
    assert accepted(run("--stream", "ktp-el", path)[0]) == (2, 0)
    out, _err, error = run("--stream", "ktp-el", path)
    assert error is None
    assert accepted(out) == (2, 2)
    assert Event.objects.filter(stream=stream).count() == 2


def test_the_same_id_with_other_content_is_refused_at_its_line(stream, tmp_path):
    write_ndjson(tmp_path / "first.ndjson", [event(1)])
    run("--stream", "ktp-el", tmp_path / "first.ndjson")
    path = write_ndjson(
        tmp_path / "second.ndjson", [event(2), event(1, at="2026-01-06T08:15:00+07:00")]
    )
    _out, err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert "second.ndjson line 2, field 'id'" in err
    assert stored_ids(stream) == ["E1-diajukan"]


def test_a_dry_run_checks_every_batch_and_stores_nothing(stream, tmp_path):
    write_ndjson(tmp_path / "first.ndjson", [event(1)])
    run("--stream", "ktp-el", tmp_path / "first.ndjson")
    good = write_ndjson(tmp_path / "good.ndjson", [event(1), event(2), event(3)])
    out, _err, error = run("--stream", "ktp-el", good, "--dry-run", "--batch", 2)
    assert error is None, error
    assert "Dry run" in out
    assert accepted(out) == (3, 1)  # event 1 is stored already
    assert stored_ids(stream) == ["E1-diajukan"]

    bad = [event(n) for n in range(2, 8)]
    bad[0]["stage"] = "hilang"  # line 1, batch 1
    bad[4]["unit"] = "NOWHERE"  # line 5, batch 3
    path = write_ndjson(tmp_path / "bad.ndjson", bad)
    _out, err, error = run("--stream", "ktp-el", path, "--dry-run", "--batch", 2)
    assert error is not None
    assert "line 1, field 'stage'" in err
    assert "line 5, field 'unit'" in err  # checking went on after the first refused batch
    assert stored_ids(stream) == ["E1-diajukan"]


# --- Times, units, the case-per-row layout --------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "ndjson", "xlsx"])
def test_times_without_offset_are_refused_unless_a_zone_is_assumed(stream, tmp_path, kind):
    if kind == "csv":
        path = write_csv(tmp_path / "e.csv", "id,case,stage,at\nE1,C1,diajukan,2026-01-05 08:15\n")
    elif kind == "ndjson":
        path = write_ndjson(tmp_path / "e.ndjson", [event(1, at="2026-01-05T08:15:00")])
    else:
        path = write_xlsx(
            tmp_path / "e.xlsx",
            [["id", "case", "stage", "at"], ["E1", "C1", "diajukan", SPREADSHEET_TIME]],
        )
    _out, err, error = run("--stream", "ktp-el", path)
    assert error is not None
    line = 1 if kind == "ndjson" else 2  # NDJSON has no header
    assert re.search(rf"(line|row) {line}, field 'at'", err)
    assert "1 time(s) without an offset" in err
    assert "--assume-time-zone" in err
    assert stored_ids(stream) == []

    _out, _err, error = run("--stream", "ktp-el", path, "--assume-time-zone", "Asia/Jakarta")
    assert error is None, error
    stored = Event.objects.get(stream=stream)
    assert stored.at == datetime(2026, 1, 5, 1, 15, tzinfo=UTC)


def test_times_with_an_offset_keep_it_when_a_zone_is_assumed(stream, tmp_path):
    path = write_ndjson(tmp_path / "e.ndjson", [event(1, at="2026-01-05T08:15:00+08:00")])
    _out, _err, error = run("--stream", "ktp-el", path, "--assume-time-zone", "Asia/Jakarta")
    assert error is None
    assert Event.objects.get(stream=stream).at == datetime(2026, 1, 5, 0, 15, tzinfo=UTC)


EXPORT = (
    "no_tiket,masuk,terverifikasi,selesai,loket,petugas,kanal\n"
    f"T1,2026-01-05T08:00:00,2026-01-05T09:00:00,2026-01-05T11:30:00,DUK-LOKET,{OFFICER},web\n"
    "T2,2026-01-05T08:30:00,,,DUK-PLAJU,,loket\n"
    "T3,2026-01-05T10:00:00,,2026-01-05T10:45:00,DISPAR,,loket\n"
    ",,,,,,\n"
)


def case_per_row(path: Path, *extra) -> tuple[str, str, CommandError | None]:
    return run(
        "--stream", "ktp-el", path,
        "--case-column", "no_tiket",
        "--stage", "diajukan=masuk",
        "--stage", "diverifikasi=terverifikasi",
        "--stage", "diserahkan=selesai",
        "--unit-column", "loket",
        "--officer-column", "petugas",
        "--assume-time-zone", "Asia/Jakarta",
        *extra,
    )  # fmt: skip


def test_a_case_per_row_export_gives_one_event_per_stage_cell(stream, tmp_path):
    path = write_csv(tmp_path / "export.csv", EXPORT.replace("DISPAR", "DUK-LOKET"))
    out, _err, error = case_per_row(path, "--attribute-columns", "kanal")
    assert error is None, error
    assert accepted(out) == (6, 0)
    assert stored_ids(stream) == [
        "T1:diajukan", "T1:diserahkan", "T1:diverifikasi", "T2:diajukan",
        "T3:diajukan", "T3:diserahkan",
    ]  # fmt: skip
    verified = Event.objects.get(event_id="T1:diverifikasi")
    assert verified.case_key == "T1"
    assert verified.unit.code == "DUK-LOKET"
    assert verified.officer == OFFICER
    assert verified.attributes == {"kanal": "web"}
    assert verified.at == datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    case = Case.objects.get(stream=stream, case_key="T1")
    assert case.duration_ms == int(3.5 * 3600 * 1000)


def test_unknown_unit_codes_are_refused_with_the_codes_listed(stream, tmp_path):
    path = write_csv(tmp_path / "export.csv", EXPORT)
    _out, err, error = case_per_row(path)
    assert error is not None
    assert "export.csv line 4, field 'unit' (column loket)" in err
    assert "Unknown unit codes: DISPAR (2)" in err
    assert stored_ids(stream) == []


def test_unknown_unit_codes_can_be_ignored_keeping_the_case(stream, tmp_path):
    path = write_csv(tmp_path / "export.csv", EXPORT)
    out, _err, error = case_per_row(path, "--unknown-units", "ignore")
    assert error is None, error
    assert "DISPAR (2)" in out
    t3 = Case.objects.get(stream=stream, case_key="T3")
    assert t3.unit is None
    assert t3.duration_ms == 45 * 60 * 1000
    assert Case.objects.get(stream=stream, case_key="T2").unit.code == "DUK-PLAJU"


def test_case_per_row_times_without_offset_are_refused_at_their_column(stream, tmp_path):
    path = write_csv(tmp_path / "export.csv", EXPORT)
    _out, err, error = run(
        "--stream", "ktp-el", path, "--case-column", "no_tiket", "--stage", "diajukan=masuk"
    )
    assert error is not None
    assert "export.csv lines 2, 3, 4, field 'at' (column masuk)" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--stream", "nope"], "No stream named 'nope'"),
        (["--case-column", "no_tiket", "--stage", "dicetak=masuk"], "not a stage"),
        (["--case-column", "no_tiket", "--stage", "diajukan=tanggal"], "no column 'tanggal'"),
        (["--stage", "diajukan=masuk"], "--case-column"),
        (["--case-column", "no_tiket", "--stage", "diajukan"], "STAGE=COLUMN"),
        (["--assume-time-zone", "Mars/Olympus"], "unknown time zone"),
        (["--batch", "5001"], "1–5000"),
    ],
)
def test_bad_options_are_refused_before_anything_is_stored(stream, tmp_path, args, expected):
    path = write_csv(tmp_path / "export.csv", EXPORT)
    base = ["--stream", "ktp-el"] if "--stream" not in args else []
    _out, _err, error = run(*base, path, *args)
    assert error is not None
    assert expected in str(error)
    assert stored_ids(stream) == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("events.txt", "x", ".ndjson, .csv, .xlsx"),
        ("events.csv", "id,case,when\nE1,C1,x\n", "lacks the column(s) stage, at"),
        ("events.csv", "", "empty"),
        ("events.xlsx", "not a workbook", "cannot be read"),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_precise_error(
    stream, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    _out, _err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert expected in str(error)


def test_a_closed_stream_takes_no_events(stream, tmp_path):
    Stream.objects.filter(pk=stream.pk).update(active=False)
    path = write_ndjson(tmp_path / "e.ndjson", [event(1)])
    _out, _err, error = run("--stream", "ktp-el", path)
    assert error is not None
    assert stored_ids(stream) == []


def test_progress_is_shown_on_stderr_when_asked(stream, tmp_path, capsys):
    path = write_ndjson(tmp_path / "e.ndjson", [event(n) for n in range(1, 1501)])
    _out, _err, error = run("--stream", "ktp-el", path, "--progress")
    assert error is None
    assert "1.50k rows" in capsys.readouterr().err
    catch_up(stream)
    assert Case.objects.filter(stream=stream).count() == 1500


# --- Memory: the file is streamed ---------------------------------------------------------------

MEMORY_EVENTS = 200_000
MEMORY_LIMIT_MB = 200  # the goal for a 1,000,000-event file is 300 MB; bench/ measures that

MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""

SET_UP_SQLITE = """
import django
django.setup()
from kinerja.organizations.models import Agency, Region
from kinerja.streams.models import Stream
region = Region.objects.create(code="PLG", name="Kota Palembang", head_title="Wali Kota")
agency = Agency.objects.create(region=region, code="DISDUKCAPIL", name="Disdukcapil", kind="dinas")
Stream.objects.create(
    code="ktp-el", name="KTP-el", agency=agency, stages=["diajukan", "diserahkan"],
    start_stage="diajukan", end_stage="diserahkan", sla_limit=8, sla_unit="hours",
)
"""


def write_big_csv(path: Path, events: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,case,stage,at,channel\n")
        for n in range(events // 2):
            minute = n % 50_000
            day, rest = divmod(minute, 480)
            hour, minute = divmod(rest, 60)
            opened = f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T{8 + hour:02d}:{minute:02d}"
            handle.write(f"K{n}:a,K{n},diajukan,{opened}:00+07:00,loket\n")
            handle.write(f"K{n}:b,K{n},diserahkan,{opened}:30+07:00,loket\n")


@pytest.mark.django_db(transaction=True)
def test_importing_a_large_csv_keeps_memory_flat(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kinerja.settings"}
    if connection.vendor == "postgresql":
        # The command runs in its own process against the test database: the stream must be
        # committed (hence a transactional test).
        agency = AgencyFactory(code="DISDUKCAPIL")
        Stream.objects.create(
            code="ktp-el", name="KTP-el", agency=agency, stages=["diajukan", "diserahkan"],
            start_stage="diajukan", end_stage="diserahkan", sla_limit=8, sla_unit="hours",
        )  # fmt: skip
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        # pytest-django's SQLite test database lives in memory, out of another process's
        # reach: a database file of its own.
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'memory.sqlite3'}"
        env["KINERJA_VAR_DIR"] = str(tmp_path)
        for command in (["-m", "django", "migrate", "--noinput", "-v0"], ["-c", SET_UP_SQLITE]):
            subprocess.run([sys.executable, *command], env=env, check=True, timeout=600)
    path = tmp_path / "big.csv"
    write_big_csv(path, MEMORY_EVENTS)
    # The peak of the import alone: measured by a process whose only child is the import.
    done = subprocess.run(
        [
            sys.executable, "-c", MEASURE,
            sys.executable, "-m", "kinerja.cli", "events", "import",
            "--stream", "ktp-el", str(path),
        ],
        env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    peak_mb = int(lines[-1]) / 1024  # ru_maxrss is in KiB on Linux
    assert accepted("\n".join(lines[:-1])) == (MEMORY_EVENTS, 0)
    print(f"peak RSS of importing {MEMORY_EVENTS} events: {peak_mb:.0f} MB")
    assert peak_mb < MEMORY_LIMIT_MB
    if connection.vendor == "postgresql":
        assert Event.objects.count() == MEMORY_EVENTS
