"""The changeset: the one validated, all-or-nothing path for organisation data."""

from __future__ import annotations

import pytest
from django.utils import translation

from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations.changeset import (
    ChangesetError,
    Row,
    apply_rows,
    apply_rows_or_raise,
    load_state,
    row_error,
)
from kinerja.organizations.models import Agency, Employee, Position, RaterChain, Region, Unit
from kinerja.testing.factories import make_nip

PERAWAT = "DINKES-PKM-PLAJU-PERAWAT"
KAPUS = "DINKES-PKM-PLAJU-KEPALA"
PKM = "DINKES-PKM-PLAJU"


def new_employee(n: int, number: int = 2, **values: str) -> Row:
    row = {
        "nip": make_nip(n),
        "nama": f"Pegawai {n}",
        "status": "PNS",
        "golongan": "III/a",
        "kode_jabatan": PERAWAT,
    }
    return Row(number, row | values)


def where(outcome) -> set[tuple[str, int | None, str]]:
    return {(e.sheet, e.row, e.column) for e in outcome.errors}


def apply(by=SYSTEM, **sheets: list[Row]):
    return apply_rows(rows=sheets, by=by)


# --- Single values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nip",
    [
        "",  # empty
        "19850312201001100",  # 17 digits
        "1985031220100110021",  # 19 digits
        "19850312201001100A",  # a letter
        "198513122010011002",  # month 13 in the birth date
        "198502302010011002",  # 30 February
        "189903122010011002",  # born before 1900
        "209903122030011002",  # born in the future
        "198503122010131002",  # appointment month 13
        "198503122099011002",  # appointed in the future
        "198503122000011002",  # appointed at 14
        "198503122010013002",  # sex digit 3
        "198503122010011000",  # sequence 000
        "1.98503E+17",  # what Excel makes of a number
    ],
)
def test_a_bad_nip_is_refused_with_its_row_and_column(cast, nip):
    outcome = apply(employees=[new_employee(1, number=7, nip=nip)])
    assert ("employees", 7, "nip") in where(outcome)
    assert not outcome.applied
    assert not Employee.objects.filter(name="Pegawai 1").exists()


def test_a_nip_typed_with_spaces_and_dots_is_stored_as_digits(cast):
    nip = make_nip(1)
    spaced = f"{nip[:8]} {nip[8:14]}.{nip[14]}-{nip[15:]}"
    outcome = apply(employees=[new_employee(1, nip=spaced)])
    assert outcome.ok
    assert Employee.objects.filter(nip=nip).exists()


@pytest.mark.parametrize(
    ("sheet", "values", "column"),
    [
        ("agencies", {"kode": "DINKES", "nama": "", "jenis": "dinas"}, "nama"),
        ("agencies", {"kode": "DINKES", "nama": "Dinkes", "jenis": "kementerian"}, "jenis"),
        ("agencies", {"kode": "DIN KES", "nama": "Dinkes", "jenis": "dinas"}, "kode"),
        ("units", {"kode": "DINKES", "nama": "x" * 201, "kode_instansi": "DINKES"}, "nama"),
        ("units", {"kode": "DINKES", "nama": "Dinkes", "kode_instansi": ""}, "kode_instansi"),
        (
            "positions",
            {"kode": KAPUS, "nama": "Kapus", "jenis": "kepala", "kode_unit": PKM},
            "jenis",
        ),
        ("positions", {"kode": KAPUS, "nama": "Kapus", "jenis": "", "kode_unit": PKM}, "jenis"),
        ("positions", {"kode": PERAWAT, "jenjang": "ahli_super"}, "jenjang"),
        ("employees", {"nip": make_nip(104, sex=2), "status": "honorer"}, "status"),
        ("employees", {"nip": make_nip(104, sex=2), "status": ""}, "status"),
        ("employees", {"nip": make_nip(104, sex=2), "email": "not-an-address"}, "email"),
        ("employees", {"nip": make_nip(104, sex=2), "aktif": "mungkin"}, "aktif"),
        ("employees", {"nip": make_nip(104, sex=2), "golongan": "III/z"}, "golongan"),
        ("employees", {"nip": make_nip(104, sex=2), "status": "PPPK"}, "golongan"),
        ("employees", {"nip": make_nip(104, sex=2), "kode_jabatan": "bad code!"}, "kode_jabatan"),
    ],
)
def test_a_bad_value_is_refused_with_its_column(cast, sheet, values, column):
    outcome = apply(**{sheet: [Row(4, values)]})
    assert (sheet, 4, column) in where(outcome)
    assert not outcome.applied


