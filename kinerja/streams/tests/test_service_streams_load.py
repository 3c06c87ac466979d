"""``services.streams_load``, ``stream_save`` and ``stream_rederive``: only the region's
administrator (``SYSTEM`` in commands) defines streams and re-derives their cases — checked
inside the operations, whatever the door."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.streams import services
from kinerja.streams.definitions import check_file
from kinerja.streams.models import Stream

from .service_data import make_stream

pytestmark = pytest.mark.django_db

FILE = {
    "streams": [
        {
            "code": "ktp-el",
            "name": "Penerbitan KTP-el",
            "agency": "DUKCAPIL",
            "stages": ["diajukan", "diserahkan"],
            "start": "diajukan",
            "end": "diserahkan",
            "sla": {"limit": 8, "unit": "working_hours"},
        }
    ]
}


@pytest.mark.parametrize("who", ["admin", None])
def test_the_regions_administrator_and_the_system_define_streams(cast, who):
    by = SYSTEM if who is None else getattr(cast, who)
    changes = services.streams_load(definitions=check_file(FILE), by=by)
    assert [c.action for c in changes] == ["create"]
    assert Stream.objects.filter(code="ktp-el").exists()


@pytest.mark.parametrize("who", ["pengelola", "head", "auditor", "employee", "outsider"])
def test_nobody_else_defines_streams_not_even_in_a_dry_run(cast, who):
    user = getattr(cast, who)
    for dry_run in (False, True):
        with pytest.raises(PermissionDenied):
            services.streams_load(definitions=check_file(FILE), by=user, dry_run=dry_run)
    definition = check_file(FILE)[0]
    with pytest.raises(PermissionDenied):
        services.stream_save(definition=definition, by=user)
    assert not Stream.objects.exists()
    assert not AuditRecord.objects.filter(object_type__icontains="stream").exists()


@pytest.mark.parametrize(("who", "allowed"), [("admin", True), ("pengelola", False)])
def test_only_the_regions_administrator_re_derives_a_streams_cases(cast, who, allowed):
    stream = make_stream(cast.dinkes)
    if allowed:
        assert services.stream_rederive(stream=stream, by=getattr(cast, who)) == 0
    else:
        with pytest.raises(PermissionDenied):
            services.stream_rederive(stream=stream, by=getattr(cast, who), rebuild=True)
