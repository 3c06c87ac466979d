"""``kinerja roles assign|revoke|list``: role assignments from the console, with their rights."""

import pytest
from django.core.management import CommandError, call_command

from kinerja.accounts.models import RoleAssignment
from kinerja.core.models import AuditRecord
from kinerja.organizations.scope import forget_scope, scope_for


def test_a_pengelola_kinerja_is_assigned_to_an_agency_and_gets_its_rights(cast, capsys):
    nip = cast.employees["outsider"].nip
    call_command(
        "roles", "assign", "--user", nip, "--role", "pengelola_kinerja", "--agency", "dukcapil"
    )
    forget_scope(cast.outsider)
    assert scope_for(cast.outsider).agencies_managed == {cast.dukcapil.pk}
    record = AuditRecord.objects.get(object_type="accounts.roleassignment", action="create")
    assert record.channel == "command"


def test_revoking_takes_the_rights_back(cast):
    call_command(
        "roles",
        "revoke",
        "--user",
        cast.pengelola.username,
        "--role",
        "pengelola_kinerja",
        "--agency",
        "DINKES",
    )
    forget_scope(cast.pengelola)
    assert not scope_for(cast.pengelola).agencies_managed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--role", "auditor"], "No user"),
        (["--user", "admin", "--role", "pengelola_kinerja"], "agency"),
        (["--user", "admin", "--role", "auditor", "--agency", "DINKES"], "region"),
        (["--user", "admin", "--role", "pengelola_kinerja", "--agency", "NOPE"], "No agency"),
    ],
)
def test_bad_role_commands_fail_with_a_reason_and_change_nothing(cast, args, message):
    before = RoleAssignment.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("roles", "assign", *args)
    assert RoleAssignment.objects.count() == before


def test_the_list_shows_every_assignment(cast, capsys):
    call_command("roles", "list")
    out = capsys.readouterr().out
    assert "pengelola_kinerja" in out and "DINKES" in out
    assert "admin_bkpsdm" in out and "auditor" in out