@pytest.mark.parametrize(
    ("status", "given", "stored"),
    [("PNS", "iii/b", "III/b"), ("pns", "IV / a", "IV/a"), ("PPPK", "ix", "IX"), ("pppk", "", "")],
)
def test_ranks_and_statuses_are_stored_in_their_canonical_spelling(cast, status, given, stored):
    outcome = apply(employees=[new_employee(1, status=status, golongan=given)])
    assert outcome.ok, outcome.errors
    employee = Employee.objects.get(nip=make_nip(1))
    assert (employee.status, employee.rank) == (status.lower(), stored)


@pytest.mark.parametrize(("word", "active"), [("Tidak", False), ("nonaktif", False), ("", True)])
def test_the_active_column_takes_ya_and_tidak_words(cast, word, active):
    nip = cast.employees["colleague"].nip
    assert apply(employees=[Row(2, {"nip": nip, "aktif": word})]).ok
    assert Employee.objects.get(nip=nip).active is active


@pytest.mark.parametrize(
    ("given", "stored"), [("jf", "jf"), ("JF", "jf"), ("Functional (JF)", "jf")]
)
def test_choices_are_accepted_by_code_or_label_in_any_case(cast, given, stored):
    outcome = apply(positions=[Row(2, {"kode": PERAWAT, "jenis": given})])
    assert outcome.ok, outcome.errors
    assert Position.objects.get(code=PERAWAT).kind == stored


def test_codes_are_stored_in_capitals(cast):
    outcome = apply(
        units=[Row(2, {"kode": "dinkes-gizi", "nama": "Seksi Gizi", "kode_instansi": "dinkes"})]
    )
    assert outcome.ok, outcome.errors
    assert Unit.objects.get(code="DINKES-GIZI").agency == cast.dinkes


# --- Rows and columns ----------------------------------------------------------------------------


def test_a_new_row_needs_every_required_column(cast):
    row = Row(3, {"nip": make_nip(1), "nama": "Pegawai Baru", "kode_jabatan": PERAWAT})
    outcome = apply(employees=[row])
    assert where(outcome) == {("employees", 3, "status")}


def test_a_row_without_its_key_column_is_refused(cast):
    outcome = apply(units=[Row(5, {"nama": "Tanpa kode", "kode_instansi": "DINKES"})])
    assert ("units", 5, "kode") in where(outcome)


def test_an_absent_column_keeps_the_stored_value_and_an_empty_one_clears_it(cast):
    employee = cast.employees["employee"]
    Employee.objects.filter(pk=employee.pk).update(email="Siti.Aminah@palembang.go.id")
    assert apply(employees=[Row(2, {"nip": employee.nip, "nama": "Siti Aminah"})]).ok
    employee.refresh_from_db()
    assert (employee.name, employee.email, employee.rank) == (
        "Siti Aminah",
        "Siti.Aminah@palembang.go.id",  # kept, in its own spelling
        "III/a",
    )
    assert apply(employees=[Row(2, {"nip": employee.nip, "email": "", "golongan": ""})]).ok
    employee.refresh_from_db()
    assert (employee.email, employee.rank) == ("", "")

    assert apply(units=[Row(2, {"kode": PKM, "nama": "Puskesmas Plaju"})]).ok
    assert Unit.objects.get(code=PKM).parent.code == "DINKES-YANKES"
    assert apply(units=[Row(2, {"kode": PKM, "kode_induk": ""})]).ok
    assert Unit.objects.get(code=PKM).parent is None
    assert apply(positions=[Row(2, {"kode": PERAWAT, "kode_atasan": ""})]).ok
    assert Position.objects.get(code=PERAWAT).reports_to is None


