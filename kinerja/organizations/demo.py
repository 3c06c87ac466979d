# ruff: noqa: E501 - the data below reads as tables, one row a line.
"""The Plaju demo: Pemerintah Kota Palembang, Kecamatan Plaju and three Dinas, as plain data.

Everything is loaded through the real paths (``region_set``, ``changeset.apply_rows``, the
account services, ``acting_start`` and ``override_start``), so the demo also exercises them and
its audit trail looks like a real one. The data is fixed (no randomness): every load of an empty
database gives the same organisation, NIPs and accounts; loading again changes nothing.

The people are invented. Names follow Palembang usage (Kgs./Kms./Mgs./Rd. and Nyimas/Nyayu
are local honorifics); NIPs are valid (birth date, appointment month, sex digit, sequence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import Channel

EMAIL_DOMAIN = "palembang.go.id"

REGION = {
    "code": "PLG",
    "name": "Pemerintah Kota Palembang",
    "head_title": "Wali Kota Palembang",
    "head_name": "",
}


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    kind: str
    head: str  # code of the head's position


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    agency: str
    parent: str = ""


@dataclass(frozen=True)
class PositionRow:
    code: str
    name: str
    kind: str
    level: str
    unit: str
    reports_to: str = ""


@dataclass(frozen=True)
class Person:
    position: str
    name: str
    sex: str  # "L" or "P"; digit 15 of the NIP
    born: str  # YYYYMMDD
    appointed: str  # YYYYMM
    rank: str
    status: str = "PNS"
    key: str = ""  # a handle for the accounts table, the Plt and the override

    @property
    def sex_digit(self) -> str:
        return "1" if self.sex == "L" else "2"


# --- The organisation -----------------------------------------------------------------------

AGENCIES = [
    AgencyRow("SETDA", "Sekretariat Daerah Kota Palembang", "sekretariat", "SETDA-SEKDA"),
    AgencyRow("KEC-PLAJU", "Kecamatan Plaju", "kecamatan", "KEC-PLAJU-CAMAT"),
    AgencyRow("DISDIK", "Dinas Pendidikan", "dinas", "DISDIK-KADIS"),
    AgencyRow("DINKES", "Dinas Kesehatan", "dinas", "DINKES-KADIS"),
    AgencyRow(
        "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", "DISDUKCAPIL-KADIS"
    ),
]

KELURAHAN = [
    "Bagus Kuning",
    "Komperta",
    "Plaju Darat",
    "Plaju Ilir",
    "Plaju Ulu",
    "Talang Bubuk",
    "Talang Putri",
]


def kelurahan_code(name: str) -> str:
    return "KEC-PLAJU-KEL-" + name.upper().replace(" ", "-")


UNITS = [
    UnitRow("SETDA", "Sekretariat Daerah Kota Palembang", "SETDA"),
    UnitRow("SETDA-ORG", "Bagian Organisasi", "SETDA", "SETDA"),
    UnitRow("KEC-PLAJU", "Kecamatan Plaju", "KEC-PLAJU"),
    UnitRow("KEC-PLAJU-SEKRETARIAT", "Sekretariat Kecamatan Plaju", "KEC-PLAJU", "KEC-PLAJU"),
    UnitRow("KEC-PLAJU-PEM", "Seksi Pemerintahan", "KEC-PLAJU", "KEC-PLAJU"),
    UnitRow(
        "KEC-PLAJU-TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum", "KEC-PLAJU", "KEC-PLAJU"
    ),
    UnitRow("KEC-PLAJU-PMD", "Seksi Pemberdayaan Masyarakat", "KEC-PLAJU", "KEC-PLAJU"),
    *[UnitRow(kelurahan_code(k), f"Kelurahan {k}", "KEC-PLAJU", "KEC-PLAJU") for k in KELURAHAN],
    UnitRow("DISDIK", "Dinas Pendidikan", "DISDIK"),
    UnitRow("DISDIK-SEKRETARIAT", "Sekretariat Dinas Pendidikan", "DISDIK", "DISDIK"),
    UnitRow("DISDIK-SD", "Bidang Pembinaan Sekolah Dasar", "DISDIK", "DISDIK"),
    UnitRow("DISDIK-SD-KURIKULUM", "Seksi Kurikulum dan Penilaian SD", "DISDIK", "DISDIK-SD"),
    UnitRow("DISDIK-SDN-PLAJU", "SD Negeri 1 Plaju", "DISDIK", "DISDIK-SD"),
    UnitRow("DINKES", "Dinas Kesehatan", "DINKES"),
    UnitRow("DINKES-SEKRETARIAT", "Sekretariat Dinas Kesehatan", "DINKES", "DINKES"),
    UnitRow("DINKES-YANKES", "Bidang Pelayanan Kesehatan", "DINKES", "DINKES"),
    UnitRow("DINKES-PKM-PLAJU", "UPTD Puskesmas Plaju", "DINKES", "DINKES-YANKES"),
    UnitRow("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "DISDUKCAPIL"),
    UnitRow("DISDUKCAPIL-SEKRETARIAT", "Sekretariat Dinas Dukcapil", "DISDUKCAPIL", "DISDUKCAPIL"),
    UnitRow(
        "DISDUKCAPIL-PDP", "Bidang Pelayanan Pendaftaran Penduduk", "DISDUKCAPIL", "DISDUKCAPIL"
    ),
    UnitRow(
        "DISDUKCAPIL-PDP-IDENTITAS", "Seksi Identitas Penduduk", "DISDUKCAPIL", "DISDUKCAPIL-PDP"
    ),
    # The counter that a later issue's KTP-el service events are attributed to, by this code.
    UnitRow(
        "DISDUKCAPIL-PLAJU",
        "Layanan Adminduk Kecamatan Plaju",
        "DISDUKCAPIL",
        "DISDUKCAPIL-PDP-IDENTITAS",
    ),
]

P = PositionRow
POSITIONS = [
    # Sekretariat Daerah: the Sekda (JPT Pratama) rates the Camat.
    P("SETDA-SEKDA", "Sekretaris Daerah Kota Palembang", "jpt", "pratama", "SETDA"),
    P("SETDA-KABAG-ORG", "Kepala Bagian Organisasi", "administrator", "", "SETDA-ORG", "SETDA-SEKDA"),
    P("SETDA-ORG-ANALIS", "Analis Kinerja", "pelaksana", "", "SETDA-ORG", "SETDA-KABAG-ORG"),
    P("SETDA-ORG-ADMIN", "Pengadministrasi Perkantoran", "pelaksana", "", "SETDA-ORG", "SETDA-KABAG-ORG"),
    # Kecamatan Plaju
    P("KEC-PLAJU-CAMAT", "Camat Plaju", "administrator", "", "KEC-PLAJU", "SETDA-SEKDA"),
    P("KEC-PLAJU-SEKCAM", "Sekretaris Kecamatan Plaju", "administrator", "", "KEC-PLAJU-SEKRETARIAT", "KEC-PLAJU-CAMAT"),
    P("KEC-PLAJU-ANALIS", "Analis Kepegawaian", "pelaksana", "", "KEC-PLAJU-SEKRETARIAT", "KEC-PLAJU-SEKCAM"),
    P("KEC-PLAJU-KASI-PEM", "Kepala Seksi Pemerintahan", "pengawas", "", "KEC-PLAJU-PEM", "KEC-PLAJU-CAMAT"),
    P("KEC-PLAJU-PEM-STAF", "Pengadministrasi Pemerintahan", "pelaksana", "", "KEC-PLAJU-PEM", "KEC-PLAJU-KASI-PEM"),
    P("KEC-PLAJU-KASI-TRANTIB", "Kepala Seksi Ketenteraman dan Ketertiban Umum", "pengawas", "", "KEC-PLAJU-TRANTIB", "KEC-PLAJU-CAMAT"),
    P("KEC-PLAJU-TRANTIB-STAF", "Pengelola Ketenteraman dan Ketertiban", "pelaksana", "", "KEC-PLAJU-TRANTIB", "KEC-PLAJU-KASI-TRANTIB"),
    P("KEC-PLAJU-KASI-PMD", "Kepala Seksi Pemberdayaan Masyarakat", "pengawas", "", "KEC-PLAJU-PMD", "KEC-PLAJU-CAMAT"),
    *[
        row
        for k in KELURAHAN
        for row in (
            P(f"{kelurahan_code(k)}-LURAH", f"Lurah {k}", "pengawas", "", kelurahan_code(k), "KEC-PLAJU-CAMAT"),
            P(f"{kelurahan_code(k)}-STAF", f"Pengadministrasi Umum Kelurahan {k}", "pelaksana", "", kelurahan_code(k), f"{kelurahan_code(k)}-LURAH"),
        )
    ],
    # Dinas Pendidikan: the Kepala Sekolah is a guru (JF) whom the other guru report to.
    P("DISDIK-KADIS", "Kepala Dinas Pendidikan", "jpt", "pratama", "DISDIK"),
    P("DISDIK-SEKDIS", "Sekretaris Dinas Pendidikan", "administrator", "", "DISDIK-SEKRETARIAT", "DISDIK-KADIS"),
    P("DISDIK-ANALIS", "Analis Kepegawaian", "pelaksana", "", "DISDIK-SEKRETARIAT", "DISDIK-SEKDIS"),
    P("DISDIK-KABID-SD", "Kepala Bidang Pembinaan Sekolah Dasar", "administrator", "", "DISDIK-SD", "DISDIK-KADIS"),
    P("DISDIK-KASI-KURIKULUM-SD", "Kepala Seksi Kurikulum dan Penilaian SD", "pengawas", "", "DISDIK-SD-KURIKULUM", "DISDIK-KABID-SD"),
    P("DISDIK-KURIKULUM-STAF", "Pengolah Data Pendidikan", "pelaksana", "", "DISDIK-SD-KURIKULUM", "DISDIK-KASI-KURIKULUM-SD"),
    P("DISDIK-SDN-PLAJU-KEPSEK", "Guru Ahli Madya (Kepala SD Negeri 1 Plaju)", "jf", "ahli_madya", "DISDIK-SDN-PLAJU", "DISDIK-KABID-SD"),
    P("DISDIK-SDN-PLAJU-GURU-AP", "Guru Kelas Ahli Pertama", "jf", "ahli_pertama", "DISDIK-SDN-PLAJU", "DISDIK-SDN-PLAJU-KEPSEK"),
    P("DISDIK-SDN-PLAJU-GURU-AM", "Guru Kelas Ahli Muda", "jf", "ahli_muda", "DISDIK-SDN-PLAJU", "DISDIK-SDN-PLAJU-KEPSEK"),
    P("DISDIK-SDN-PLAJU-GURU-PAI", "Guru Pendidikan Agama Islam Ahli Pertama", "jf", "ahli_pertama", "DISDIK-SDN-PLAJU", "DISDIK-SDN-PLAJU-KEPSEK"),
    # Dinas Kesehatan, with UPTD Puskesmas Plaju
    P("DINKES-KADIS", "Kepala Dinas Kesehatan", "jpt", "pratama", "DINKES"),
    P("DINKES-SEKDIS", "Sekretaris Dinas Kesehatan", "administrator", "", "DINKES-SEKRETARIAT", "DINKES-KADIS"),
    P("DINKES-ANALIS", "Analis Kepegawaian", "pelaksana", "", "DINKES-SEKRETARIAT", "DINKES-SEKDIS"),
    P("DINKES-KABID-YANKES", "Kepala Bidang Pelayanan Kesehatan", "administrator", "", "DINKES-YANKES", "DINKES-KADIS"),
    P("DINKES-PKM-PLAJU-KEPALA", "Kepala UPTD Puskesmas Plaju", "pengawas", "", "DINKES-PKM-PLAJU", "DINKES-KABID-YANKES"),
    P("DINKES-PKM-PLAJU-DOKTER-AP", "Dokter Ahli Pertama", "jf", "ahli_pertama", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    P("DINKES-PKM-PLAJU-DOKTER-AM", "Dokter Ahli Muda", "jf", "ahli_muda", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    P("DINKES-PKM-PLAJU-PERAWAT-T", "Perawat Terampil", "jf", "terampil", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    P("DINKES-PKM-PLAJU-PERAWAT-M", "Perawat Mahir", "jf", "mahir", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    P("DINKES-PKM-PLAJU-PERAWAT-AP", "Perawat Ahli Pertama", "jf", "ahli_pertama", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    P("DINKES-PKM-PLAJU-ADMIN", "Pengadministrasi Perkantoran", "pelaksana", "", "DINKES-PKM-PLAJU", "DINKES-PKM-PLAJU-KEPALA"),
    # Dinas Kependudukan dan Pencatatan Sipil, with its counter in Plaju
    P("DISDUKCAPIL-KADIS", "Kepala Dinas Kependudukan dan Pencatatan Sipil", "jpt", "pratama", "DISDUKCAPIL"),
    P("DISDUKCAPIL-SEKDIS", "Sekretaris Dinas Kependudukan dan Pencatatan Sipil", "administrator", "", "DISDUKCAPIL-SEKRETARIAT", "DISDUKCAPIL-KADIS"),
    P("DISDUKCAPIL-ANALIS", "Analis Kepegawaian", "pelaksana", "", "DISDUKCAPIL-SEKRETARIAT", "DISDUKCAPIL-SEKDIS"),
    P("DISDUKCAPIL-KABID-PDP", "Kepala Bidang Pelayanan Pendaftaran Penduduk", "administrator", "", "DISDUKCAPIL-PDP", "DISDUKCAPIL-KADIS"),
    P("DISDUKCAPIL-KASI-IDENTITAS", "Kepala Seksi Identitas Penduduk", "pengawas", "", "DISDUKCAPIL-PDP-IDENTITAS", "DISDUKCAPIL-KABID-PDP"),
    P("DISDUKCAPIL-ADK-AP", "Administrator Database Kependudukan Ahli Pertama", "jf", "ahli_pertama", "DISDUKCAPIL-PDP-IDENTITAS", "DISDUKCAPIL-KASI-IDENTITAS"),
    P("DISDUKCAPIL-ADK-T", "Administrator Database Kependudukan Terampil", "jf", "terampil", "DISDUKCAPIL-PDP-IDENTITAS", "DISDUKCAPIL-KASI-IDENTITAS"),
    P("DISDUKCAPIL-PLAJU-OPERATOR", "Operator Layanan KTP-el", "pelaksana", "", "DISDUKCAPIL-PLAJU", "DISDUKCAPIL-KASI-IDENTITAS"),
]  # fmt: skip
del P


def _kel(name: str, suffix: str) -> str:
    return f"{kelurahan_code(name)}-{suffix}"


# --- The people -----------------------------------------------------------------------------

PEOPLE = [
    # Sekretariat Daerah
    Person("SETDA-SEKDA", "Drs. Kgs. Ahmad Zulkifli, M.Si.", "L", "19690412", "199403", "IV/d"),
    Person("SETDA-KABAG-ORG", "Nyimas Rosmala Dewi, S.Sos., M.Si.", "P", "19760821", "200012", "IV/a"),
    Person("SETDA-ORG-ANALIS", "Muhammad Fikri Ramadhan, S.E.", "L", "19910517", "201503", "III/b", key="pengelola_setda"),
    Person("SETDA-ORG-ADMIN", "Rahmawati, A.Md.", "P", "19931102", "201901", "II/c"),
    # Kecamatan Plaju
    Person("KEC-PLAJU-CAMAT", "Kms. Hendri Saputra, S.STP., M.Si.", "L", "19820709", "200408", "IV/a"),
    Person("KEC-PLAJU-SEKCAM", "Yuliana Sari, S.H., M.H.", "P", "19800214", "200501", "III/d"),
    Person("KEC-PLAJU-ANALIS", "Ratna Juwita, S.A.P.", "P", "19900925", "201404", "III/b", key="pengelola_kec"),
    Person("KEC-PLAJU-KASI-PEM", "Mgs. Arief Rahman, S.IP.", "L", "19840603", "200903", "III/d", key="plt_lurah"),
    Person("KEC-PLAJU-PEM-STAF", "Dedi Kurniawan, S.Kom.", "L", "19920115", "201903", "III/a"),
    Person("KEC-PLAJU-KASI-TRANTIB", "Syamsul Bahri, S.H.", "L", "19791230", "200307", "III/d", key="kasi_trantib"),
    Person("KEC-PLAJU-TRANTIB-STAF", "Agus Salim", "L", "19880308", "201104", "II/d"),
    Person("KEC-PLAJU-KASI-PMD", "Lia Marlina, S.Sos.", "P", "19851010", "201002", "III/c"),
    Person(_kel("Bagus Kuning", "LURAH"), "Kgs. M. Yusuf, S.Sos.", "L", "19780520", "200203", "III/d"),
    Person(_kel("Bagus Kuning", "STAF"), "Siti Nurhaliza, A.Md.", "P", "19940707", "202001", "II/c"),
    Person(_kel("Komperta", "LURAH"), "Rd. Fauzan Akbar, S.STP.", "L", "19891111", "201108", "III/c"),
    Person(_kel("Komperta", "STAF"), "Meilani Putri", "P", "19960505", "202301", "V", status="PPPK"),
    Person(_kel("Plaju Darat", "LURAH"), "Hj. Erna Wati, S.E.", "P", "19770319", "200112", "III/d"),
    Person(_kel("Plaju Darat", "STAF"), "Rudi Hartono", "L", "19870828", "201005", "II/d"),
    Person(_kel("Plaju Ilir", "LURAH"), "Firmansyah, S.Sos.", "L", "19830914", "200801", "III/d"),
    Person(_kel("Plaju Ilir", "STAF"), "Nyayu Aisyah, S.Pd.", "P", "19950220", "202003", "III/a"),
    Person(_kel("Plaju Ulu", "LURAH"), "Ahmad Ridwan, S.IP., M.Si.", "L", "19810404", "200603", "III/d"),
    Person(_kel("Plaju Ulu", "STAF"), "Eka Fitriani", "P", "19910616", "201402", "II/c"),
    Person(_kel("Plaju Ulu", "STAF"), "Hendra Gunawan", "L", "19901001", "201506", "II/d", key="seconded"),
    Person(_kel("Talang Bubuk", "LURAH"), "Sri Wahyuni, S.Sos.", "P", "19840127", "200904", "III/c"),
    Person(_kel("Talang Bubuk", "STAF"), "Zulkarnain", "L", "19861212", "201203", "II/d"),
    # The Lurah of Talang Putri is vacant: the Kepala Seksi Pemerintahan acts (Plt).
    Person(_kel("Talang Putri", "STAF"), "Desi Ratnasari, A.Md.", "P", "19930418", "201701", "II/c"),
    Person(_kel("Talang Putri", "STAF"), "Andi Wijaya", "L", "19970808", "202403", "V", status="PPPK"),
    # Dinas Pendidikan
    Person("DISDIK-KADIS", "Dr. Hj. Rosmiati Hasan, M.Pd.", "P", "19680909", "199303", "IV/c"),
    Person("DISDIK-SEKDIS", "Iskandar Muda, S.Pd., M.M.", "L", "19751120", "199903", "IV/a"),
    Person("DISDIK-ANALIS", "Fitri Handayani, S.Psi.", "P", "19920303", "201703", "III/b", key="pengelola_disdik"),
    Person("DISDIK-KABID-SD", "Bambang Irawan, S.Pd., M.Pd.", "L", "19740630", "199804", "IV/b"),
    Person("DISDIK-KASI-KURIKULUM-SD", "Dra. Nurhayati", "P", "19720111", "199703", "IV/a"),
    Person("DISDIK-KURIKULUM-STAF", "Yoga Pratama, S.Kom.", "L", "19950919", "202003", "III/a"),
    Person("DISDIK-SDN-PLAJU-KEPSEK", "Hj. Zubaidah, S.Pd., M.Pd.", "P", "19710725", "199603", "IV/b"),
    Person("DISDIK-SDN-PLAJU-GURU-AP", "Dian Permata Sari, S.Pd.", "P", "19941201", "201903", "III/a"),
    Person("DISDIK-SDN-PLAJU-GURU-AP", "Muhammad Iqbal, S.Pd.", "L", "19930214", "202203", "IX", status="PPPK"),
    Person("DISDIK-SDN-PLAJU-GURU-AM", "Sumarni, S.Pd.", "P", "19820817", "200601", "III/d"),
    Person("DISDIK-SDN-PLAJU-GURU-AM", "Joko Susilo, S.Pd.", "L", "19800421", "200501", "III/c"),
    Person("DISDIK-SDN-PLAJU-GURU-PAI", "Abdul Halim, S.Pd.I.", "L", "19900512", "202303", "IX", status="PPPK"),
    # Dinas Kesehatan
    Person("DINKES-KADIS", "dr. Hj. Nurul Fadilah, M.Kes.", "P", "19701015", "199802", "IV/c", key="kadis_dinkes"),
    Person("DINKES-SEKDIS", "Heriyanto, S.KM., M.Kes.", "L", "19760312", "200003", "IV/a"),
    Person("DINKES-ANALIS", "Anisa Rahma, S.E.", "P", "19910730", "201503", "III/b", key="pengelola_dinkes"),
    Person("DINKES-KABID-YANKES", "dr. Rizky Pratama, M.A.R.S.", "L", "19800905", "200806", "IV/a", key="kabid_yankes"),
    Person("DINKES-PKM-PLAJU-KEPALA", "dr. Nyimas Farida Hanum", "P", "19830523", "201004", "III/d", key="kapus"),
    Person("DINKES-PKM-PLAJU-DOKTER-AP", "dr. Aditya Nugraha", "L", "19940128", "202103", "III/b"),
    Person("DINKES-PKM-PLAJU-DOKTER-AM", "dr. Intan Permatasari", "P", "19861103", "201304", "III/d"),
    Person("DINKES-PKM-PLAJU-PERAWAT-T", "Siti Rohani, A.Md.Kep.", "P", "19950609", "201903", "II/d", key="perawat"),
    Person("DINKES-PKM-PLAJU-PERAWAT-T", "Rizal Effendi, A.Md.Kep.", "L", "19961022", "202303", "VII", status="PPPK"),
    Person("DINKES-PKM-PLAJU-PERAWAT-M", "Yeni Marlina, A.Md.Kep.", "P", "19850202", "200803", "III/b"),
    Person("DINKES-PKM-PLAJU-PERAWAT-AP", "Ardiansyah, S.Kep., Ns.", "L", "19920815", "201703", "III/b"),
    Person("DINKES-PKM-PLAJU-ADMIN", "Wulandari", "P", "19891224", "201201", "II/d"),
    # Dinas Kependudukan dan Pencatatan Sipil
    Person("DISDUKCAPIL-KADIS", "Drs. Kgs. Mahmud Asyari, M.Si.", "L", "19690801", "199503", "IV/c"),
    Person("DISDUKCAPIL-SEKDIS", "Evi Susanti, S.E., M.M.", "P", "19770514", "200103", "IV/a"),
    Person("DISDUKCAPIL-ANALIS", "Taufik Hidayat, S.Kom.", "L", "19900227", "201503", "III/b", key="pengelola_dukcapil"),
    Person("DISDUKCAPIL-KABID-PDP", "Yudi Setiawan, S.Sos., M.Si.", "L", "19781008", "200303", "IV/a"),
    Person("DISDUKCAPIL-KASI-IDENTITAS", "Nova Riyanti, S.Kom.", "P", "19860419", "201003", "III/c"),
    Person("DISDUKCAPIL-ADK-AP", "Reza Pahlevi, S.Kom.", "L", "19950323", "202003", "III/a"),
    Person("DISDUKCAPIL-ADK-T", "Putri Ayu Lestari, A.Md.Kom.", "P", "19960909", "202101", "II/c"),
    Person("DISDUKCAPIL-PLAJU-OPERATOR", "Bayu Anggara", "L", "19940731", "201803", "II/b"),
    Person("DISDUKCAPIL-PLAJU-OPERATOR", "Nurmala Sari", "P", "19921126", "201605", "II/c"),
    Person("DISDUKCAPIL-PLAJU-OPERATOR", "Fajar Ramadhan", "L", "19980105", "202403", "V", status="PPPK"),
]  # fmt: skip

#: Each agency's Pengelola Kinerja (performance administrator), by person key.
PENGELOLA = {
    "SETDA": "pengelola_setda",
    "KEC-PLAJU": "pengelola_kec",
    "DISDIK": "pengelola_disdik",
    "DINKES": "pengelola_dinkes",
    "DISDUKCAPIL": "pengelola_dukcapil",
}

VACANT_POSITION = _kel("Talang Putri", "LURAH")
ACTING = {
    "position": VACANT_POSITION,
    "person": "plt_lurah",
    "kind": "plt",
    "reason": "Surat Perintah Wali Kota Palembang Nomor 821.2/0417/BKPSDM: Plt. Lurah Talang Putri "
    "sampai dilantiknya Lurah definitif",
}
OVERRIDE = {
    "person": "seconded",
    "rater": "kasi_trantib",
    "reason": "Diperbantukan pada Seksi Ketenteraman dan Ketertiban Umum, Surat Tugas Camat Plaju "
    "Nomor 800.1.11/118/KEC.PLJ",
}

SERVICE_USERS = [
    # username, first name, last name, role
    ("admin", "Admin", "BKPSDM", "admin_bkpsdm"),
    ("auditor", "Auditor", "Inspektorat", "auditor"),
]

# The honorifics and titles that stay out of an e-mail address.
_NOT_IN_EMAIL = {"dr.", "drs.", "dra.", "ir.", "h.", "hj.", "kgs.", "kms.", "mgs.", "rd."}
_NOT_IN_EMAIL |= {"nyimas", "nyayu", "ns."}


# --- Derived values -------------------------------------------------------------------------


def nip_of(who: Person) -> str:
    """birth date, appointment month, sex digit, then a sequence number (1–7, never 000)."""
    sequence = PEOPLE.index(who) % 7 + 1
    return f"{who.born}{who.appointed}{who.sex_digit}{sequence:03d}"


def email_of(who: Person) -> str:
    words = [w for w in who.name.split(",")[0].split() if w.lower() not in _NOT_IN_EMAIL]
    words = [w.replace(".", "").lower() for w in words]
    local = words[0] if len(words) == 1 else f"{words[0]}.{words[-1]}"
    return f"{local}@{EMAIL_DOMAIN}"


def person(key: str) -> Person:
    return next(p for p in PEOPLE if p.key == key)


def nip_for(key: str) -> str:
    return nip_of(person(key))


def _positions_by_code() -> dict[str, PositionRow]:
    return {p.code: p for p in POSITIONS}


def _units_by_code() -> dict[str, UnitRow]:
    return {u.code: u for u in UNITS}


@dataclass(frozen=True)
class DemoAccount:
    role: str  # the Role value (kinerja.accounts.models.Role)
    label: str  # the role's name as people in the agencies say it
    username: str
    description: str


def _employee_account(role: str, label: str, key: str) -> DemoAccount:
    who = person(key)
    position = _positions_by_code()[who.position]
    unit = _units_by_code()[position.unit]
    return DemoAccount(role, label, nip_of(who), f"{who.name} — {position.name}, {unit.name}")


def demo_account_rows() -> list[DemoAccount]:
    """One demo account per role, with the role's code (for tests and the README)."""
    return [
        _employee_account("pegawai", "Pegawai", "perawat"),
        _employee_account("pejabat_penilai", "Pejabat Penilai", "kapus"),
        _employee_account("atasan_pejabat_penilai", "Atasan Pejabat Penilai", "kabid_yankes"),
        _employee_account("pimpinan_instansi", "Pimpinan Instansi", "kadis_dinkes"),
        _employee_account("pengelola_kinerja", "Pengelola Kinerja", "pengelola_dinkes"),
        DemoAccount(
            "admin_bkpsdm", "Admin BKPSDM", "admin", _("Regional administrator (not an employee)")
        ),
        DemoAccount("auditor", "Auditor", "auditor", _("Read-only auditor of the whole region")),
    ]


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role label, username, description) of one demo account per role; every demo account
    signs in with the password ``kinerja-demo``."""
    return [(a.label, a.username, a.description) for a in demo_account_rows()]


# --- Rows for the changeset -----------------------------------------------------------------


def rows() -> dict:
    """The organisation as the rows of an import file (see :mod:`.columns`)."""
    from .changeset import Row

    def numbered(values: list[dict[str, str]]) -> list[Row]:
        return [Row(number, v) for number, v in enumerate(values, start=2)]

    return {
        "agencies": numbered(
            [
                {"kode": a.code, "nama": a.name, "jenis": a.kind, "kode_jabatan_pimpinan": a.head}
                for a in AGENCIES
            ]
        ),
        "units": numbered(
            [
                {"kode": u.code, "nama": u.name, "kode_instansi": u.agency, "kode_induk": u.parent}
                for u in UNITS
            ]
        ),
        "positions": numbered(
            [
                {
                    "kode": p.code,
                    "nama": p.name,
                    "jenis": p.kind,
                    "jenjang": p.level,
                    "kode_unit": p.unit,
                    "kode_atasan": p.reports_to,
                }
                for p in POSITIONS
            ]
        ),
        "employees": numbered(
            [
                {
                    "nip": nip_of(p),
                    "nama": p.name,
                    "status": p.status,
                    "golongan": p.rank,
                    "kode_unit": _positions_by_code()[p.position].unit,
                    "kode_jabatan": p.position,
                    "email": email_of(p),
                    "aktif": "ya",
                }
                for p in PEOPLE
            ]
        ),
    }


# --- Loading --------------------------------------------------------------------------------


@cache
def demo_password_hash() -> str:
    """One argon2 hash of the demo password for every account (argon2 is slow on purpose)."""
    return make_password(DEMO_PASSWORD)


class DemoError(Exception):
    """The demo cannot be loaded (not in demo mode, or the stored data contradicts it)."""


@dataclass
class LoadResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    accounts_created: int = 0
    roles_assigned: int = 0
    acting_started: bool = False
    override_started: bool = False
    #: what the performance part of the demo created (see kinerja.strategy.demo)
    strategy: dict[str, int] = field(default_factory=dict)
    #: what the service-data part created (see kinerja.streams.demo)
    streams: dict[str, int] = field(default_factory=dict)
    #: what the plans part created (see kinerja.skp.demo)
    skp: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        created_or_updated = sum(
            c.get("created", 0) + c.get("updated", 0) for c in self.counts.values()
        )
        return bool(
            created_or_updated
            or self.accounts_created
            or self.roles_assigned
            or self.acting_started
            or self.override_started
            or any(self.strategy.values())
            or self.streams.get("events", 0)
            or self.streams.get("alert_rules", 0)
            or any(self.skp.values())
        )


def load() -> LoadResult:
    """Load the Plaju demo (demo mode only). Safe to run again: what is in place stays."""
    if not settings.DEMO_MODE:
        raise DemoError(
            _(
                "The demo can be loaded in demo mode only (set KINERJA_DEMO=1): it gives every "
                "account a known password."
            )
        )
    with transaction.atomic(), audit.door(Channel.COMMAND, None, label="demo"):
        return _load()


def _load() -> LoadResult:
    from kinerja.accounts import services as accounts
    from kinerja.accounts.models import RoleAssignment, User

    from . import services
    from .changeset import apply_rows
    from .models import ActingOfficial, Agency, Employee, Position, RaterOverride, Region

    result = LoadResult()
    other = Region.objects.exclude(code=REGION["code"]).first()
    if other is not None:
        # Never rename a real installation's region into the demo's.
        raise DemoError(
            _("This database serves %(name)s (%(code)s); the demo belongs in its own database.")
            % {"name": other.name, "code": other.code}
        )
    services.region_set(**REGION)
    outcome = apply_rows(rows=rows(), by=SYSTEM, note="Plaju demo")
    if outcome.errors:
        raise DemoError("; ".join(str(e) for e in outcome.errors[:10]))
    result.counts = outcome.summary()

    by_nip = Employee.objects.in_bulk([nip_of(p) for p in PEOPLE], field_name="nip")
    by_key = {p.key: by_nip[nip_of(p)] for p in PEOPLE if p.key}

    # Accounts: every employee signs in by NIP. One password hash serves all of them, because
    # argon2 is slow on purpose and the password is the same.
    existing = set(
        User.objects.filter(employee__in=by_nip.values()).values_list("employee_id", flat=True)
    )
    users = [accounts.account_for_employee(employee=by_nip[nip_of(p)]) for p in PEOPLE]
    result.accounts_created = sum(1 for u in users if u.employee_id not in existing)
    service_users = {}
    for username, first_name, last_name, _role in SERVICE_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
            audit.record("create", user, after={"username": username, "employee": None})
            result.accounts_created += 1
        service_users[username] = user
    without_password = [u for u in [*users, *service_users.values()] if not u.has_usable_password()]
    if without_password:
        hashed = demo_password_hash()
        for user in without_password:
            user.password = hashed
        User.objects.bulk_update(without_password, ["password"], batch_size=500)
        audit.record_many(
            [
                audit.entry_for("password_reset", user, note="Demo password set.")
                for user in without_password
            ]
        )

    # Roles: the assigned ones; the others follow from the tree.
    before = RoleAssignment.objects.count()
    for username, _first, _last, role in SERVICE_USERS:
        accounts.role_assign(user=service_users[username], role=role)
    agencies = Agency.objects.in_bulk(list(PENGELOLA), field_name="code")
    for agency_code, key in PENGELOLA.items():
        user = next(u for u in users if u.employee_id == by_key[key].pk)
        accounts.role_assign(user=user, role="pengelola_kinerja", agency=agencies[agency_code])
    result.roles_assigned = RoleAssignment.objects.count() - before

    # One vacancy covered by a Plt, and one recorded override, so both show on the profiles.
    vacant = Position.objects.get(code=ACTING["position"])
    if not ActingOfficial.objects.filter(position=vacant, ended_at=None).exists():
        services.acting_start(
            position=vacant,
            employee=by_key[ACTING["person"]],
            kind=ACTING["kind"],
            reason=ACTING["reason"],
        )
        result.acting_started = True
    seconded = by_key[OVERRIDE["person"]]
    if not RaterOverride.objects.filter(employee=seconded, ended_at=None).exists():
        services.override_start(
            employee=seconded, rater=by_key[OVERRIDE["rater"]], reason=OVERRIDE["reason"]
        )
        result.override_started = True

    # The region's plan, the agencies' indicators, agreements and realisations.
    from kinerja.strategy import demo as strategy_demo

    result.strategy = strategy_demo.load()

    # A year of service events (KTP-el, emergency response) with their cases.
    from kinerja.streams import demo as streams_demo

    result.streams = streams_demo.load()

    # The employees' plans for the current year, their ratings so far and their follow-up.
    from kinerja.skp import demo as skp_demo

    result.skp = skp_demo.load()
    return result
