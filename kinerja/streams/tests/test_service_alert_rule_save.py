"""``services.alert_rule_save`` and ``alert_rule_deactivate``: the rights are checked inside —
Admin BKPSDM and the Pengelola Kinerja of the stream's agency set a stream's alert rules,
nobody else, whatever the door."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.core.actors import SYSTEM
from kinerja.streams import services
from kinerja.streams.models import AlertRule

from .service_data import make_stream

pytestmark = pytest.mark.django_db

VALUES = {
    "name": "Respon lambat",
    "metric": "p90_duration",
    "comparison": "above",
    "threshold": Decimal(15),
    "window": "day",
    "consecutive": 2,
    "unit": None,
    "active": True,
}


@pytest.mark.parametrize(
    ("who", "agency", "allowed"),
    [
        ("admin", "dinkes", True),
        ("pengelola", "dinkes", True),
        ("pengelola", "dukcapil", False),
        ("auditor", "dinkes", False),
        ("head", "dinkes", False),
        ("employee", "dinkes", False),
        ("outsider", "dinkes", False),
    ],
)
def test_who_may_set_a_streams_alert_rules(cast, who, agency, allowed):
    stream = make_stream(getattr(cast, agency), code=f"s-{agency}")
    user = getattr(cast, who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.alert_rule_save(stream=stream, values=VALUES, by=user)
        assert not AlertRule.objects.exists()
        rule = services.alert_rule_save(stream=stream, values=VALUES, by=SYSTEM)
        with pytest.raises(PermissionDenied):
            services.alert_rule_save(
                stream=stream, values={"threshold": Decimal(1)}, by=user, rule=rule
            )
        with pytest.raises(PermissionDenied):
            services.alert_rule_deactivate(rule=rule, by=user)
        rule.refresh_from_db()
        assert (rule.threshold, rule.active) == (Decimal(15), True)
        return
    rule = services.alert_rule_save(stream=stream, values=VALUES, by=user)
    assert rule.created_by == user
    services.alert_rule_deactivate(rule=rule, by=user)
    rule.refresh_from_db()
    assert rule.active is False


def test_a_rule_set_by_the_system_has_no_author(cast):
    rule = services.alert_rule_save(stream=make_stream(cast.dinkes), values=VALUES, by=SYSTEM)
    assert rule.created_by is None