@pytest.mark.parametrize(
    ("sheet", "first", "second"),
    [
        ("employees", {"nip": make_nip(104, sex=2)}, {"nip": make_nip(104, sex=2)}),
        (
            "employees",
            {"nip": make_nip(104, sex=2)},
            {"nip": make_nip(104, sex=2)[:8] + " " + make_nip(104, sex=2)[8:]},
        ),
        ("units", {"kode": "DINKES-YANKES"}, {"kode": "dinkes-yankes"}),
        ("positions", {"kode": PERAWAT}, {"kode": PERAWAT}),
        ("agencies", {"kode": "DINKES"}, {"kode": "DINKES"}),
    ],
)
def test_a_key_that_appears_twice_in_a_file_is_refused_at_its_second_row(
    cast, sheet, first, second
):
    outcome = apply(**{sheet: [Row(2, first), Row(9, second)]})
    key = "nip" if sheet == "employees" else "kode"
    assert where(outcome) == {(sheet, 9, key)}


# --- Links between rows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "values", "column"),
    [
        ("agencies", {"kode": "DINKES", "kode_jabatan_pimpinan": "NOPE"}, "kode_jabatan_pimpinan"),
        ("units", {"kode": "X-1", "nama": "X", "kode_instansi": "NOPE"}, "kode_instansi"),
        (
            "units",
            {"kode": "X-1", "nama": "X", "kode_instansi": "DINKES", "kode_induk": "NOPE"},
            "kode_induk",
        ),
        (
            "positions",
            {"kode": "X-1", "nama": "X", "jenis": "pelaksana", "kode_unit": "NOPE"},
            "kode_unit",
        ),
        ("positions", {"kode": PERAWAT, "kode_atasan": "NOPE"}, "kode_atasan"),
        ("employees", {"nip": make_nip(104, sex=2), "kode_jabatan": "NOPE"}, "kode_jabatan"),
        (
            "employees",
            {"nip": make_nip(104, sex=2), "kode_jabatan": "", "kode_unit": "NOPE"},
            "kode_unit",
        ),
    ],
)
def test_an_unknown_code_is_refused_with_its_column(cast, sheet, values, column):
    outcome = apply(**{sheet: [Row(6, values)]})
    assert (sheet, 6, column) in where(outcome)
    assert not outcome.applied


@pytest.mark.parametrize(
    ("sheet", "rows", "column"),
    [
        ("units", [Row(2, {"kode": "DINKES", "kode_induk": "DINKES"})], "kode_induk"),
        ("units", [Row(2, {"kode": "DINKES", "kode_induk": PKM})], "kode_induk"),
        (
            "positions",
            [Row(2, {"kode": "DINKES-KADIS", "kode_atasan": "DINKES-KADIS"})],
            "kode_atasan",
        ),
        ("positions", [Row(2, {"kode": "DINKES-KADIS", "kode_atasan": KAPUS})], "kode_atasan"),
    ],
)
def test_a_loop_in_units_or_in_the_reporting_line_is_refused(cast, sheet, rows, column):
    outcome = apply(**{sheet: rows})
    assert (sheet, 2, column) in where(outcome)
    assert not outcome.applied


def test_a_loop_made_by_two_rows_of_one_file_is_refused(cast):
    rows = [
        Row(2, {"kode": "A-1", "nama": "A", "kode_instansi": "DINKES", "kode_induk": "A-2"}),
        Row(3, {"kode": "A-2", "nama": "B", "kode_instansi": "DINKES", "kode_induk": "A-1"}),
    ]
    outcome = apply(units=rows)
    assert where(outcome) == {("units", 2, "kode_induk"), ("units", 3, "kode_induk")}


