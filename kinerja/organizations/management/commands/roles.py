"""``kinerja roles assign|revoke|list``: the roles that are a decision of the organisation.

Pengelola Kinerja needs ``--agency``; Admin BKPSDM and Auditor cover the whole region. The other
roles (Pegawai, Pejabat Penilai, Atasan Pejabat Penilai, Pimpinan Instansi) follow from the
organisation and cannot be assigned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kinerja.accounts.models import ASSIGNABLE_ROLES, RoleAssignment
from kinerja.accounts.services import role_assign, role_revoke
from kinerja.core.commands import AuditedCommand
from kinerja.organizations.models import Agency
from kinerja.organizations.services import account_for_login

ROLE_CODES = [role.value for role in ASSIGNABLE_ROLES]


def _messages(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(str(message) for message in error.messages)


class Command(AuditedCommand):
    help = "Assign, revoke and list the assigned roles (Pengelola Kinerja, Admin BKPSDM, Auditor)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        for name, text in (("assign", "Give a user a role."), ("revoke", "Take a role back.")):
            action = actions.add_parser(name, help=text)
            action.add_argument("--user", required=True, metavar="USERNAME_OR_NIP")
            action.add_argument("--role", required=True, choices=ROLE_CODES)
            action.add_argument("--agency", metavar="CODE", help="For pengelola_kinerja only.")
        actions.add_parser("list", help="List every assigned role.")

    def run(self, *args, **options):
        if options["action"] == "list":
            return self.run_list()
        agency = None
        if options.get("agency"):
            agency = (
                Agency.objects.visible_to(self.by).filter(code=options["agency"].upper()).first()
            )
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']!r}.")
        try:
            user = account_for_login(login=options["user"], by=self.by)
            if options["action"] == "assign":
                role_assign(user=user, role=options["role"], agency=agency, by=self.by)
                self.stdout.write(f"{user.username}: {options['role']} assigned.")
                return None
            assignment = RoleAssignment.objects.filter(
                user=user, role=options["role"], agency=agency
            ).first()
            if assignment is None:
                raise CommandError(f"{user.username} does not have that role.")
            role_revoke(assignment=assignment, by=self.by)
            self.stdout.write(f"{user.username}: {options['role']} revoked.")
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_messages(error)) from error
        return None

    def run_list(self) -> None:
        assignments = RoleAssignment.objects.select_related("user", "agency").order_by(
            "role", "user__username"
        )
        if not assignments:
            self.stdout.write("No assigned roles.")
        for a in assignments:
            where = a.agency.code if a.agency_id else "(region)"
            self.stdout.write(f"{a.role:<20} {a.user.username:<20} {where}")
