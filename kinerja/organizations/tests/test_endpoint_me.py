"""GET /api/v1/me (``me``): the signed-in user's account, employee and roles."""

import pytest

from kinerja.accounts.models import Role
from kinerja.accounts.tests.support import ME, bearer, new_token


@pytest.mark.parametrize(
    ("persona", "employee", "roles"),
    [
        ("employee", True, {Role.PEGAWAI}),
        ("rater", True, {Role.PEGAWAI, Role.PEJABAT_PENILAI}),
        (
            "rater_superior",
            True,
            {Role.PEGAWAI, Role.PEJABAT_PENILAI, Role.ATASAN_PEJABAT_PENILAI},
        ),
        ("pengelola", True, {Role.PEGAWAI, Role.PENGELOLA_KINERJA}),
        ("admin", False, {Role.ADMIN_BKPSDM}),
        ("auditor", False, {Role.AUDITOR}),
    ],
)
def test_me_names_the_roles_of_each_persona(cast, client, persona, employee, roles):
    _, secret = new_token(cast.users[persona])

    body = client.get(ME, **bearer(secret)).json()

    assert set(body["roles"]) == {role.value for role in roles}
    assert (body["employee"] is not None) is employee


def test_the_agency_head_has_the_pimpinan_instansi_role(cast, client):
    _, secret = new_token(cast.head)

    assert Role.PIMPINAN_INSTANSI in client.get(ME, **bearer(secret)).json()["roles"]