def test_rows_may_refer_to_rows_further_down_the_file(cast):
    outcome = apply(
        units=[
            Row(
                2,
                {
                    "kode": "DINKES-GIZI",
                    "nama": "Seksi Gizi",
                    "kode_instansi": "DINKES",
                    "kode_induk": "DINKES-KESMAS",
                },
            ),
            Row(
                3,
                {
                    "kode": "DINKES-KESMAS",
                    "nama": "Bidang Kesmas",
                    "kode_instansi": "DINKES",
                    "kode_induk": "DINKES",
                },
            ),
        ],
        positions=[
            Row(
                2,
                {
                    "kode": "GIZI-NUTRISIONIS",
                    "nama": "Nutrisionis",
                    "jenis": "jf",
                    "jenjang": "ahli_pertama",
                    "kode_unit": "DINKES-GIZI",
                    "kode_atasan": "GIZI-KASI",
                },
            ),
            Row(
                3,
                {
                    "kode": "GIZI-KASI",
                    "nama": "Kepala Seksi Gizi",
                    "jenis": "pengawas",
                    "kode_unit": "DINKES-GIZI",
                    "kode_atasan": "DINKES-KABID-YANKES",
                },
            ),
        ],
        employees=[
            new_employee(1, kode_jabatan="GIZI-NUTRISIONIS"),
            new_employee(2, number=3, kode_jabatan="GIZI-KASI"),
        ],
    )
    assert outcome.ok, outcome.errors
    assert outcome.summary() == {
        "units": {"created": 2, "updated": 0, "unchanged": 0},
        "positions": {"created": 2, "updated": 0, "unchanged": 0},
        "employees": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert Unit.objects.get(code="DINKES-GIZI").parent.code == "DINKES-KESMAS"
    assert Position.objects.get(code="GIZI-NUTRISIONIS").reports_to.code == "GIZI-KASI"
    nutritionist = Employee.objects.get(nip=make_nip(1))
    assert nutritionist.unit.code == "DINKES-GIZI"
    assert nutritionist.rater_chain.rater.nip == make_nip(2)


@pytest.mark.parametrize(
    ("kind", "level", "ok"),
    [
        ("jpt", "pratama", True),
        ("jpt", "", False),
        ("jpt", "ahli_muda", False),
        ("jf", "ahli_muda", True),
        ("jf", "Ahli Muda", True),
        ("jf", "terampil", True),
        ("jf", "", False),
        ("jf", "pratama", False),
        ("administrator", "", True),
        ("pengawas", "", True),
        ("pelaksana", "", True),
        ("pelaksana", "terampil", False),
        ("administrator", "madya", False),
    ],
)
def test_the_level_must_fit_the_kind_of_position(cast, kind, level, ok):
    row = {
        "kode": "DINKES-NEW",
        "nama": "Baru",
        "jenis": kind,
        "jenjang": level,
        "kode_unit": "DINKES",
    }
    outcome = apply(positions=[Row(2, row)])
    assert outcome.ok is ok
    if not ok:
        assert where(outcome) == {("positions", 2, "jenjang")}


@pytest.mark.parametrize(
    ("position", "ok"),
    [
        (KAPUS, False),  # pengawas: one holder
        ("DINKES-KADIS", False),  # jpt
        ("DINKES-KABID-YANKES", False),  # administrator
        (PERAWAT, True),  # a functional position: many holders
        ("DINKES-ANALIS-SDM", True),  # pelaksana nobody reports to
    ],
)
def test_structural_positions_have_one_holder(cast, position, ok):
    outcome = apply(employees=[new_employee(1, number=4, kode_jabatan=position)])
    assert outcome.ok is ok
    if not ok:
        assert where(outcome) == {("employees", 4, "kode_jabatan")}


def test_a_position_that_others_report_to_has_one_holder(cast):
    # The perawat position has two holders, so nobody may report to it ...
    outcome = apply(positions=[Row(2, {"kode": "DINKES-ANALIS-SDM", "kode_atasan": PERAWAT})])
    assert where(outcome) == {("positions", 2, "kode_atasan")}
    # ... and a pelaksana position that others report to takes no second holder.
    outcome = apply(employees=[new_employee(1, number=3, kode_jabatan="DUKCAPIL-KADIS")])
    assert where(outcome) == {("employees", 3, "kode_jabatan")}


def test_a_position_with_two_holders_cannot_become_structural(cast):
    outcome = apply(positions=[Row(2, {"kode": PERAWAT, "jenis": "pengawas", "jenjang": ""})])
    assert where(outcome) == {("positions", 2, "jenis")}


def test_holders_may_swap_in_one_file(cast):
    rater, employee = cast.employees["rater"], cast.employees["employee"]
    outcome = apply(
        employees=[
            Row(2, {"nip": rater.nip, "kode_jabatan": PERAWAT}),
            Row(3, {"nip": employee.nip, "kode_jabatan": KAPUS}),
        ]
    )
    assert outcome.ok, outcome.errors
    assert Employee.objects.get(pk=employee.pk).position.code == KAPUS


def test_reactivating_someone_into_a_held_structural_position_is_refused(cast):
    rater = cast.employees["rater"]
    assert apply(employees=[Row(2, {"nip": rater.nip, "aktif": "tidak"})]).ok
    assert apply(employees=[new_employee(1, kode_jabatan=KAPUS)]).ok
    outcome = apply(employees=[Row(5, {"nip": rater.nip, "aktif": "ya"})])
    assert where(outcome) == {("employees", 5, "kode_jabatan")}


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"kode_unit": "DINKES-YANKES", "kode_jabatan": PERAWAT}, "kode_jabatan"),
        ({"kode_unit": "DINKES-YANKES"}, "kode_jabatan"),  # the stored position is in PKM
        ({"kode_unit": "", "kode_jabatan": ""}, "kode_unit"),
    ],
)
def test_the_unit_and_the_position_of_an_employee_must_agree(cast, values, column):
    nip = cast.employees["employee"].nip
    outcome = apply(employees=[Row(3, {"nip": nip, **values})])
    assert where(outcome) == {("employees", 3, column)}


