"""``kinerja demo load``: the Plaju demo, loaded through the real paths, deterministic."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.accounts.models import Role, RoleAssignment, User
from kinerja.core import audit
from kinerja.core.models import AuditRecord, Channel
from kinerja.core.nip import parse_nip
from kinerja.demo.loader import organisation as demo
from kinerja.organizations.models import (
    ActingOfficial,
    Agency,
    Employee,
    Position,
    RaterBasis,
    RaterChain,
    RaterOverride,
    Region,
    Unit,
)
from kinerja.organizations.ranks import normalize_rank
from kinerja.organizations.scope import scope_for
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

STRUCTURAL = {"jpt", "administrator", "pengawas"}


def load(*args: str) -> str:
    out = StringIO()
    call_command("demo", "load", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker, load) as output:
        yield output


@pytest.fixture
def loaded(_loaded_once, db):
    return _loaded_once


# --- Refusals and repetition ----------------------------------------------------------------


def test_the_demo_is_refused_outside_demo_mode_and_stores_nothing(settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError) as caught:
        load()

    assert "KINERJA_DEMO" in str(caught.value)
    assert not Employee.objects.exists()
    assert not Region.objects.exists()
    assert not AuditRecord.objects.exists()


def test_the_demo_never_takes_over_another_region():
    Region.objects.create(code="OKU", name="Pemerintah Kabupaten OKU", head_title="Bupati OKU")

    with pytest.raises(CommandError) as caught:
        load()

    assert "OKU" in str(caught.value)
    assert Region.objects.get().code == "OKU"
    assert not Employee.objects.exists()


def test_if_empty_loads_an_empty_database():
    load("--if-empty")

    assert Employee.objects.count() == len(demo.PEOPLE)


def test_if_empty_does_nothing_when_employees_exist(loaded):
    records, users = AuditRecord.objects.count(), User.objects.count()

    output = load("--if-empty")

    assert output.strip()  # it says so
    assert AuditRecord.objects.count() == records
    assert User.objects.count() == users


def test_loading_again_changes_nothing(loaded):
    before = {
        "records": AuditRecord.objects.count(),
        "employees": Employee.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "acting": ActingOfficial.objects.count(),
        "overrides": RaterOverride.objects.count(),
        "passwords": dict(User.objects.values_list("username", "password")),
    }

    load()

    assert before == {
        "records": AuditRecord.objects.count(),
        "employees": Employee.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "acting": ActingOfficial.objects.count(),
        "overrides": RaterOverride.objects.count(),
        "passwords": dict(User.objects.values_list("username", "password")),
    }


def test_the_demo_data_is_the_same_every_time():
    assert demo.rows() == demo.rows()
    assert [demo.nip_of(p) for p in demo.PEOPLE] == [demo.nip_of(p) for p in demo.PEOPLE]
    assert demo.demo_accounts() == demo.demo_accounts()


# --- Content --------------------------------------------------------------------------------


def test_the_region_and_agencies_are_those_of_the_issue(loaded):
    region = Region.objects.get()
    assert (region.code, region.name, region.head_title) == (
        "PLG", "Pemerintah Kota Palembang", "Wali Kota Palembang",
    )  # fmt: skip
    assert set(Agency.objects.values_list("code", flat=True)) == {
        "SETDA", "KEC-PLAJU", "DISDIK", "DINKES", "DISDUKCAPIL",
    }  # fmt: skip
    assert Agency.objects.get(code="DISDUKCAPIL").name == "Dinas Kependudukan dan Pencatatan Sipil"


def test_kecamatan_plaju_has_its_seven_kelurahan_each_with_a_lurah_post(loaded):
    kelurahan = Unit.objects.filter(agency__code="KEC-PLAJU", code__startswith="KEC-PLAJU-KEL-")

    assert sorted(u.name for u in kelurahan) == [
        "Kelurahan Bagus Kuning", "Kelurahan Komperta", "Kelurahan Plaju Darat",
        "Kelurahan Plaju Ilir", "Kelurahan Plaju Ulu", "Kelurahan Talang Bubuk",
        "Kelurahan Talang Putri",
    ]  # fmt: skip
    for unit in kelurahan:
        lurah = Position.objects.get(unit=unit, name__startswith="Lurah")
        assert lurah.kind == "pengawas"
        assert lurah.reports_to.code == "KEC-PLAJU-CAMAT"
        assert Employee.objects.filter(unit=unit).exists()  # staff


def test_the_units_later_issues_rely_on_exist(loaded):
    assert Unit.objects.get(code="DINKES-PKM-PLAJU").agency.code == "DINKES"
    assert Unit.objects.get(code="DISDUKCAPIL-PLAJU").agency.code == "DISDUKCAPIL"
    operators = Employee.objects.filter(unit__code="DISDUKCAPIL-PLAJU")
    assert operators.count() >= 2
    assert {e.position.kind for e in operators} == {"pelaksana"}


def test_about_sixty_employees_pns_and_some_pppk(loaded):
    statuses = Counter(Employee.objects.values_list("status", flat=True))

    assert 55 <= sum(statuses.values()) <= 65
    assert statuses["pppk"] >= 3
    assert statuses["pns"] > statuses["pppk"]


def test_every_nip_is_valid_and_carries_the_persons_sex():
    for person in demo.PEOPLE:
        nip = parse_nip(demo.nip_of(person))
        assert nip.sex == person.sex, person.name
    assert len({demo.nip_of(p) for p in demo.PEOPLE}) == len(demo.PEOPLE)


def test_every_stored_nip_is_valid_and_sexes_are_mixed(loaded):
    sexes = Counter(parse_nip(nip).sex for nip in Employee.objects.values_list("nip", flat=True))

    assert sexes["L"] >= 20 and sexes["P"] >= 20


def test_every_rank_fits_the_status_and_every_email_is_unique(loaded):
    employees = list(Employee.objects.all())
    for e in employees:
        assert normalize_rank(e.status, e.rank) == e.rank, e
    emails = [e.email for e in employees]
    assert len(set(emails)) == len(emails)
    assert all(email.endswith("@palembang.go.id") for email in emails)


POSITION_KINDS = [
    # kind, the levels (jenjang) in use
    ("jpt", {"pratama"}),
    ("administrator", {""}),
    ("pengawas", {""}),
    ("pelaksana", {""}),
    ("jf", {"ahli_pertama", "ahli_muda", "ahli_madya", "terampil", "mahir"}),
]
FUNCTIONAL = ["Guru", "Dokter", "Perawat", "Administrator Database Kependudukan"]


def test_every_kind_of_position_is_present_and_held(loaded):
    for kind, levels in POSITION_KINDS:
        positions = Position.objects.filter(kind=kind)
        assert set(positions.values_list("level", flat=True)) == levels, kind
        assert Employee.objects.filter(position__kind=kind).exists(), kind
    for word in FUNCTIONAL:
        assert Employee.objects.filter(position__name__startswith=word, position__kind="jf"), word


def test_the_guru_report_to_the_kepala_sekolah_who_is_one_person(loaded):
    head = Position.objects.get(code="DISDIK-SDN-PLAJU-KEPSEK")

    assert head.kind == "jf"
    assert head.holders.count() == 1
    guru = Employee.objects.filter(position__reports_to=head)
    assert guru.count() >= 4
    assert set(RaterChain.objects.filter(employee__in=guru).values_list("rater_id", flat=True)) == {
        head.holders.get().pk
    }


def test_every_agency_has_a_head_who_holds_the_post(loaded):
    for agency in Agency.objects.all():
        assert agency.head_position is not None, agency.code
        assert agency.head_position.unit.agency_id == agency.pk
        assert agency.head_position.holders.filter(active=True).count() == 1, agency.code


def test_the_camat_is_rated_by_the_sekda_and_the_sekda_by_the_head_of_region(loaded):
    camat = Employee.objects.get(position__code="KEC-PLAJU-CAMAT")
    sekda = Employee.objects.get(position__code="SETDA-SEKDA")

    chain = RaterChain.objects.get(employee=camat)
    assert (chain.rater_id, chain.rater_basis) == (sekda.pk, RaterBasis.TREE)
    assert (chain.rater_superior_id, chain.superior_basis) == (None, RaterBasis.REGION_HEAD)
    assert RaterChain.objects.get(employee=sekda).rater_basis == RaterBasis.REGION_HEAD


def test_every_structural_post_is_filled_but_one_which_has_a_plt(loaded):
    vacant = [
        p for p in Position.objects.filter(kind__in=STRUCTURAL) if not p.holders.filter(active=True)
    ]

    assert [p.code for p in vacant] == [demo.VACANT_POSITION]
    acting = ActingOfficial.objects.get(ended_at=None)
    assert acting.position == vacant[0]
    assert acting.employee.nip == demo.nip_for(demo.ACTING["person"])
    staff = Employee.objects.filter(position__reports_to=vacant[0])
    assert staff.exists()
    assert set(
        RaterChain.objects.filter(employee__in=staff).values_list("rater_basis", flat=True)
    ) == {RaterBasis.ACTING}


def test_one_rater_override_is_recorded(loaded):
    override = RaterOverride.objects.get(ended_at=None)

    assert override.employee.nip == demo.nip_for(demo.OVERRIDE["person"])
    assert override.rater.nip == demo.nip_for(demo.OVERRIDE["rater"])
    chain = RaterChain.objects.get(employee=override.employee)
    assert (chain.rater_id, chain.rater_basis) == (override.rater_id, RaterBasis.OVERRIDE)


# --- Accounts -------------------------------------------------------------------------------


def test_every_employee_has_an_account_by_nip(loaded):
    nips = set(Employee.objects.values_list("nip", flat=True))

    assert (
        set(User.objects.filter(employee__isnull=False).values_list("username", flat=True)) == nips
    )


def test_one_password_hash_serves_every_demo_account(loaded):
    hashes = set(User.objects.values_list("password", flat=True))

    assert len(hashes) == 1
    assert hashes.pop().startswith("argon2")


def test_demo_accounts_lists_one_account_per_role():
    accounts = demo.demo_accounts()

    assert [label for label, _username, _who in accounts] == [
        "Pegawai", "Pejabat Penilai", "Atasan Pejabat Penilai", "Pimpinan Instansi",
        "Pengelola Kinerja", "Admin BKPSDM", "Auditor",
    ]  # fmt: skip
    assert accounts[-2][1] == "admin" and accounts[-1][1] == "auditor"
    assert all(who for _label, _username, who in accounts)


def test_each_demo_account_signs_in_with_the_demo_password(loaded):
    request = RequestFactory().post("/")

    for account in demo.demo_account_rows():
        user = authenticate(request=request, username=account.username, password="kinerja-demo")
        assert user is not None, account.username
        assert user.username == account.username
    assert authenticate(request=request, username="admin", password="kinerja-demo!") is None


EXPECTED_ROLES = {
    Role.PEGAWAI: {Role.PEGAWAI},
    Role.PEJABAT_PENILAI: {Role.PEGAWAI, Role.PEJABAT_PENILAI},
    Role.ATASAN_PEJABAT_PENILAI: {Role.PEGAWAI, Role.PEJABAT_PENILAI, Role.ATASAN_PEJABAT_PENILAI},
    Role.PIMPINAN_INSTANSI: {
        Role.PEGAWAI, Role.PEJABAT_PENILAI, Role.ATASAN_PEJABAT_PENILAI, Role.PIMPINAN_INSTANSI,
    },
    Role.PENGELOLA_KINERJA: {Role.PEGAWAI, Role.PENGELOLA_KINERJA},
    Role.ADMIN_BKPSDM: {Role.ADMIN_BKPSDM},
    Role.AUDITOR: {Role.AUDITOR},
}  # fmt: skip


def test_each_listed_account_has_the_roles_it_is_listed_for(loaded):
    for account in demo.demo_account_rows():
        user = User.objects.get(username=account.username)
        assert scope_for(user).roles == EXPECTED_ROLES[account.role], account.label


def test_every_agency_has_a_pengelola_kinerja_who_works_there(loaded):
    assignments = RoleAssignment.objects.filter(role=Role.PENGELOLA_KINERJA).select_related(
        "user__employee__unit", "agency"
    )

    assert {a.agency.code for a in assignments} == set(
        Agency.objects.values_list("code", flat=True)
    )
    for a in assignments:
        assert a.user.employee.unit.agency_id == a.agency_id
        assert Role.PENGELOLA_KINERJA in scope_for(a.user).roles


def test_the_command_prints_the_accounts_table(loaded):
    for _label, username, _who in demo.demo_accounts():
        assert username in loaded
    assert DEMO_PASSWORD in loaded


# --- The audit trail ------------------------------------------------------------------------


def test_the_load_is_on_record_as_the_demo_through_the_command_door(loaded):
    records = AuditRecord.objects.all()

    assert records.filter(object_type="organizations.employee").count() == len(demo.PEOPLE)
    assert set(records.values_list("channel", "actor_label").distinct()) == {
        (Channel.COMMAND, "demo")
    }


def test_the_audit_trail_verifies_after_the_load(loaded):
    out = StringIO()

    call_command("audit", "verify", stdout=out)

    assert out.getvalue().startswith("OK")
    assert audit.verify().checked == AuditRecord.objects.count()
