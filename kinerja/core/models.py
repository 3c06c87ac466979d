"""The audit trail: an append-only, hash-chained record of every change to domain data; the
year-versioned rule tables, the working calendar and in-app notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .actors import Actor


class Channel(models.TextChoices):
    """The door through which a change came in."""

    WEB = "web", _("web")
    API = "api", _("API")
    COMMAND = "command", _("command")
    IMPORT = "import", _("import")
    SYSTEM = "system", _("system")


#: Every action an operation records (``audit.record(action, …)``), as the audit pages say it;
#: the API keeps the codes. The field names and values of a change are labelled by
#: :mod:`kinerja.portal.audit_labels`.
ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("removed"),
    "end": _("ended"),
    "revoke": _("revoked"),
    "password_reset": _("password set"),
    "import": _("import"),
    "correct": _("corrected"),
    "verify": _("verified"),
    "return": _("returned"),
    "submit": _("submitted"),
    "agree": _("agreed"),
    "reopen": _("reopened"),
    "transition": _("state changed"),
    "rate": _("rated"),
    "object": _("objection filed"),
    "explanation_request": _("explanation requested"),
    "explain": _("explanation given"),
    "decide": _("objection decided"),
    "bind": _("bound to service data"),
    "follow_up": _("follow-up recorded"),
    "remind": _("reminders sent"),
}


class AuditRecord(models.Model):
    """One change. Never updated or deleted: the database refuses it (see migration 0002).

    ``hash`` covers every field and the previous record's hash, so altering or removing a
    record breaks the chain, which ``kinerja audit verify`` detects.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, db_index=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    agency_code = models.CharField(_("agency"), max_length=30, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("Audit records are append-only.")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class AuditChainHead(models.Model):
    """The last link of the chain, so that removing the newest records is detected too.

    Its single row is also the lock that puts concurrent writers in one queue.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


# --- Year-versioned rule tables (architecture.md rule 3: regulation is data) -------------------
#
# A rule row applies from ``valid_from`` (a year) until a row with a later ``valid_from``
# replaces it. Defaults are loaded by migration; a new regulation is a new row.


class AchievementBand(models.Model):
    """An interpretation band of achievement (domain.md §2): a value belongs to the band with
    the highest ``min_pct`` it reaches."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    label = models.CharField(_("band"), max_length=40)
    min_pct = models.DecimalField(
        _("from (%)"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Lowest achievement of the band; empty for the lowest band"),
    )  # fmt: skip
    colour = models.CharField(_("colour"), max_length=7, help_text=_("e.g. #1e7b34"))

    class Meta:
        ordering = ["valid_from", "-min_pct"]
        verbose_name = _("achievement band")
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "label"], name="unique_band_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.label} ≥ {self.min_pct}"


class AchievementSetting(models.Model):
    """The cap on achievement (domain.md §2, default 120 %) and its year of validity."""

    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"), unique=True)
    cap_pct = models.DecimalField(_("maximum achievement (%)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("achievement setting")

    def __str__(self) -> str:
        return f"{self.valid_from}: cap {self.cap_pct}"


# --- The working calendar (working-time service levels) -----------------------------------


class WorkingHours(models.Model):
    """The region's working time: which weekdays, from when to when (local time).

    One row applies; the default (Monday–Friday, 08:00–16:00) comes from a migration."""

    weekdays = models.CharField(
        _("working days"),
        max_length=20,
        default="1,2,3,4,5",
        help_text=_("ISO weekday numbers, Monday = 1, e.g. 1,2,3,4,5"),
    )
    starts = models.TimeField(_("from"), help_text=_("e.g. 08:00"))
    ends = models.TimeField(_("until"), help_text=_("e.g. 16:00"))
    national_holidays = models.BooleanField(
        _("national public holidays are days off"), default=True
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self) -> str:
        return f"{self.weekdays} {self.starts:%H:%M}–{self.ends:%H:%M}"


class DayOff(models.Model):
    """A day off of the region beyond the national public holidays (cuti bersama, local
    holidays): no working time is counted on it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. Cuti bersama Idulfitri"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off")
        verbose_name_plural = _("days off")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


# --- In-app notifications ---------------------------------------------------------------------


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Actor | None) -> NotificationQuerySet:
        """One's own notifications, nobody else's (administrators included)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person in the app (an alert on service data, a reminder, …); the
    e-mail, when there is one, is sent beside it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title
