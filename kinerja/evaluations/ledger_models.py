"""The credit-point ledger of functional employees (issue 10, PerBKN 3/2023): one entry per
rating that gives credit points, and the bases (PAK) entered by the Pengelola Kinerja.
Imported by :mod:`.models` (import them from there); the entries are written only by
:func:`kinerja.evaluations.ledger.ledger_refresh`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.models import Employee, PositionLevel
from kinerja.skp.models import Skp

if TYPE_CHECKING:
    from kinerja.core.actors import Actor


class CreditEntryQuerySet(models.QuerySet["CreditEntry"]):
    def visible_to(self, user: Actor | None) -> CreditEntryQuerySet:
        return self.filter(skp__in=Skp.objects.visible_to(user).values("pk"))


class CreditEntry(models.Model):
    """The credit points one rating gives (PerBKN 3/2023, konversi predikat): the calendar
    months it counts (``first_month``..``last_month``, ``months`` of them), the predicate's
    percentage and the jenjang's coefficient. Written only by
    :func:`kinerja.evaluations.ledger.ledger_refresh`."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="credit_entries")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="credit_entries")
    evaluation = models.OneToOneField(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="credit_entry"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=8)
    months = models.PositiveSmallIntegerField(_("months"))
    first_month = models.PositiveSmallIntegerField(null=True, blank=True)
    last_month = models.PositiveSmallIntegerField(null=True, blank=True)
    predicate = models.CharField(_("predicate"), max_length=20)
    percent = models.DecimalField(_("percentage"), max_digits=6, decimal_places=2)
    level = models.CharField(_("jenjang"), max_length=20, choices=PositionLevel.choices)
    coefficient = models.DecimalField(_("coefficient"), max_digits=6, decimal_places=2)
    points = models.DecimalField(_("credit points"), max_digits=8, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "year", "first_month", "period"]
        verbose_name = _("credit-point entry")
        indexes = [models.Index(fields=["employee", "year"], name="credit_entry_emp_year_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period}: {self.points}"

    def audit_agency_code(self) -> str:
        return self.skp.unit.agency.code


class CreditBaseQuerySet(models.QuerySet["CreditBase"]):
    def visible_to(self, user: Actor | None) -> CreditBaseQuerySet:
        return self.filter(employee__in=Employee.objects.visible_to(user).values("pk"))


class CreditBase(models.Model):
    """A PAK (penetapan angka kredit) entered by the Pengelola Kinerja: the cumulative credit
    points on ``pak_date``; the latest PAK is the base the ledger adds to."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="credit_bases")
    amount = models.DecimalField(_("cumulative credit points"), max_digits=8, decimal_places=3)
    pak_number = models.CharField(_("PAK number"), max_length=100)
    pak_date = models.DateField(_("PAK date"))
    level = models.CharField(_("jenjang"), max_length=20, choices=PositionLevel.choices, blank=True)
    rank = models.CharField(_("rank"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CreditBaseQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "pak_date", "pk"]
        verbose_name = _("credit-point base (PAK)")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.pak_number}: {self.amount}"

    @property
    def audit_key(self) -> str:
        return f"{self.employee.nip}/{self.pak_number}"

    def audit_agency_code(self) -> str:
        return self.employee.unit.agency.code
