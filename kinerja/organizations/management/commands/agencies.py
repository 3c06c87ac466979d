"""``kinerja agencies export FILE [--agency CODE ...]`` and
``kinerja agencies import FILE [--dry-run]``.

One dataset: a .csv file, or the sheet "Instansi" of an .xlsx workbook (other sheets are ignored).
"""

from kinerja.organizations.imports import DatasetCommand


class Command(DatasetCommand):
    help = (
        "Export or import agencies: a .csv file, or the sheet Instansi of an .xlsx workbook. An "
        "import checks every row first and stores all or nothing."
    )
    dataset = "agencies"