def test_the_unit_follows_the_position_when_the_row_leaves_it_out(cast):
    nip = cast.employees["employee"].nip
    outcome = apply(
        employees=[Row(2, {"nip": nip, "kode_unit": "", "kode_jabatan": "DINKES-ANALIS-SDM"})]
    )
    assert outcome.ok, outcome.errors
    assert Employee.objects.get(nip=nip).unit.code == "DINKES-YANKES"


def test_a_position_cannot_leave_its_holders_behind_in_the_old_unit(cast):
    outcome = apply(positions=[Row(2, {"kode": PERAWAT, "kode_unit": "DINKES-YANKES"})])
    assert where(outcome) == {("positions", 2, "kode_unit")}
    # With its holders in the same file, they move along.
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    outcome = apply(
        positions=[Row(2, {"kode": PERAWAT, "kode_unit": "DINKES-YANKES"})],
        employees=[
            Row(2, {"nip": employee.nip}),
            Row(3, {"nip": colleague.nip, "nama": colleague.name}),
        ],
    )
    assert outcome.ok, outcome.errors
    assert set(
        Employee.objects.filter(position__code=PERAWAT).values_list("unit__code", flat=True)
    ) == {"DINKES-YANKES"}


def test_a_unit_cannot_leave_its_sub_units_in_another_agency(cast):
    outcome = apply(
        units=[Row(2, {"kode": "DINKES-YANKES", "kode_instansi": "DUKCAPIL", "kode_induk": ""})]
    )
    assert ("units", 2, "kode_instansi") in where(outcome)


def test_an_agency_is_led_by_a_position_of_its_own(cast):
    outcome = apply(
        agencies=[Row(2, {"kode": "DINKES", "kode_jabatan_pimpinan": "DUKCAPIL-KADIS"})]
    )
    assert where(outcome) == {("agencies", 2, "kode_jabatan_pimpinan")}
    # Moving the head's position to another agency is refused on the position's row.
    outcome = apply(positions=[Row(3, {"kode": "DINKES-KADIS", "kode_unit": "DUKCAPIL"})])
    assert ("positions", 3, "kode_unit") in where(outcome)


