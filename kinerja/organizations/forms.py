"""Forms of the organisation pages. Changes of employees go through the changeset
(``services.employee_save``), so a form and an import check exactly the same rules."""

import uuid

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import ASSIGNABLE_ROLES
from kinerja.core.nip import NipError, normalize_nip, parse_nip
from kinerja.core.tabular import forms as tabular_forms
from kinerja.core.tabular.errors import TabularError
from kinerja.core.tabular.read import check_file, file_kind

from .models import ActingKind, Agency, Employee, EmployeeStatus, ImportJob, Position, Unit

# Which form field shows an error about which column of the changeset.
EMPLOYEE_COLUMN_FIELDS = {
    "nip": "nip",
    "nama": "name",
    "status": "status",
    "golongan": "rank",
    "kode_unit": "unit",
    "kode_jabatan": "position",
    "email": "email",
    "aktif": "active",
}


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


class EmployeeForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP"), max_length=30, help_text=_("18 digits, e.g. 198503122010011002")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Full name with titles, e.g. dr. Siti Aminah, M.Kes"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=EmployeeStatus.choices)
    rank = forms.CharField(
        label=_("Rank (golongan)"),
        max_length=8,
        required=False,
        help_text=_("PNS: e.g. III/a; PPPK: e.g. IX"),
    )
    unit = CodeChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("The unit where the employee works"),
    )
    position = CodeChoiceField(
        label=_("Position"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("The position held; it must be in the chosen unit. Empty: no position."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("e.g. siti.aminah@palembang.go.id")
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Untick when the employee has left."),
    )

    def __init__(self, *args, user, employee: Employee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["unit"].queryset = Unit.objects.editable_by(user).order_by("code")
        self.fields["position"].queryset = (
            Position.objects.editable_by(user).select_related("unit").order_by("code")
        )
        if employee is not None:
            self.fields["nip"].disabled = True
            self.fields["nip"].help_text = _("The NIP cannot be changed here.")

    def clean_nip(self):
        if self.employee is not None:
            return self.employee.nip
        try:
            return parse_nip(self.cleaned_data["nip"]).value
        except NipError as exc:
            raise forms.ValidationError(exc.messages) from None

    def as_row(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "nip": data["nip"],
            "nama": data["name"],
            "status": data["status"].upper(),
            "golongan": data.get("rank") or "",
            "kode_unit": data["unit"].code,
            "kode_jabatan": data["position"].code if data.get("position") else "",
            "email": data.get("email") or "",
            "aktif": "ya" if data.get("active") else "tidak",
        }


class PasswordResetByAdminForm(SetPasswordForm):
    """An administrator sets a new password for someone; the password rules still apply."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters, not only digits, not a common password. e.g. Plaju-2026-aman"
        ),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES],
        help_text=_(
            "Pengelola Kinerja needs an agency; Admin BKPSDM and Auditor cover the region."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_("Only for Pengelola Kinerja, e.g. Dinas Kesehatan"),
    )


class VisibleEmployeeField(forms.ModelChoiceField):
    """An employee named by NIP (spaces allowed) among those the user may see: the form sets
    ``queryset`` to ``Employee.objects.visible_to(user)``, the one door, so a NIP outside the
    user's scope is refused exactly like one that does not exist."""

    default_error_messages = {"invalid_choice": _("No employee with this NIP is visible to you.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 30}))
        super().__init__(queryset=Employee.objects.none(), to_field_name="nip", **kwargs)

    def to_python(self, value):
        return super().to_python(normalize_nip(value) if isinstance(value, str) else value)


class EmployeeChoiceForm(forms.Form):
    """A form with :class:`VisibleEmployeeField` fields, scoped to ``user``."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, VisibleEmployeeField):
                field.queryset = Employee.objects.visible_to(user)


class RaterOverrideForm(EmployeeChoiceForm):
    rater_nip = VisibleEmployeeField(
        label=_("NIP of the rater"),
        help_text=_("The employee who will rate, e.g. 197905142005011003"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("e.g. assigned to the Kepala Bidang by SK 800/45/2026"),
    )
    ends_on = forms.DateField(
        label=_("Planned end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional; the override ends by itself after this day."),
    )


class ActingForm(EmployeeChoiceForm):
    employee_nip = VisibleEmployeeField(
        label=_("NIP of the acting official"), help_text=_("e.g. 197905142005011003")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActingKind.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("e.g. SK Wali Kota No. 821/123/2026")
    )
    ends_on = forms.DateField(
        label=_("Planned end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional; the assignment ends by itself after this day."),
    )


FILE_HELP = _(
    "An Excel workbook (.xlsx) with the sheets Instansi, Unit, Jabatan and Pegawai (any of them), "
    "or a CSV file (.csv, UTF-8) with one of them."
)


class ImportForm(tabular_forms.ImportForm):
    """An organisation file to import, and the job's id the page made up front."""

    file = tabular_forms.file_field(label=_("File"), help_text=FILE_HELP, accept=".xlsx,.csv")
    job_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def check_upload(self, upload) -> None:
        try:
            file_kind(upload.name)
            upload.seek(0)
            check_file(upload.name, upload.read(), max_bytes=tabular_forms.max_upload_bytes())
        except TabularError as exc:
            raise forms.ValidationError([str(e.message) for e in exc.errors]) from None
        finally:
            upload.seek(0)

    def clean_job_id(self):
        """The page makes the job's id up front (to follow its progress while uploading);
        without script, or with a malformed id, the server makes one."""
        raw = (self.cleaned_data.get("job_id") or "").strip()
        try:
            job_id = uuid.UUID(raw)
        except ValueError:
            return uuid.uuid4()
        if ImportJob.objects.filter(pk=job_id).exists():
            raise forms.ValidationError(gettext("This import has been started already."))
        return job_id
