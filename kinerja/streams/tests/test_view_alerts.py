"""``streams:alerts`` (and who may manage alert rules on any of the alert pages): the pengelola of
the agency and the administrator list and manage the rules; others get 404 or 403."""

from __future__ import annotations

import pytest

from kinerja.streams.models import AlertRule

from .service_data import make_stream
from .support import FORM, url

PAGES = [
    ("get", "alerts", False),
    ("get", "alert_create", False),
    ("post", "alert_create", False),
    ("get", "alert_edit", True),
    ("post", "alert_edit", True),
    ("post", "alert_deactivate", True),
]


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


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