def test_a_new_agency_needs_the_region(db):
    assert not Region.objects.exists()
    outcome = apply(
        agencies=[Row(2, {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "dinas"})]
    )
    assert where(outcome) == {("agencies", 2, "kode")}


# --- Who may change what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "values", "ok"),
    [
        ("employees", {"nip": make_nip(104, sex=2), "nama": "Siti"}, True),
        ("employees", {"nip": make_nip(108), "nama": "Andi"}, False),  # a DUKCAPIL employee
        ("employees", {"nip": make_nip(104, sex=2), "kode_jabatan": "DUKCAPIL-OPERATOR"}, False),
        (
            "employees",
            {
                "nip": make_nip(1),
                "nama": "Baru",
                "status": "PNS",
                "kode_jabatan": "DUKCAPIL-OPERATOR",
            },
            False,
        ),
        (
            "employees",
            {"nip": make_nip(1), "nama": "Baru", "status": "PNS", "kode_jabatan": PERAWAT},
            True,
        ),
        (
            "units",
            {
                "kode": "DINKES-GIZI",
                "nama": "Gizi",
                "kode_instansi": "DINKES",
                "kode_induk": "DINKES",
            },
            True,
        ),
        ("units", {"kode": "DUKCAPIL-X", "nama": "X", "kode_instansi": "DUKCAPIL"}, False),
        ("units", {"kode": "DUKCAPIL", "nama": "Dukcapil"}, False),
        ("units", {"kode": PKM, "kode_instansi": "DUKCAPIL", "kode_induk": ""}, False),
        ("positions", {"kode": PERAWAT, "nama": "Perawat Mahir", "jenjang": "mahir"}, True),
        ("positions", {"kode": "DUKCAPIL-OPERATOR", "nama": "Operator"}, False),
        (
            "positions",
            {"kode": "DINKES-X", "nama": "X", "jenis": "pelaksana", "kode_unit": "DUKCAPIL"},
            False,
        ),
        (
            "agencies",
            {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "dinas"},
            True,
        ),  # unchanged
        ("agencies", {"kode": "DINKES", "nama": "Dinas Kesehatan Kota"}, False),
        ("agencies", {"kode": "DUKCAPIL"}, False),
        ("agencies", {"kode": "BAPPEDA", "nama": "Bappeda", "jenis": "badan"}, False),
    ],
)
def test_a_performance_administrator_changes_only_their_own_agency(cast, sheet, values, ok):
    outcome = apply(by=cast.pengelola, **{sheet: [Row(2, values)]})
    assert outcome.ok is ok, outcome.errors
    if not ok:
        key = "nip" if sheet == "employees" else "kode"
        # Only the refusal: other errors could tell about another agency's data.
        assert where(outcome) == {(sheet, 2, key)}
        assert not outcome.applied


def test_a_performance_administrator_may_not_link_a_position_to_another_agency(cast):
    outcome = apply(
        by=cast.pengelola, positions=[Row(2, {"kode": PERAWAT, "kode_atasan": "DUKCAPIL-KADIS"})]
    )
    assert where(outcome) == {("positions", 2, "kode_atasan")}
    # An existing link to another agency stays allowed when the row changes otherwise.
    assert apply(positions=[Row(2, {"kode": "DINKES-KADIS", "kode_atasan": "DUKCAPIL-KADIS"})]).ok
    outcome = apply(
        by=cast.pengelola,
        positions=[
            Row(2, {"kode": "DINKES-KADIS", "nama": "Kadinkes", "kode_atasan": "DUKCAPIL-KADIS"})
        ],
    )
    assert outcome.ok, outcome.errors
    assert apply(
        by=SYSTEM, positions=[Row(2, {"kode": PERAWAT, "kode_atasan": "DUKCAPIL-KADIS"})]
    ).ok


def test_a_regional_administrator_changes_agencies(cast):
    outcome = apply(
        by=SYSTEM, agencies=[Row(2, {"kode": "DINKES", "nama": "Dinas Kesehatan Kota"})]
    )
    assert outcome.ok
    assert Agency.objects.get(code="DINKES").name == "Dinas Kesehatan Kota"


