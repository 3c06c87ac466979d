"""Reading and checking stream definitions (``kinerja.streams.definitions``): errors name the
stream by index and code and the field; YAML and JSON files, unreadable ones refused."""

from __future__ import annotations

import pytest
import yaml
from django.utils import translation

from kinerja.streams.definitions import (
    DefinitionsRefused,
    check_file,
    check_stream,
    parse_text,
    read_file,
)

from .support import BASE, a_file, with_

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
