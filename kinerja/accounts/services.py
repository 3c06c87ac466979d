"""Operations on identity: assigned roles, API tokens (the regional administrator's, see
:mod:`.permissions`) and one's own language. Each takes ``by``, checks its rights, runs in one
transaction and writes its own audit record.

What needs the organisation — an employee's account, their password (which an agency's
Pengelola Kinerja may reset) — is in :mod:`kinerja.organizations.services.accounts`."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.protocols import Coded

from .models import (
    AGENCY_ROLES,
    ASSIGNABLE_ROLES,
    ApiToken,
    RoleAssignment,
    User,
    hash_token,
    new_token_secret,
)
from .permissions import can_choose_language, require_administrator


@transaction.atomic
def role_assign(*, user: User, role: str, agency: Coded | None = None, by: Actor) -> RoleAssignment:
    """Give ``user`` an assigned role (``agency`` for Pengelola Kinerja only); giving one they
    have already changes nothing."""
    require_administrator(by)
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
def role_revoke(*, assignment: RoleAssignment, by: Actor) -> None:
    require_administrator(by)
    before = {
        "user": assignment.user.username,
        "role": assignment.role,
        "agency": assignment.agency.code if assignment.agency else None,
    }
    audit.record("delete", assignment, before=before)
    assignment.delete()
    assignment.user.forget_scope()


@transaction.atomic
def token_create(
    *, name: str, user: User | None, streams: Sequence[Coded] = (), by: Actor
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is shown once and never stored.

    A personal token has a ``user``; a service application's token has ``streams`` (which it
    may write events to and read metrics of) and no user — never both. Only the regional
    administrator hands out tokens."""
    require_administrator(by)
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
    token.streams.set([stream.pk for stream in streams])
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
def token_revoke(*, token: ApiToken, by: Actor) -> ApiToken:
    require_administrator(by)
    if token.revoked_at is not None:
        raise ValidationError(_("Token %(name)s was revoked already.") % {"name": token.name})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("revoke", token, after={"revoked_at": token.revoked_at})
    return token


@transaction.atomic
def user_language_set(*, user: User, language: str, by: Actor) -> User:
    """Save the interface language ``user`` chose (the language switch); only they choose it.
    Choosing the language they have changes nothing and records nothing."""
    if not can_choose_language(by, user):
        raise PermissionDenied(_("Only the person themselves chooses their language."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    if user.language != language:
        before = {"language": user.language}
        user.language = language
        user.save(update_fields=["language"])
        audit.record("update", user, before=before, after={"language": language})
    return user
