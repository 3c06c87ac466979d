"""Region → agencies (Perangkat Daerah) → units → positions → employees, and who rates whom.

Scoped data has exactly one door per model: ``Model.objects.visible_to(user)`` (and
``editable_by(user)`` for changes). Views and endpoints never look these objects up by bare
primary key; see ``selectors.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.nip import format_nip, validate_nip

from . import scope as access
from .ranks import rank_label

if TYPE_CHECKING:
    from kinerja.core.actors import Actor

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{0,39}$",
    _("Use capital letters, digits, '.', '_' or '-' (for example DINKES-PKM-PLAJU)."),
)


class Region(models.Model):
    """The regional government (Pemda) this installation serves."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    head_title = models.CharField(
        _("title of the head of region"), max_length=120, help_text=_("e.g. Wali Kota Palembang")
    )
    head_name = models.CharField(_("name of the head of region"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.code


class AgencyKind(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Secretariat")
    DINAS = "dinas", "Dinas"
    BADAN = "badan", "Badan"
    KECAMATAN = "kecamatan", "Kecamatan"
    OTHER = "lainnya", _("Other")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def visible_to(self, user: Actor | None) -> AgencyQuerySet:
        """Agencies whose structure ``user`` may look at (see ``Scope.agencies_seen``)."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(pk__in=scope.agencies_seen)

    def monitored_by(self, user: Actor | None) -> AgencyQuerySet:
        """Agencies ``user`` follows as a whole: all for regional administrators and auditors,
        those they head or manage for agency heads and Pengelola Kinerja (see
        :meth:`UnitQuerySet.monitored_by`)."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(pk__in=scope.agencies_read)

    def editable_by(self, user: Actor | None) -> AgencyQuerySet:
        scope = access.scope_for(user)
        if scope.region_write:
            return self.all()
        return self.none()

    def exportable_by(self, user: Actor | None) -> AgencyQuerySet:
        """Agencies whose whole organisation ``user`` may export: every agency for the
        region's readers, their own for a Pengelola Kinerja or an agency head."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(pk__in=scope.agencies_read)


class Agency(models.Model):
    """A Perangkat Daerah: Dinas, Badan, Kecamatan, Sekretariat."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("A short code, e.g. DINKES"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Dinas Kesehatan"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    head_position = models.ForeignKey(
        "Position",
        verbose_name=_("position of the head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The position whose holder leads the agency, e.g. Kepala Dinas"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.code

    def audit_agency_code(self) -> str:
        return self.code


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: Actor | None) -> UnitQuerySet:
        """Units whose structure ``user`` may look at: every unit for regional administrators
        and auditors, else the units of the agencies they read whole and of their own agency."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(agency_id__in=scope.agencies_seen)

    def monitored_by(self, user: Actor | None) -> UnitQuerySet:
        """Units whose completion (plans, evaluations) ``user`` follows as a whole: every unit
        for regional administrators and auditors, the units of the agencies they head or
        manage for agency heads and Pengelola Kinerja, none for anyone else. Narrower than
        :meth:`visible_to`: an employee sees their own agency's structure but does not
        monitor it."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(agency_id__in=scope.agencies_read)

    def editable_by(self, user: Actor | None) -> UnitQuerySet:
        scope = access.scope_for(user)
        if scope.region_write:
            return self.all()
        return self.filter(agency_id__in=scope.agencies_managed)


class Unit(models.Model):
    """An organisational unit inside an agency; units form a tree."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("e.g. DINKES-PKM-PLAJU"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. UPTD Puskesmas Plaju"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.code

    def audit_agency_code(self) -> str:
        return self.agency.code


class PositionKind(models.TextChoices):
    JPT = "jpt", _("JPT (senior executive)")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas (supervisor)")
    PELAKSANA = "pelaksana", _("Pelaksana (staff)")
    JF = "jf", _("Functional (JF)")


class PositionLevel(models.TextChoices):
    """JPT levels and the jenjang of functional positions (domain.md §1)."""

    JPT_UTAMA = "utama", _("JPT Utama")
    JPT_MADYA = "madya", _("JPT Madya")
    JPT_PRATAMA = "pratama", _("JPT Pratama")
    #: PermenPANRB 1/2023: the entry jenjang of the skill (keterampilan) category
    PEMULA = "pemula", _("Pemula")
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")


LEVELS_BY_KIND: dict[str, set[str]] = {
    PositionKind.JPT: {PositionLevel.JPT_UTAMA, PositionLevel.JPT_MADYA, PositionLevel.JPT_PRATAMA},
    PositionKind.JF: {
        PositionLevel.PEMULA,
        PositionLevel.AHLI_PERTAMA,
        PositionLevel.AHLI_MUDA,
        PositionLevel.AHLI_MADYA,
        PositionLevel.AHLI_UTAMA,
        PositionLevel.TERAMPIL,
        PositionLevel.MAHIR,
        PositionLevel.PENYELIA,
    },
    PositionKind.ADMINISTRATOR: set(),
    PositionKind.PENGAWAS: set(),
    PositionKind.PELAKSANA: set(),
}

# Structural positions are held by one person at a time; others may have many holders.
SINGLE_HOLDER_KINDS = {PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS}


class PositionQuerySet(models.QuerySet["Position"]):
    def visible_to(self, user: Actor | None) -> PositionQuerySet:
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        return self.filter(unit__agency_id__in=scope.agencies_seen)

    def editable_by(self, user: Actor | None) -> PositionQuerySet:
        scope = access.scope_for(user)
        if scope.region_write:
            return self.all()
        return self.filter(unit__agency_id__in=scope.agencies_managed)


class Position(models.Model):
    """A position (jabatan) in a unit, with the position it reports to.

    The reporting line is what decides who rates whom (domain.md §3): the holder of
    ``reports_to`` is the rater of this position's holders.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("e.g. DINKES-PKM-PLAJU-KEPALA"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Kepala Puskesmas Plaju"))
    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    level = models.CharField(
        _("level (jenjang)"),
        max_length=20,
        choices=PositionLevel.choices,
        blank=True,
        help_text=_("For JPT and functional positions only, e.g. Ahli Muda"),
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
        help_text=_("The position of the rater; empty for the top of the tree"),
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.code

    def audit_agency_code(self) -> str:
        return self.unit.agency.code

    @property
    def single_holder(self) -> bool:
        return self.kind in SINGLE_HOLDER_KINDS


class EmployeeStatus(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def visible_to(self, user: Actor | None) -> EmployeeQuerySet:
        """Everyone sees themselves and their rater chain; raters see whom they rate (directly
        or as the rater's superior); agency heads and performance administrators see their
        agency; regional administrators and auditors see the region."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        condition = Q(unit__agency_id__in=scope.agencies_read)
        if scope.employee_id is not None:
            me = scope.employee_id
            condition |= (
                Q(pk=me)
                | Q(rater_chain__rater_id=me)
                | Q(rater_chain__rater_superior_id=me)
                | Q(pk__in=scope.my_raters)
            )
        return self.filter(condition)

    def editable_by(self, user: Actor | None) -> EmployeeQuerySet:
        scope = access.scope_for(user)
        if scope.region_write:
            return self.all()
        return self.filter(unit__agency_id__in=scope.agencies_managed)


class Employee(models.Model):
    """A civil servant (PNS or PPPK)."""

    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        validators=[validate_nip],
        help_text=_("18 digits, e.g. 198503122010011002"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Full name with titles, e.g. dr. Siti Aminah, M.Kes")
    )
    status = models.CharField(_("status"), max_length=4, choices=EmployeeStatus.choices)
    rank = models.CharField(
        _("rank (golongan)"),
        max_length=8,
        blank=True,
        help_text=_("PNS: e.g. III/a; PPPK: e.g. IX"),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("e.g. siti.aminah@palembang.go.id")
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["unit", "active"], name="employee_unit_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def audit_key(self) -> str:
        return self.nip

    def audit_agency_code(self) -> str:
        return self.unit.agency.code

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip)

    @property
    def rank_display(self) -> str:
        return rank_label(self.status, self.rank)


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt (acting)")
    PLH = "plh", _("Plh (daily acting)")


class ActingOfficial(models.Model):
    """An official who acts in a position (Plt/Plh): a vacancy or a long absence.

    While active, the acting official rates the position's reports. It takes effect when
    recorded and ends when ended; ``ends_on`` is the planned end, after which the daily
    ``kinerja raters refresh`` ends it.
    """

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="acting")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="acting_in")
    kind = models.CharField(_("kind"), max_length=3, choices=ActingKind.choices)
    reason = models.CharField(
        _("reason"), max_length=300, help_text=_("e.g. SK Wali Kota No. 821/123/2026")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("acting official")
        verbose_name_plural = _("acting officials")
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(ended_at__isnull=True),
                name="one_active_acting_per_position",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}: {self.employee}"

    def audit_agency_code(self) -> str:
        return self.position.unit.agency.code


class RaterOverride(models.Model):
    """A recorded exception to the position tree for one employee's rater."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="rater_overrides")
    rater = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("e.g. assigned to the Kepala Bidang by SK 800/45/2026"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rater override")
        verbose_name_plural = _("rater overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(ended_at__isnull=True),
                name="one_active_override_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.rater}"

    def audit_agency_code(self) -> str:
        return self.employee.unit.agency.code


class RaterBasis(models.TextChoices):
    TREE = "tree", _("by the position tree")
    ACTING = "acting", _("acting official (Plt/Plh)")
    ESCALATED = "escalated", _("the superior's position is vacant; next official up")
    OVERRIDE = "override", _("recorded override")
    REGION_HEAD = "region_head", _("head of region")
    NONE = "none", _("none")


class RaterChain(models.Model):
    """Who rates an employee and who is above the rater, derived from the tree and overrides.

    Derived data, brought in line by :func:`kinerja.organizations.chains.rater_chains_sync`
    after every change to positions, holders, acting officials or overrides (those changes are
    audited; this table is not).
    It is stored so that scoping ("whom do I rate?") is one indexed join.
    """

    employee = models.OneToOneField(
        Employee, primary_key=True, on_delete=models.CASCADE, related_name="rater_chain"
    )
    rater = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="rated_chains"
    )
    rater_basis = models.CharField(max_length=12, choices=RaterBasis.choices)
    rater_superior = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="superior_chains"
    )
    superior_basis = models.CharField(max_length=12, choices=RaterBasis.choices)

    class Meta:
        verbose_name = _("rater chain")

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.rater_id} → {self.rater_superior_id}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("done")
    FAILED = "failed", _("refused")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: Actor | None) -> ImportJobQuerySet:
        """An import is seen by whoever started it, and by regional administrators."""
        scope = access.scope_for(user)
        if scope.region_read:
            return self.all()
        if scope.user_id is None:
            return self.none()
        return self.filter(created_by_id=scope.user_id)


def import_upload_path(instance: ImportJob, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"imports/{instance.pk}.{suffix}"


class ImportJob(models.Model):
    """An uploaded file of units, positions and employees, validated and stored in the
    background; the page follows its progress."""

    id = models.UUIDField(primary_key=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(_("file"), max_length=200)
    file = models.FileField(upload_to=import_upload_path, max_length=200)
    dry_run = models.BooleanField(_("check only"), default=False)
    language = models.CharField(max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}
