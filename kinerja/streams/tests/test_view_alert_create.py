"""``streams:alert_create``: creating an alert rule stores it through the operation and records it;
a wrong rule is refused on its field and nothing is stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.models import AuditRecord
from kinerja.streams.models import AlertRule

from .service_data import make_stream
from .support import FORM, url


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def test_creating_a_rule_stores_it_and_records_it(cast, client_for, stream):
    response = client_for(cast.pengelola).post(
        url("alert_create", stream.code), {**FORM, "unit": cast.units["pkm"].pk}
    )
    assert response.status_code == 302
    created = AlertRule.objects.get()
    assert (created.metric, created.comparison, created.threshold) == (
        "within_sla_pct",
        "below",
        Decimal(90),
    )
    assert created.unit == cast.units["pkm"] and created.created_by == cast.pengelola
    record = AuditRecord.objects.get(object_type="streams.alertrule")
    assert record.action == "create" and record.agency_code == "DINKES"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"threshold": "120"}, "threshold"),  # a share above 100 %
        ({"threshold": "abc"}, "threshold"),
        ({"threshold": "-1"}, "threshold"),
        ({"threshold": "1.234"}, "threshold"),
        ({"consecutive": "0"}, "consecutive"),
        ({"consecutive": "15"}, "consecutive"),
        ({"metric": "speed"}, "metric"),
        ({"window": "month"}, "window"),
        ({"name": "   "}, "name"),
    ],
)
def test_a_wrong_rule_is_refused_on_its_field_and_nothing_is_stored(
    cast, client_for, stream, change, field
):
    response = client_for(cast.pengelola).post(url("alert_create", stream.code), {**FORM, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AlertRule.objects.exists()
