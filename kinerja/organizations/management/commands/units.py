"""``kinerja units export FILE [--agency CODE ...]`` and
``kinerja units import FILE [--dry-run]``.

One dataset: a .csv file, or the sheet "Unit" of an .xlsx workbook (other sheets are ignored).
"""

from kinerja.organizations.imports import DatasetCommand


class Command(DatasetCommand):
    help = (
        "Export or import units: a .csv file, or the sheet Unit of an .xlsx workbook. An "
        "import checks every row first and stores all or nothing."
    )
    dataset = "units"
