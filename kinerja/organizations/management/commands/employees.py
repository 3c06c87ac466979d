"""``kinerja employees export FILE [--agency CODE ...]`` and
``kinerja employees import FILE [--dry-run]``.

An .xlsx file is the whole organisation workbook (sheets Instansi, Unit, Jabatan, Pegawai),
imported together in one transaction; a .csv file holds employees only.
"""

from kinerja.organizations.imports import DatasetCommand


class Command(DatasetCommand):
    help = (
        "Export or import the organisation: an .xlsx workbook holds agencies, units, positions "
        "and employees; a .csv file holds employees. An import checks every row first and "
        "stores all or nothing."
    )
    dataset = "employees"
    whole_workbook = True
