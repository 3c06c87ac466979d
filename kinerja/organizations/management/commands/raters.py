"""``kinerja raters refresh|show``: keep the rater chains current; show one employee's chain.

``refresh`` is meant for a daily cron job: it ends acting officials (Plt/Plh) and rater
overrides whose planned end has passed and brings every stored chain in line with the tree.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core.commands import AuditedCommand
from kinerja.core.nip import normalize_nip
from kinerja.organizations import services
from kinerja.organizations.models import (
    ActingOfficial,
    Employee,
    RaterBasis,
    RaterChain,
    RaterOverride,
    Region,
)


class Command(AuditedCommand):
    help = "Refresh the rater chains (daily), or show who rates an employee."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True, metavar="{refresh,show}")
        sub.add_parser(
            "refresh",
            help="End acting officials and overrides past their planned end; recompute chains.",
        )
        show = sub.add_parser("show", help="Print an employee's rater and rater's superior.")
        show.add_argument("nip", help="The employee's NIP (spaces allowed)")

    def run(self, *args, **options):
        if options["action"] == "refresh":
            self.refresh()
        else:
            self.show(options["nip"])

    def refresh(self) -> None:
        try:
            ended, changed = services.raters_refresh(by=self.by)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            ngettext(
                "Ended %(ended)d acting assignment or override; ",
                "Ended %(ended)d acting assignments or overrides; ",
                ended,
            )
            % {"ended": ended}
            + ngettext(
                "%(changed)d rater chain changed.", "%(changed)d rater chains changed.", changed
            )
            % {"changed": changed}
        )

    def show(self, raw_nip: str) -> None:
        nip = normalize_nip(raw_nip)
        employee = (
            Employee.objects.visible_to(self.by)
            .filter(nip=nip)
            .select_related("position", "unit__agency")
            .first()
        )
        if employee is None:
            raise CommandError(_("No employee with NIP %(nip)s.") % {"nip": nip or raw_nip})
        chain = (
            RaterChain.objects.filter(employee=employee)
            .select_related("rater__position", "rater_superior__position")
            .first()
        )
        position = employee.position
        self.stdout.write(f"{employee.name} ({employee.nip_display})")
        where = f"{position.name} [{position.code}]" if position else _("no position")
        self.stdout.write(
            _("Position: %(position)s — %(unit)s, %(agency)s")
            % {"position": where, "unit": employee.unit.name, "agency": employee.unit.agency.name}
        )
        if chain is None:
            self.stdout.write(_("No rater chain: the employee is not active."))
            return
        region = Region.objects.first()
        rows = [
            (_("Rater"), chain.rater, chain.rater_basis),
            (_("Rater's superior"), chain.rater_superior, chain.superior_basis),
        ]
        width = max(len(label) for label, *_rest in rows)
        for label, person, basis in rows:
            self.stdout.write(f"{label.ljust(width)}  {self._describe(person, basis, region)}")
        if chain.rater_basis == RaterBasis.OVERRIDE:
            override = RaterOverride.objects.filter(employee=employee, ended_at=None).first()
            if override is not None:
                self.stdout.write(
                    _("Override since %(date)s: %(reason)s")
                    % {"date": override.starts_on.isoformat(), "reason": override.reason}
                )
        if chain.rater_basis == RaterBasis.ACTING and chain.rater_id:
            acting = (
                ActingOfficial.objects.filter(employee_id=chain.rater_id, ended_at=None)
                .select_related("position")
                .first()
            )
            if acting is not None:
                self.stdout.write(
                    _("%(kind)s %(position)s since %(date)s: %(reason)s")
                    % {
                        "kind": acting.get_kind_display(),
                        "position": acting.position.name,
                        "date": acting.starts_on.isoformat(),
                        "reason": acting.reason,
                    }
                )

    @staticmethod
    def _describe(person: Employee | None, basis: str, region: Region | None) -> str:
        label = RaterBasis(basis).label if basis in RaterBasis.values else basis
        if person is not None:
            position = person.position.name if person.position else _("no position")
            return f"{person.name} ({person.nip_display}), {position} — {label}"
        if basis == RaterBasis.REGION_HEAD:
            title = region.head_title if region else _("head of region")
            name = f" {region.head_name}" if region and region.head_name else ""
            return f"{title}{name} — {label}"
        if basis == RaterBasis.NONE:
            return "—"
        return f"— ({label})"
