"""``services.events_ingest``: who may send events to a stream — a service token to its own
streams, a personal token nowhere, people who manage the stream (and ``SYSTEM``) through the
commands — checked inside the operation, at a cost that does not grow with the batch."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kinerja.core.actors import SYSTEM
from kinerja.streams import services
from kinerja.streams.ingest import Validator, store
from kinerja.streams.models import Case, Event

from .service_data import api_token, case_events, local, make_stream

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals' reasons as the API gives them."""
    with translation.override("en"):
        yield


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def events_of(stream, n: int = 1, prefix: str = "K") -> list:
    """``n`` completed cases of three events each, checked."""
    raws = []
    for i in range(n):
        raws += case_events(f"{prefix}{i:05d}", local(date(2026, 1, 5)), 10)
    return Validator(stream).clean_all(raws)


def service_token(name: str, *streams):
    return api_token(name, streams=streams)[0]


def test_a_service_token_sends_to_its_stream(stream):
    stored = services.events_ingest(
        stream=stream, events=events_of(stream), by=service_token("psc", stream)
    )
    assert (stored.accepted, stored.duplicates, stored.inserted) == (3, 0, 3)
    assert Event.objects.filter(stream=stream).count() == 3


def test_a_token_of_another_stream_may_not_send_and_nothing_is_stored(cast, stream):
    other = make_stream(cast.dukcapil, "ktp-el")
    with pytest.raises(PermissionDenied, match="may not write to stream gawat-darurat"):
        services.events_ingest(
            stream=stream, events=events_of(stream), by=service_token("ktp", other)
        )
    assert not Event.objects.exists()


@pytest.mark.parametrize("who", ["admin", "employee"])
def test_a_personal_token_sends_nowhere_whatever_its_users_rights(cast, stream, who):
    token, _secret = api_token(f"personal-{who}", user=getattr(cast, who))
    with pytest.raises(PermissionDenied):
        services.events_ingest(stream=stream, events=events_of(stream), by=token)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("pengelola", True), ("head", False), ("employee", False)],
)
def test_people_who_manage_the_stream_send_through_the_commands(cast, stream, who, allowed):
    user = getattr(cast, who)
    if allowed:
        services.events_ingest(stream=stream, events=events_of(stream), by=user)
        assert Event.objects.filter(stream=stream).count() == 3
    else:
        with pytest.raises(PermissionDenied, match="may not send events"):
            services.events_ingest(stream=stream, events=events_of(stream), by=user)
        assert not Event.objects.exists()


def test_a_closed_stream_takes_no_events_even_from_its_token(stream):
    token = service_token("psc", stream)
    stream.active = False
    stream.save()
    for by in (token, SYSTEM):
        with pytest.raises(PermissionDenied, match="closed"):
            services.events_ingest(stream=stream, events=events_of(stream), by=by)
    assert not Event.objects.exists()


def test_the_rights_add_the_same_few_queries_whatever_the_size_of_the_batch(stream):
    def added(n: int, prefix: str) -> int:
        token = service_token(prefix, stream)
        plain, checked = events_of(stream, n, prefix), events_of(stream, n, prefix + "x")
        with CaptureQueriesContext(connection) as step:
            store(stream, plain)
        with CaptureQueriesContext(connection) as operation:
            services.events_ingest(stream=stream, events=checked, by=token)
        return len(operation) - len(step)

    assert added(1, "a") == added(300, "b") <= 3


def test_the_tokens_streams_are_read_once_per_request(stream):
    token = service_token("psc", stream)
    with CaptureQueriesContext(connection) as captured:
        services.events_ingest(stream=stream, events=events_of(stream), by=token)
    first = len(captured)
    with CaptureQueriesContext(connection) as captured:
        services.events_ingest(stream=stream, events=events_of(stream, prefix="L"), by=token)
    assert len(captured) == first - 1  # the same token object: its streams are known


def test_the_cases_follow_after_the_commit_unless_told_not_to(
    stream, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.events_ingest(stream=stream, events=events_of(stream), by=SYSTEM)
    assert len(callbacks) == 1
    assert Case.objects.filter(stream=stream, completed_at__isnull=False).count() == 1

    with django_capture_on_commit_callbacks() as callbacks:
        services.events_ingest(stream=stream, events=events_of(stream, 2), by=SYSTEM, follow=False)
    assert callbacks == []


def test_a_batch_of_duplicates_only_schedules_nothing(stream, django_capture_on_commit_callbacks):
    services.events_ingest(stream=stream, events=events_of(stream), by=SYSTEM, follow=False)
    with django_capture_on_commit_callbacks() as callbacks:
        stored = services.events_ingest(stream=stream, events=events_of(stream), by=SYSTEM)
    assert (stored.duplicates, stored.inserted) == (3, 0)
    assert callbacks == []
