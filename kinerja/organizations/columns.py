"""The tabular shape of organisation data: sheets, columns, what each column means.

Files use Indonesian sheet and column names, because the people who fill them in work in
Indonesian; the same names serve CSV headers and XLSX sheets. ``kinerja employees export``
writes exactly these columns, so an export re-imports unchanged.

The examples form one consistent little organisation: the template's "Petunjuk" sheet shows
them (the data sheets of the template stay empty, so that uploading it unchanged changes
nothing).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kinerja.core.tabular.columns import Column, Sheet

AGENCIES = Sheet(
    "agencies",
    "Instansi",
    "kode",
    (
        Column(
            "kode",
            True,
            _("Agency code, unique in the region: capital letters, digits, '.', '_' or '-'"),
            "DINKES",
        ),
        Column("nama", True, _("Name of the agency"), "Dinas Kesehatan"),
        Column("jenis", True, _("Kind: sekretariat, dinas, badan, kecamatan or lainnya"), "dinas"),
        Column(
            "kode_jabatan_pimpinan",
            False,
            _("Code of the position that leads the agency"),
            "DINKES-KADIS",
        ),
    ),
)
UNITS = Sheet(
    "units",
    "Unit",
    "kode",
    (
        Column("kode", True, _("Unit code, unique in the region"), "DINKES-PKM-PLAJU"),
        Column("nama", True, _("Name of the unit"), "UPTD Puskesmas Plaju"),
        Column("kode_instansi", True, _("Code of the agency the unit belongs to"), "DINKES"),
        Column(
            "kode_induk", False, _("Code of the parent unit; empty at the top"), "DINKES-YANKES"
        ),
    ),
)
POSITIONS = Sheet(
    "positions",
    "Jabatan",
    "kode",
    (
        Column("kode", True, _("Position code, unique in the region"), "DINKES-PKM-PLAJU-DOKTER"),
        Column("nama", True, _("Name of the position"), "Dokter Ahli Muda"),
        Column(
            "jenis",
            True,
            _("Kind: jpt, administrator, pengawas, pelaksana or jf"),
            "jf",
        ),
        Column(
            "jenjang",
            False,
            _(
                "Level: for JPT pratama, madya or utama; for JF pemula, ahli_pertama, "
                "ahli_muda, ahli_madya, ahli_utama, terampil, mahir or penyelia; otherwise empty"
            ),
            "ahli_muda",
        ),
        Column("kode_unit", True, _("Code of the unit the position is in"), "DINKES-PKM-PLAJU"),
        Column(
            "kode_atasan",
            False,
            _("Code of the position it reports to (the rater's position)"),
            "DINKES-PKM-PLAJU-KEPALA",
        ),
    ),
)
EMPLOYEES = Sheet(
    "employees",
    "Pegawai",
    "nip",
    (
        Column("nip", True, _("18-digit NIP, written as text"), "198503122010012002"),
        Column("nama", True, _("Full name with titles"), "dr. Siti Aminah, M.Kes"),
        Column("status", True, _("PNS or PPPK"), "PNS"),
        Column("golongan", False, _("Rank: PNS e.g. III/a, PPPK e.g. IX"), "III/c"),
        Column(
            "kode_unit",
            False,
            _("Code of the unit; may be empty when the position is given"),
            "DINKES-PKM-PLAJU",
        ),
        Column("kode_jabatan", False, _("Code of the position held"), "DINKES-PKM-PLAJU-DOKTER"),
        Column("email", False, _("Work e-mail address"), "siti.aminah@palembang.go.id"),
        Column("aktif", False, _("ya or tidak; empty means ya"), "ya"),
    ),
)

SHEETS: dict[str, Sheet] = {s.key: s for s in (AGENCIES, UNITS, POSITIONS, EMPLOYEES)}
ORDER = ["agencies", "units", "positions", "employees"]
