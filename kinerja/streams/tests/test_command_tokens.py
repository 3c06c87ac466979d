"""``kinerja tokens create|revoke|list``."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.accounts.models import ApiToken, User, hash_token
from kinerja.core.models import AuditRecord, Channel
from kinerja.testing.factories import EmployeeFactory, make_nip


def tokens(*args: str) -> list[str]:
    out = StringIO()
    call_command("tokens", *args, stdout=out)
    return out.getvalue().splitlines()


def test_create_prints_the_token_alone_on_its_last_line(cast):
    lines = tokens("create", "--name", "laporan", "--user", "admin")

    secret = lines[-1]
    assert len(lines) >= 2
    assert secret.startswith("knj_")
    assert " " not in secret
    assert all(secret not in line for line in lines[:-1])


def test_create_stores_only_a_hash_of_the_token(cast):
    secret = tokens("create", "--name", "laporan", "--user", "admin")[-1]

    token = ApiToken.objects.get(name="laporan")
    assert token.user == cast.admin
    assert token.token_hash == hash_token(secret)
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(secret in value for value in stored)
    recorded = json.dumps(list(AuditRecord.objects.values("before", "after", "note")))
    assert secret not in recorded


def test_the_created_token_opens_the_api_as_its_user(cast, client):
    secret = tokens("create", "--name", "mine", "--user", cast.employee.username)[-1]

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert response.json()["employee"] == cast.employees["employee"].nip


@pytest.mark.parametrize("spelling", ["ADMIN", " admin "])
def test_create_finds_the_user_whatever_the_case(cast, spelling):
    tokens("create", "--name", "t", "--user", spelling)

    assert ApiToken.objects.get(name="t").user == cast.admin


def test_create_accepts_a_nip_typed_with_spaces(cast):
    nip = cast.employees["employee"].nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"

    tokens("create", "--name", "t", "--user", spaced)

    assert ApiToken.objects.get(name="t").user == cast.employee


def test_create_makes_an_account_for_an_employee_who_has_none(cast):
    newcomer = EmployeeFactory(
        nip=make_nip(1, birth="19900101"), position=cast.positions["perawat"]
    )
    assert not User.objects.filter(employee=newcomer).exists()

    tokens("create", "--name", "t", "--user", newcomer.nip)

    user = User.objects.get(employee=newcomer)
    assert user.username == newcomer.nip
    assert not user.has_usable_password()
    assert ApiToken.objects.get(name="t").user == user


def test_create_is_recorded_in_the_audit_trail_through_the_command_door(cast):
    tokens("create", "--name", "t", "--user", "admin")

    record = AuditRecord.objects.get(object_type="accounts.apitoken", action="create")
    assert record.channel == Channel.COMMAND
    assert record.object_id == "t"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["create", "--name", "t", "--user", "nobody"], "nobody"),
        (["create", "--name", "t", "--user", "19850312201001"], "19850312201001"),
        (["create", "--name", "t"], "--user"),
        (["create", "--name", "   ", "--user", "admin"], ""),
        (["revoke", "no-such-token"], "no-such-token"),
    ],
)
def test_bad_input_is_a_command_error_and_changes_nothing(cast, args, fragment):
    before = AuditRecord.objects.count()

    with pytest.raises(CommandError) as error:
        tokens(*args)

    assert fragment in str(error.value)
    assert ApiToken.objects.count() == 0
    assert AuditRecord.objects.count() == before


def test_create_refuses_a_duplicate_name(cast):
    tokens("create", "--name", "t", "--user", "admin")

    with pytest.raises(CommandError, match="'t'"):
        tokens("create", "--name", "t", "--user", "auditor")

    assert ApiToken.objects.get(name="t").user == cast.admin


def test_create_refuses_a_former_employee(cast):
    former = EmployeeFactory(
        nip=make_nip(2, birth="19900101"), position=cast.positions["perawat"], active=False
    )

    with pytest.raises(CommandError, match=former.nip):
        tokens("create", "--name", "t", "--user", former.nip)

    assert not User.objects.filter(employee=former).exists()


def test_create_refuses_a_disabled_account(cast):
    cast.auditor.is_active = False
    cast.auditor.save(update_fields=["is_active"])

    with pytest.raises(CommandError):
        tokens("create", "--name", "t", "--user", "auditor")

    assert not ApiToken.objects.exists()


def test_revoke_makes_the_token_answer_401(cast, client):
    secret = tokens("create", "--name", "t", "--user", "admin")[-1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/me", **auth).status_code == 200

    tokens("revoke", "t")

    assert ApiToken.objects.get(name="t").revoked_at is not None
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_revoking_twice_is_a_command_error(cast):
    tokens("create", "--name", "t", "--user", "admin")
    tokens("revoke", "t")

    with pytest.raises(CommandError):
        tokens("revoke", "t")


def test_list_shows_names_users_and_dates_but_never_a_secret(cast, client):
    first = tokens("create", "--name", "alpha", "--user", "admin")[-1]
    second = tokens("create", "--name", "beta", "--user", cast.employee.username)[-1]
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}")
    tokens("revoke", "beta")

    lines = tokens("list")

    text = "\n".join(lines)
    assert first not in text
    assert second not in text
    assert first[4:12] not in text
    alpha = next(line for line in lines if line.startswith("alpha"))
    beta = next(line for line in lines if line.startswith("beta"))
    assert "admin" in alpha
    assert cast.employee.username in beta
    # alpha: created, last used, not revoked; beta: created, never used, revoked.
    assert alpha.split()[-1] == "-"
    assert beta.split().count("-") == 1


def test_list_says_so_when_there_are_no_tokens(cast):
    assert len(tokens("list")) == 1


def test_a_subcommand_is_required(cast):
    with pytest.raises(CommandError):
        tokens()
