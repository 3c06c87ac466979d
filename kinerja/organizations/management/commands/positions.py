"""``kinerja positions export FILE [--agency CODE ...]`` and
``kinerja positions import FILE [--dry-run]``.

One dataset: a .csv file, or the sheet "Jabatan" of an .xlsx workbook (other sheets are ignored).
"""

from kinerja.organizations.imports import DatasetCommand


class Command(DatasetCommand):
    help = (
        "Export or import positions: a .csv file, or the sheet Jabatan of an .xlsx workbook. An "
        "import checks every row first and stores all or nothing."
    )
    dataset = "positions"
