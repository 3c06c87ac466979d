"""``streams:alert_edit``: changing a rule keeps it and records what changed; a rule of another
stream is not found under this one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.models import AuditRecord

from .service_data import make_stream
from .support import FORM, url


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def test_a_rule_of_another_stream_is_not_found_under_this_one(cast, client_for, stream, rule):
    other = make_stream(cast.dinkes, "rujukan")
    response = client_for(cast.pengelola).get(url("alert_edit", other.code, rule.pk))
    assert response.status_code == 404


def test_changing_a_rule_keeps_it_and_records_what_changed(cast, client_for, stream, rule):
    response = client_for(cast.admin).post(
        url("alert_edit", stream.code, rule.pk), {**FORM, "threshold": "85"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == Decimal(85) and rule.metric == "within_sla_pct"
    record = AuditRecord.objects.filter(object_type="streams.alertrule").order_by("-seq").first()
    assert record.action == "update" and record.after["threshold"] == "85"
