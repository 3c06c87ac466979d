"""``streams:alert_deactivate``: deactivating a rule ends its open breach."""

from __future__ import annotations

import pytest

from kinerja.streams.models import AlertBreach

from .service_data import make_stream
from .support import url


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def test_deactivating_a_rule_ends_its_open_breach(cast, client_for, stream, rule):
    from django.utils import timezone

    AlertBreach.objects.create(rule=rule, started_at=timezone.now(), periods=["2026-03-10"])
    response = client_for(cast.pengelola).post(url("alert_deactivate", stream.code, rule.pk))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.active
    assert AlertBreach.objects.get().ended_at is not None
    listing = client_for(cast.pengelola).get(url("alerts", stream.code)).content.decode()
    assert f'id="alert-rule-{rule.pk}" data-active="false"' in listing
