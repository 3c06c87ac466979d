"""Operations on accounts: passwords, roles, API tokens. Each writes its own audit record."""

from __future__ import annotations

from collections.abc import Sequence

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit

from .backends import normalize_login
from .models import (
    AGENCY_ROLES,
    ASSIGNABLE_ROLES,
    ApiToken,
    RoleAssignment,
    User,
    hash_token,
    new_token_secret,
)


@transaction.atomic
def account_for_employee(*, employee) -> User:
    """The employee's account, created (without a usable password) if it does not exist yet."""
    user = User.objects.filter(employee=employee).first()
    if user is not None:
        return user
    user = User(username=employee.nip, employee=employee, first_name=employee.name[:150])
    user.set_unusable_password()
    user.save()
    audit.record("create", user, after={"username": user.username, "employee": employee.nip})
    return user


def account_for_login(*, login: str) -> User:
    """The user named by username or NIP (case and NIP spacing ignored). An active employee
    without an account gets one, without a usable password."""
    from kinerja.organizations.models import Employee

    login = normalize_login(login)
    user = User.objects.filter(username__iexact=login).first()
    if user is not None:
        return user
    employee = Employee.objects.filter(nip=login).first()
    if employee is None:
        raise ValidationError(_("No user or employee named %(login)s.") % {"login": login})
    if not employee.active:
        raise ValidationError(_("Employee %(login)s is no longer active.") % {"login": login})
    return account_for_employee(employee=employee)


@transaction.atomic
def password_set(*, user: User, password: str, validate: bool = True) -> User:
    """Set a new password (an administrator's reset) and lift any sign-in lockout."""
    if validate:
        password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=normalize_login(user.username))
    audit.record("password_reset", user, note=_("Password set; any lockout lifted."))
    return user


@transaction.atomic
def role_assign(*, user: User, role: str, agency=None) -> RoleAssignment:
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError({"role": _("This role is derived from the organisation.")})
    if (role in AGENCY_ROLES) != (agency is not None):
        raise ValidationError(
            {
                "agency": _("Choose an agency for this role.")
                if role in AGENCY_ROLES
                else _("This role covers the whole region; leave the agency empty.")
            }
        )
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, agency=agency)
    if created:
        audit.record(
            "create",
            assignment,
            after={"user": user.username, "role": role, "agency": agency.code if agency else None},
        )
        user.forget_scope()
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    before = {
        "user": assignment.user.username,
        "role": assignment.role,
        "agency": assignment.agency.code if assignment.agency_id else None,
    }
    audit.record("delete", assignment, before=before)
    assignment.delete()
    assignment.user.forget_scope()


@transaction.atomic
def token_create(*, name: str, user: User | None, streams: Sequence = ()) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is shown once and never stored.

    A personal token has a ``user``; a service application's token has ``streams`` (which it
    may write events to and read metrics of) and no user — never both."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most 100 characters.")})
    if ApiToken.objects.filter(name=name).exists():
        raise ValidationError(
            {"name": _("A token named %(name)s exists already.") % {"name": name}}
        )
    if user is not None and not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    if (user is None) == (not streams):
        raise ValidationError(
            _("A token belongs either to a user or to one or more streams, not both.")
        )
    secret = new_token_secret()
    token = ApiToken.objects.create(
        name=name, user=user, token_hash=hash_token(secret), hint=secret[:8]
    )
    token.streams.set(streams)
    audit.record(
        "create",
        token,
        after={
            "name": name,
            "user": user.username if user else None,
            "streams": sorted(s.code for s in streams),
            "hint": token.hint,
        },
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError(_("Token %(name)s was revoked already.") % {"name": token.name})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("revoke", token, after={"revoked_at": token.revoked_at})
    return token
