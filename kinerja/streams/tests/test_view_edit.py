"""``streams:edit``: only Admin BKPSDM changes a stream; the change is audited, applies the file's
rules on each field and re-derives or rebuilds the cases; the stream forms need the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.core.models import AuditRecord
from kinerja.streams.models import Case, CaseExclusion, Stream

from .support import CODE, url

STREAM_FORM = {
    "name": "Penanganan kegawatdaruratan",
    "stages": "diterima, berangkat, tiba",
    "start": "diterima",
    "end": "tiba",
    "sla_limit": "15",
    "sla_unit": "minutes",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 302), ("auditor", 403), ("pengelola", 403), ("employee", 403), ("outsider", 404)],
)
def test_changing_a_stream_by_role(cast, client_for, stream, persona, status):
    response = client_for(getattr(cast, persona)).post(
        url("edit", CODE), {**STREAM_FORM, "name": "Baru"}
    )
    assert response.status_code == status
    assert (Stream.objects.get(code=CODE).name == "Baru") is (status == 302)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("exclusions", {"case_key": "B", "reason": "Uji"}),
        ("edit", {**STREAM_FORM, "name": "Baru"}),
    ],
)
def test_forms_need_the_csrf_token(cast, stream, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    assert client.post(url(name, CODE), data).status_code == 403
    assert not CaseExclusion.objects.exists()
    assert Stream.objects.get(code=CODE).name != "Baru"


def test_admin_bkpsdm_changes_a_stream_and_the_change_is_audited(cast, client_for, stream):
    response = client_for(cast.admin).post(
        url("edit", CODE), {**STREAM_FORM, "sla_limit": "7,5", "sla_unit": "minutes"}
    )
    assert response.status_code == 302
    stream.refresh_from_db()
    assert str(stream.sla_limit) == "7.50"
    record = AuditRecord.objects.get(object_type="streams.stream", action="update")
    assert record.channel == "web" and record.actor == cast.admin
    assert record.after == {"sla_limit": "7.5"}
    # The cases follow the new service level: A took 10 minutes.
    assert Case.objects.get(stream=stream, case_key="A").within_sla is False


def test_an_unchanged_form_records_nothing(cast, client_for, stream):
    records = AuditRecord.objects.count()
    response = client_for(cast.admin).post(url("edit", CODE), STREAM_FORM)
    assert response.status_code == 302
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stages": "diterima, Ber Angkat, tiba"}, "stages"),
        ({"stages": "diterima, tiba, tiba"}, "stages"),
        ({"start": "dibuat"}, "start"),
        ({"end": "diterima"}, "end"),
        ({"sla_limit": "0"}, "sla_limit"),
        ({"sla_limit": "1,234"}, "sla_limit"),  # three decimals (1.234 is 1234 in Indonesian)
        ({"sla_limit": "lima belas"}, "sla_limit"),
        ({"sla_unit": "weeks"}, "sla_unit"),
        ({"name": ""}, "name"),
    ],
)
def test_the_form_applies_the_file_rules_on_the_field(cast, client_for, stream, changes, field):
    response = client_for(cast.admin).post(url("edit", CODE), {**STREAM_FORM, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    stream.refresh_from_db()
    assert (stream.stages, str(stream.sla_limit)) == (["diterima", "berangkat", "tiba"], "15.00")


def test_the_edit_form_is_filled_with_the_definition(cast, client_for, stream):
    response = client_for(cast.admin).get(url("edit", CODE))
    form = response.context["form"]
    assert form.initial["stages"] == "diterima, berangkat, tiba"
    assert form["sla_limit"].value() == "15"


def test_a_new_end_stage_rebuilds_the_cases(cast, client_for, stream):
    response = client_for(cast.admin).post(
        url("edit", CODE), {**STREAM_FORM, "end": "berangkat"}, follow=True
    )
    assert response.status_code == 200
    assert Case.objects.get(stream=stream, case_key="A").completed_at is None
