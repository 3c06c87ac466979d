"""``kinerja streams load FILE [--dry-run]``, ``kinerja streams list``, ``kinerja streams
rederive CODE [--rebuild]``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations.models import Agency
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.models import Case, Stream

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "streams.example.yaml"
T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def run(*args: str) -> str:
    out = StringIO()
    call_command("streams", *args, stdout=out)
    return out.getvalue()


def stream_file(tmp_path: Path, **changes) -> Path:
    stream = {
        "code": "ktp-el",
        "name": "Penerbitan KTP-el",
        "agency": "DINKES",
        "stages": ["diajukan", "diverifikasi", "dicetak", "diserahkan"],
        "start": "diajukan",
        "end": "diserahkan",
        "sla": {"limit": 8, "unit": "working_hours"},
        **changes,
    }
    path = tmp_path / "streams.yaml"
    path.write_text(yaml.safe_dump({"streams": [stream]}, sort_keys=False), encoding="utf-8")
    return path


def send(stream: Stream, events: list[tuple[str, str, int]]) -> None:
    raws = [
        {"id": f"{c}-{s}", "case": c, "stage": s, "at": (T0 + timedelta(minutes=m)).isoformat()}
        for c, s, m in events
    ]
    store(stream, Validator(stream).clean_all(raws))
    stream.refresh_from_db()
    catch_up(stream)


def test_loading_the_example_file_creates_the_demo_streams(cast):
    Agency.objects.create(region=cast.dinkes.region, code="DISDUKCAPIL", name="Disdukcapil")
    out = run("load", str(EXAMPLE))
    assert "ktp-el: created." in out
    assert "gawat-darurat: created." in out
    assert set(Stream.objects.values_list("code", flat=True)) == {"ktp-el", "gawat-darurat"}
    records = AuditRecord.objects.filter(object_type="streams.stream")
    assert set(records.values_list("channel", flat=True)) == {Channel.COMMAND}


def test_loading_twice_says_unchanged_and_records_nothing(cast, tmp_path):
    path = stream_file(tmp_path)
    run("load", str(path))
    records = AuditRecord.objects.count()
    out = run("load", str(path))
    assert "ktp-el: unchanged." in out
    assert "0 were created, 0 were changed, 1 unchanged" in out
    assert AuditRecord.objects.count() == records


def test_a_change_is_shown_field_by_field(cast, tmp_path):
    run("load", str(stream_file(tmp_path)))
    out = run("load", str(stream_file(tmp_path, name="Penerbitan KTP elektronik")))
    assert "ktp-el: changed — name: Penerbitan KTP-el -> Penerbitan KTP elektronik." in out


def test_a_new_service_level_says_the_cases_were_re_derived(cast, tmp_path):
    run("load", str(stream_file(tmp_path, sla={"limit": 30, "unit": "minutes"})))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [("A", "diajukan", 0), ("A", "diserahkan", 20)])
    out = run("load", str(stream_file(tmp_path, sla={"limit": 10, "unit": "minutes"})))
    assert "every case was re-derived (1 case(s))" in out
    assert Case.objects.get(stream=stream, case_key="A").within_sla is False


def test_a_new_end_stage_says_every_case_was_rebuilt(cast, tmp_path):
    run("load", str(stream_file(tmp_path)))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [("A", "diajukan", 0), ("A", "dicetak", 20)])
    out = run("load", str(stream_file(tmp_path, end="dicetak")))
    assert "every case was rebuilt from its events (1 case(s))" in out
    assert Case.objects.get(stream=stream, case_key="A").duration_ms == 20 * 60_000


def test_a_removed_stage_in_use_is_warned_about(cast, tmp_path):
    run("load", str(stream_file(tmp_path)))
    send(Stream.objects.get(code="ktp-el"), [("A", "dicetak", 0)])
    out = run("load", str(stream_file(tmp_path, stages=["diajukan", "diverifikasi", "diserahkan"])))
    assert "Warning: stage dicetak is removed but 1 stored event(s) use it" in out


def test_a_dry_run_reports_and_stores_nothing(cast, tmp_path):
    run("load", str(stream_file(tmp_path)))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [("A", "diajukan", 0)])
    out = run("load", str(stream_file(tmp_path, start="diverifikasi")), "--dry-run")
    assert out.startswith("Dry run: nothing was stored.")
    assert "ktp-el: would be changed — start: diajukan -> diverifikasi." in out
    assert "all 1 case(s) would be rebuilt" in out
    stream.refresh_from_db()
    assert stream.start_stage == "diajukan"


def test_errors_name_the_stream_and_the_field_and_store_nothing(cast, tmp_path):
    path = tmp_path / "streams.yaml"
    path.write_text(
        "streams:\n"
        "  - {code: ktp-el, name: KTP, agency: DINKES, stages: [a, b], start: a, end: b,\n"
        "     sla: {limit: 8, unit: hours}}\n"
        "  - {code: gawat-darurat, name: GD, agency: DINKES, stages: [a, b], start: a, end: c,\n"
        "     sla: {limit: 0, unit: hours}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run("load", str(path))
    message = str(refused.value)
    assert "nothing was stored (2 error(s))" in message
    assert "streams[1] (gawat-darurat), end:" in message
    assert "streams[1] (gawat-darurat), sla.limit:" in message
    assert not Stream.objects.exists()


def test_a_missing_file_is_refused(cast, tmp_path):
    with pytest.raises(CommandError) as refused:
        run("load", str(tmp_path / "tidak-ada.yaml"))
    assert "cannot be read" in str(refused.value)


def test_invalid_yaml_is_refused_with_its_line(cast, tmp_path):
    path = tmp_path / "streams.yaml"
    path.write_text("streams:\n  - code: [ktp-el\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("load", str(path))
    assert "line" in str(refused.value)


def test_as_records_the_named_user_as_the_actor(cast, tmp_path):
    call_command("streams", "--as", "admin", "load", str(stream_file(tmp_path)), stdout=StringIO())
    record = AuditRecord.objects.get(object_type="streams.stream")
    assert record.actor == cast.admin and record.channel == Channel.COMMAND


def test_list_shows_each_stream(cast, tmp_path):
    assert "No stream" in run("list")
    run("load", str(stream_file(tmp_path)))
    out = run("list")
    assert out.startswith("ktp-el\tDINKES\tPenerbitan KTP-el")
    assert "diajukan -> diserahkan" in out and "SLA 8 working_hours" in out


@pytest.mark.parametrize(("extra", "how"), [((), "re-derived"), (("--rebuild",), "rebuilt")])
def test_rederive_derives_the_cases_again(cast, tmp_path, extra, how):
    run("load", str(stream_file(tmp_path)))
    stream = Stream.objects.get(code="ktp-el")
    send(stream, [("A", "diajukan", 0), ("B", "diajukan", 5)])
    out = run("rederive", "ktp-el", *extra)
    assert out.strip() == f"ktp-el: 2 case(s) {how}" + (" from their events." if extra else ".")
    assert Case.objects.filter(stream=stream).count() == 2


def test_rederive_refuses_an_unknown_stream(cast):
    with pytest.raises(CommandError):
        run("rederive", "tidak-ada")


def test_as_someone_who_may_not_define_streams_is_refused_and_stores_nothing(cast, tmp_path):
    username = cast.pengelola.username
    with pytest.raises(CommandError, match="may define streams"):
        call_command("streams", "--as", username, "load", str(stream_file(tmp_path)))
    assert not Stream.objects.exists()
    run("load", str(stream_file(tmp_path)))
    with pytest.raises(CommandError, match="may define streams"):
        call_command("streams", "--as", username, "rederive", "ktp-el")
