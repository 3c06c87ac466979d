"""``kinerja simulate``: against a real server (``live_server``), with a temporary token or one
read from a file; bad arguments get a precise error and send nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams.models import Case, Event

from .support import simulator_stream


@pytest.fixture
def live_stream(transactional_db):
    from kinerja.testing.personas import build_cast

    cast = build_cast()
    return simulator_stream(cast.dinkes)


@pytest.fixture
def stream(cast):
    return simulator_stream(cast.dinkes)


def test_the_command_without_a_token_uses_a_temporary_one_and_revokes_it(live_stream, live_server):
    out = io.StringIO()
    call_command(
        "simulate", "--stream", "igd", "--rate", "8", "--duration", "1.5",
        "--url", live_server.url, "--seed", "1", "--units", "dinkes-pkm-plaju", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "Done in" in text
    assert Event.objects.filter(stream=live_stream).count() == 16
    assert set(Event.objects.values_list("unit__code", flat=True)) == {"DINKES-PKM-PLAJU"}
    # The server caught up right after each batch's commit (the embedded set-up's tasks run
    # inline): nothing here read the metrics, yet the cases are there.
    live_stream.refresh_from_db()
    assert live_stream.cases_through_pk == live_stream.last_event_pk > 0
    assert Case.objects.filter(stream=live_stream).exists()
    token = ApiToken.objects.get(name__startswith="simulate igd")
    assert token.revoked_at is not None
    assert "revoked" in text.splitlines()[-1]


def test_the_command_reads_the_token_from_a_file(live_stream, live_server, tmp_path):
    secret = token_create(name="demo", user=None, streams=[live_stream], by=SYSTEM)[1]
    path = tmp_path / "token"
    path.write_text(secret + "\n")
    out = io.StringIO()
    call_command(
        "simulate", "--stream", "igd", "--rate", "5", "--duration", "1",
        "--url", live_server.url, "--token-file", str(path), stdout=out,
    )  # fmt: skip
    assert "accepted=5" in out.getvalue()
    assert ApiToken.objects.count() == 1  # no temporary token


BASE = ["--stream", "igd", "--rate", "5", "--duration", "1"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--stream", "nope", "--rate", "5", "--duration", "1"], "No stream named 'nope'"),
        (["--stream", "igd", "--rate", "0", "--duration", "1"], "--rate"),
        (["--stream", "igd", "--rate", "5", "--duration", "-1"], "--duration"),
        ([*BASE, "--officers", "123"], "NIP"),
        ([*BASE, "--token", "a", "--token-file", "b"], "not allowed with"),
        ([*BASE, "--token-file", "/nonexistent"], "token file"),
    ],
)
def test_bad_arguments_get_a_precise_error_and_send_nothing(stream, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("simulate", *arguments, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
    assert not Event.objects.exists()
