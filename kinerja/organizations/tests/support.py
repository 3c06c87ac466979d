"""Helpers shared by several test modules of organizations: running a command and reading its
summary, uploading a CSV file of employees to the import page, the employees API."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.testing.factories import make_nip


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=err)
    return err.getvalue(), str(caught.value)


def counts(output: str, sheet: str) -> tuple[int, int, int]:
    """The created, updated and unchanged numbers of the summary line of ``sheet``."""
    line = next(line for line in output.splitlines() if line.startswith(f"{sheet}:"))
    created, updated, unchanged = (int(n) for n in re.findall(r"\d+", line))
    return created, updated, unchanged


IMPORT = reverse("organizations:import")


HEADER = "nip,nama,status,golongan,kode_jabatan\n"


def csv_upload(text: str, name: str = "pegawai.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def new_row(n: int, position: str = "DINKES-PKM-PLAJU-PERAWAT") -> str:
    return f"{make_nip(n)},Pegawai {n},PNS,III/a,{position}\n"


EMPLOYEES = "/api/v1/employees"


def nip(cast, key: str) -> str:
    return cast.employees[key].nip


def profile(nip):
    return reverse("organizations:profile", args=[nip])
