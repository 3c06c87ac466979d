"""Fixtures shared by the tests of the pages of service data. For the administrator's pages
(streams, excluded cases, service tokens): a stream of DINKES with three events not yet merged
into cases, an exclusion, a service token. For the alert pages: an alert rule of the module's
own ``stream``. Modules about other things define their own ``stream``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams import services
from kinerja.streams.ingest import Validator, store
from kinerja.streams.models import CaseExclusion, Stream
from kinerja.streams.services import alert_rule_save

from .service_data import make_stream

T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def event(case: str, stage: str, minutes: int) -> dict:
    return {
        "id": f"{case}-{stage}",
        "case": case,
        "stage": stage,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
    }


@pytest.fixture
def stream(cast) -> Stream:
    stream = make_stream(cast.dinkes)
    # Stored without a catch-up: the pages must bring the cases up to date themselves.
    events = [event("A", "diterima", 0), event("A", "tiba", 10), event("B", "diterima", 3)]
    store(stream, Validator(stream).clean_all(events))
    stream.refresh_from_db()
    return stream


@pytest.fixture
def exclusion(cast, stream) -> CaseExclusion:
    return services.exclusion_add(stream=stream, case_key="A", reason="Uji coba", by=cast.admin)


@pytest.fixture
def service_token(cast, stream) -> ApiToken:
    token, _secret = token_create(name="psc-119", user=None, streams=[stream], by=SYSTEM)
    return token


@pytest.fixture
def rule(stream):
    """An active alert rule of ``stream``: p90 above 15 minutes two days running."""
    return alert_rule_save(
        stream=stream,
        values={
            "name": "p90 di atas target dua hari",
            "metric": "p90_duration",
            "comparison": "above",
            "threshold": Decimal(15),
            "window": "day",
            "consecutive": 2,
            "unit": None,
            "active": True,
        },
        by=SYSTEM,
    )
