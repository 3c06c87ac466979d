"""``organizations:password_reset``: administrators set passwords within their scope (a weak one
is refused), creating the account of an employee without one; others cannot."""

import pytest
from django.urls import reverse

from kinerja.core.models import AuditRecord


def url(username):
    return reverse("organizations:password_reset", args=[username])


NEW = {"new_password1": "Plaju-2026-aman", "new_password2": "Plaju-2026-aman"}


@pytest.mark.parametrize(
    ("actor", "target"), [("admin", "employee"), ("pengelola", "employee"), ("admin", "outsider")]
)
def test_administrators_set_passwords_within_their_scope(cast, client_for, actor, target):
    target_user = cast.users[target]
    response = client_for(cast.users[actor]).post(url(target_user.username), NEW)
    assert response.status_code == 302
    target_user.refresh_from_db()
    assert target_user.check_password("Plaju-2026-aman")
    record = AuditRecord.objects.filter(action="password_reset").get()
    assert record.object_id == target_user.username
    assert record.channel == "web"
    assert record.actor_label == cast.users[actor].username


def test_a_weak_password_is_refused_with_the_reason(cast, client_for):
    response = client_for(cast.admin).post(
        url(cast.employee.username), {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not AuditRecord.objects.filter(action="password_reset").exists()


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("pengelola", "outsider", 404),  # another agency: not even visible
        ("employee", "colleague", 404),
        ("rater", "employee", 403),  # visible, but raters do not manage accounts
        ("auditor", "employee", 403),  # read-only
        ("employee", "admin", 403),
        ("pengelola", "admin", 403),
    ],
)
def test_others_cannot_set_passwords(cast, client_for, actor, target, status):
    response = client_for(cast.users[actor]).post(url(cast.users[target].username), NEW)
    assert response.status_code == status
    assert (
        not cast.users[target]
        .__class__.objects.get(pk=cast.users[target].pk)
        .check_password("Plaju-2026-aman")
    )


def test_an_unknown_account_is_404(cast, client_for):
    assert client_for(cast.admin).get(url("no-such-user")).status_code == 404


def test_the_first_password_creates_the_account_of_an_employee_without_one(cast, client_for):
    employee = cast.employees["colleague"]
    cast.colleague.delete()
    response = client_for(cast.pengelola).post(url(employee.nip), NEW)
    assert response.status_code == 302
    user = employee.__class__.objects.get(pk=employee.pk).user
    assert user.username == employee.nip
    assert user.check_password("Plaju-2026-aman")