def test_a_refused_row_refuses_the_whole_file(cast):
    mine = Row(2, {"nip": cast.employees["employee"].nip, "nama": "Changed"})
    theirs = Row(3, {"nip": cast.employees["outsider"].nip, "nama": "Changed too"})
    outcome = apply(by=cast.pengelola, employees=[mine, theirs])
    assert where(outcome) == {("employees", 3, "nip")}
    assert not Employee.objects.filter(name__startswith="Changed").exists()


# --- All or nothing, dry run, audit --------------------------------------------------------------


def test_one_bad_row_stores_nothing(cast):
    good = new_employee(1, number=2)
    renamed = Row(3, {"nip": cast.employees["employee"].nip, "nama": "Renamed"})
    bad = new_employee(2, number=4, nip="198503122010011000")
    records = AuditRecord.objects.count()
    outcome = apply(
        units=[Row(2, {"kode": "DINKES-GIZI", "nama": "Gizi", "kode_instansi": "DINKES"})],
        employees=[good, renamed, bad],
    )
    assert where(outcome) == {("employees", 4, "nip")}
    assert not outcome.applied
    assert not Unit.objects.filter(code="DINKES-GIZI").exists()
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert not Employee.objects.filter(name="Renamed").exists()
    assert AuditRecord.objects.count() == records


def test_a_dry_run_tells_what_would_change_and_stores_nothing(cast):
    records = AuditRecord.objects.count()
    nip = cast.employees["employee"].nip
    outcome = apply_rows(
        rows={"employees": [new_employee(1), Row(3, {"nip": nip, "nama": "Renamed"})]},
        by=SYSTEM,
        dry_run=True,
    )
    assert outcome.ok and outcome.dry_run and not outcome.applied
    assert outcome.summary() == {"employees": {"created": 1, "updated": 1, "unchanged": 0}}
    assert {(c.key, c.kind) for c in outcome.changes} == {
        (make_nip(1), "created"),
        (nip, "updated"),
    }
    assert next(c for c in outcome.changes if c.kind == "updated").columns == ("nama",)
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert Employee.objects.get(nip=nip).name != "Renamed"
    assert AuditRecord.objects.count() == records


def test_every_changed_row_is_recorded_through_the_import_door(cast):
    employee = cast.employees["employee"]
    unchanged = Row(
        4, {"nip": cast.employees["colleague"].nip, "nama": cast.employees["colleague"].name}
    )
    before = AuditRecord.objects.count()
    with audit.door(Channel.IMPORT, cast.admin):
        outcome = apply_rows(
            rows={
                "employees": [
                    new_employee(1),
                    Row(3, {"nip": employee.nip, "nama": "Siti A."}),
                    unchanged,
                ]
            },
            by=SYSTEM,
            note="import pegawai.xlsx",
        )
    assert outcome.summary() == {"employees": {"created": 1, "updated": 1, "unchanged": 1}}
    records = list(AuditRecord.objects.order_by("seq")[before:])
    assert [(r.action, r.object_id) for r in records] == [
        ("create", make_nip(1)),
        ("update", employee.nip),
        ("import", ""),
    ]
    assert {r.channel for r in records} == {Channel.IMPORT}
    assert {r.actor_id for r in records} == {cast.admin.pk}
    update = records[1]
    assert (update.object_type, update.agency_code) == ("organizations.employee", "DINKES")
    assert (update.before, update.after) == ({"nama": employee.name}, {"nama": "Siti A."})
    assert audit.verify().ok


def test_applying_the_stored_state_again_changes_nothing(cast):
    state = load_state()
    rows = {
        key: [Row(i + 2, dict(v)) for i, v in enumerate(state.table(key).values())]
        for key in state.ids
    }
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    records = AuditRecord.objects.count()
    outcome = apply_rows(rows=rows, by=SYSTEM, note="again")
    assert outcome.ok and outcome.applied and outcome.changed == 0
    assert outcome.summary()["employees"] == {"created": 0, "updated": 0, "unchanged": 8}
    assert AuditRecord.objects.count() == records
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps


