"""Users, assigned roles and personal API tokens.

Most roles are *derived*: Pegawai from having an employee record, Pejabat Penilai and Atasan
Pejabat Penilai from the rater chain, Pimpinan Instansi from holding an agency's head position.
Only the roles that are a decision of the organisation are assigned here.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Where :func:`kinerja.organizations.scope.scope_for` keeps a user's scope for the request.
SCOPE_MEMO = "_kinerja_scope"


class User(AbstractUser):
    """A person who signs in. Employees sign in with their NIP (their username)."""

    employee = models.OneToOneField(
        "organizations.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    #: The interface language this person chose (the language switch); never the browser's.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def audit_key(self) -> str:
        return self.username

    def forget_scope(self) -> None:
        """Drop the memoised scope (after a change to this user's roles or position)."""
        self.__dict__.pop(SCOPE_MEMO, None)

    @property
    def display_name(self) -> str:
        if self.employee is not None:
            return self.employee.name
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    """Every role of the product; the first four are derived, the last three assigned."""

    PEGAWAI = "pegawai", _("Employee (Pegawai)")
    PEJABAT_PENILAI = "pejabat_penilai", _("Rater (Pejabat Penilai)")
    ATASAN_PEJABAT_PENILAI = (
        "atasan_pejabat_penilai",
        _("Rater's superior (Atasan Pejabat Penilai)"),
    )
    PIMPINAN_INSTANSI = "pimpinan_instansi", _("Agency head (Pimpinan Instansi)")
    PENGELOLA_KINERJA = "pengelola_kinerja", _("Performance administrator (Pengelola Kinerja)")
    ADMIN_BKPSDM = "admin_bkpsdm", _("Regional administrator (Admin BKPSDM)")
    AUDITOR = "auditor", _("Auditor (read-only)")


ASSIGNABLE_ROLES = [Role.PENGELOLA_KINERJA, Role.ADMIN_BKPSDM, Role.AUDITOR]
AGENCY_ROLES = {Role.PENGELOLA_KINERJA}


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(
        _("role"), max_length=30, choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES]
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"], name="unique_role_assignment"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="unique_region_role_assignment",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PENGELOLA_KINERJA, agency__isnull=False)
                | (~Q(role=Role.PENGELOLA_KINERJA) & Q(agency__isnull=True)),
                name="agency_only_for_agency_roles",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" — {self.agency.code}" if self.agency is not None else ""
        return f"{self.user.username}: {self.get_role_display()}{suffix}"

    @property
    def audit_key(self) -> str:
        agency = self.agency.code if self.agency is not None else "-"
        return f"{self.user.username}:{self.role}:{agency}"


TOKEN_PREFIX = "knj_"  # noqa: S105 - a public marker that tells tokens apart, not a secret


def hash_token(raw: str) -> str:
    """Tokens are 256 random bits, so a fast hash is enough; nothing reversible is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token: it acts with the rights of its user. Only its hash is kept."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("e.g. laporan-bulanan")
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_tokens", null=True, blank=True
    )
    #: A service application's token writes events to these streams and reads their metrics;
    #: it has no user. A personal token has a user and no streams.
    streams = models.ManyToManyField(
        "streams.Stream", verbose_name=_("streams"), blank=True, related_name="tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("first characters"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.name
