"""The alert-rule pages of a stream: who may list, create, change and deactivate rules, and
that a change goes through the operation (validated, recorded)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.streams.models import AlertBreach, AlertRule
from kinerja.streams.services import alert_rule_save

from .service_data import make_stream


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


@pytest.fixture
def rule(stream):
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


def url(name: str, *args) -> str:
    return reverse(f"streams:{name}", args=args)


FORM = {
    "name": "Kepatuhan SLA minggu ini",
    "metric": "within_sla_pct",
    "comparison": "below",
    "threshold": "90",
    "window": "week",
    "consecutive": "1",
    "unit": "",
    "active": "on",
}

PAGES = [
    ("get", "alerts", False),
    ("get", "alert_create", False),
    ("post", "alert_create", False),
    ("get", "alert_edit", True),
    ("post", "alert_edit", True),
    ("post", "alert_deactivate", True),
]


def call(client, method, name, stream, rule, with_rule):
    args = [stream.code, rule.pk] if with_rule else [stream.code]
    return getattr(client, method)(url(name, *args), FORM if method == "post" else None)


@pytest.mark.parametrize(("method", "name", "with_rule"), PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),  # another agency: the stream is not found
        ("employee", 403),  # sees the stream, manages nothing
        ("head", 403),
        ("auditor", 403),  # reads everything, changes nothing
    ],
)
def test_who_may_not_manage_rules_gets_404_or_403(
    cast, client_for, stream, rule, method, name, with_rule, persona, status
):
    response = call(client_for(getattr(cast, persona)), method, name, stream, rule, with_rule)
    assert response.status_code == status
    assert AlertRule.objects.count() == 1 and AlertRule.objects.get().active


@pytest.mark.parametrize("persona", ["pengelola", "admin"])
def test_the_pengelola_of_the_agency_and_the_administrator_manage_rules(
    cast, client_for, stream, rule, persona
):
    client = client_for(getattr(cast, persona))
    listing = client.get(url("alerts", stream.code))
    assert listing.status_code == 200
    assert f'id="alert-rule-{rule.pk}"' in listing.content.decode()
    assert client.get(url("alert_create", stream.code)).status_code == 200
    assert client.get(url("alert_edit", stream.code, rule.pk)).status_code == 200


def test_a_pengelola_of_another_agency_gets_404_for_the_stream(cast, client_for, rule):
    other = make_stream(cast.dukcapil, "ktp-el")
    response = client_for(cast.pengelola).get(url("alerts", other.code))
    assert response.status_code == 404


def test_a_rule_of_another_stream_is_not_found_under_this_one(cast, client_for, stream, rule):
    other = make_stream(cast.dinkes, "rujukan")
    response = client_for(cast.pengelola).get(url("alert_edit", other.code, rule.pk))
    assert response.status_code == 404


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


def test_changing_a_rule_keeps_it_and_records_what_changed(cast, client_for, stream, rule):
    response = client_for(cast.admin).post(
        url("alert_edit", stream.code, rule.pk), {**FORM, "threshold": "85"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == Decimal(85) and rule.metric == "within_sla_pct"
    record = AuditRecord.objects.filter(object_type="streams.alertrule").order_by("-seq").first()
    assert record.action == "update" and record.after["threshold"] == "85"


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
