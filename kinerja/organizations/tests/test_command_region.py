"""``kinerja region set|show``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations.models import Region

PALEMBANG = [
    "--code", "PLG", "--name", "Pemerintah Kota Palembang", "--head-title", "Wali Kota Palembang",
]  # fmt: skip


def run(*args: str) -> str:
    out = StringIO()
    call_command("region", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_region_set_creates_the_region_and_records_it_through_the_command_door():
    output = run("set", *PALEMBANG)

    region = Region.objects.get()
    assert (region.code, region.name, region.head_title, region.head_name) == (
        "PLG", "Pemerintah Kota Palembang", "Wali Kota Palembang", "",
    )  # fmt: skip
    assert "PLG" in output
    record = AuditRecord.objects.get(object_type="organizations.region")
    assert (record.action, record.channel, record.object_id) == ("create", Channel.COMMAND, "PLG")
    assert record.actor_label.startswith("console")


@pytest.mark.django_db
def test_region_set_again_updates_the_one_region_and_records_only_what_changed():
    run("set", *PALEMBANG)

    run("set", *PALEMBANG, "--head-name", "Budi Santoso")

    assert Region.objects.get().head_name == "Budi Santoso"
    update = AuditRecord.objects.filter(object_type="organizations.region").order_by("seq").last()
    assert update.action == "update"
    assert (update.before, update.after) == ({"head_name": ""}, {"head_name": "Budi Santoso"})


@pytest.mark.django_db
def test_region_set_without_head_name_keeps_the_stored_name():
    run("set", *PALEMBANG, "--head-name", "Budi Santoso")

    run("set", *PALEMBANG)

    assert Region.objects.get().head_name == "Budi Santoso"
    assert AuditRecord.objects.filter(object_type="organizations.region").count() == 1


@pytest.mark.django_db
def test_region_set_with_the_same_values_records_nothing():
    run("set", *PALEMBANG)
    records = AuditRecord.objects.count()

    run("set", *PALEMBANG)

    assert AuditRecord.objects.count() == records


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--code", "plg kota", "--name", "X", "--head-title", "Y"], "code"),
        (["--code", "PLG", "--name", "", "--head-title", "Y"], "name"),
        (["--code", "PLG", "--name", "X", "--head-title", " "], "head_title"),
    ],
)
def test_region_set_refuses_bad_input_naming_the_field_and_stores_nothing(args, field):
    with pytest.raises(CommandError) as caught:
        run("set", *args)

    assert field in str(caught.value)
    assert not Region.objects.exists()
    assert not AuditRecord.objects.exists()


@pytest.mark.django_db
def test_region_set_requires_code_name_and_title():
    with pytest.raises(CommandError):
        run("set", "--code", "PLG")


@pytest.mark.django_db
def test_region_show_prints_the_region():
    run("set", *PALEMBANG, "--head-name", "Budi Santoso")

    output = run("show")

    for value in ("PLG", "Pemerintah Kota Palembang", "Wali Kota Palembang", "Budi Santoso"):
        assert value in output


@pytest.mark.django_db
def test_region_show_without_a_region_fails():
    with pytest.raises(CommandError):
        run("show")