def test_an_update_moves_the_employees_updated_at(cast):
    employee = cast.employees["employee"]
    assert apply(employees=[Row(2, {"nip": employee.nip, "nama": "Siti A."})]).ok
    assert Employee.objects.get(pk=employee.pk).updated_at > employee.updated_at


def test_raters_are_recomputed_after_a_move(cast):
    employee = cast.employees["employee"]
    assert RaterChain.objects.get(employee=employee).rater == cast.employees["rater"]
    outcome = apply(employees=[Row(2, {"nip": employee.nip, "kode_jabatan": "DINKES-ANALIS-SDM"})])
    assert outcome.ok, outcome.errors
    chain = RaterChain.objects.get(employee=employee)
    assert (chain.rater, chain.rater_superior) == (
        cast.employees["rater_superior"],
        cast.employees["head"],
    )


def test_a_new_position_in_the_tree_changes_the_raters_below_it(cast):
    outcome = apply(
        positions=[
            Row(
                2,
                {
                    "kode": "DINKES-KATIM",
                    "nama": "Ketua Tim",
                    "jenis": "pengawas",
                    "kode_unit": PKM,
                    "kode_atasan": KAPUS,
                },
            ),
            Row(3, {"kode": PERAWAT, "kode_atasan": "DINKES-KATIM"}),
        ],
        employees=[new_employee(1, kode_jabatan="DINKES-KATIM")],
    )
    assert outcome.ok, outcome.errors
    chain = RaterChain.objects.get(employee=cast.employees["employee"])
    assert (chain.rater.nip, chain.rater_superior) == (make_nip(1), cast.employees["rater"])


# --- The public API ------------------------------------------------------------------------------


def test_apply_rows_or_raise_raises_with_the_row_errors(cast):
    with pytest.raises(ChangesetError) as caught:
        apply_rows_or_raise(rows={"employees": [new_employee(1, number=5, nip="123")]}, by=SYSTEM)
    assert [(e.sheet, e.row, e.column) for e in caught.value.row_errors] == [
        ("employees", 5, "nip")
    ]


def test_a_row_error_names_sheet_row_and_column():
    error = row_error("employees", 5, "nip", "bad")
    with translation.override("en"):
        assert str(error) == "Pegawai, row 5, column nip: bad"
        assert str(row_error("units", None, "kode", "bad")) == "Unit, column kode: bad"
    assert error.as_dict() == {"sheet": "Pegawai", "row": 5, "column": "nip", "message": "bad"}


def test_errors_come_sorted_by_sheet_row_and_column(cast):
    outcome = apply(
        employees=[new_employee(1, number=9, nip="1"), new_employee(2, number=3, status="x")],
        units=[Row(4, {"kode": "X-1", "nama": "", "kode_instansi": "NOPE"})],
    )
    assert [(e.sheet, e.row, e.column) for e in outcome.errors] == [
        ("units", 4, "kode_instansi"),
        ("units", 4, "nama"),
        ("employees", 3, "status"),
        ("employees", 9, "nip"),
    ]


def test_progress_is_reported_per_phase(cast):
    seen = []
    apply_rows(
        rows={"employees": [new_employee(n, number=n + 1) for n in range(1, 4)]},
        by=SYSTEM,
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    assert ("validate", 3, 3) in seen
    assert ("write", 3, 3) in seen
    assert ("audit", 3, 3) in seen
    assert seen[-1] == ("raters", 0, 0)
    phases = [phase for phase, _done, _total in seen]
    assert sorted(set(phases), key=phases.index) == ["validate", "write", "audit", "raters"]


def test_the_number_of_queries_does_not_grow_with_the_rows(cast, django_assert_max_num_queries):
    few = [new_employee(n, number=n) for n in range(1, 4)]
    many = [new_employee(n, number=n) for n in range(10, 70)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert apply(employees=few).ok
    with CaptureQueriesContext(connection) as large:
        assert apply(employees=many).ok
    assert len(large) <= len(small) + 2
    with django_assert_max_num_queries(40):
        assert apply(employees=many).ok  # unchanged
