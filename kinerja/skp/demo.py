# ruff: noqa: E501 - the data below reads as tables, one row a line.
"""The individual-performance part of the Plaju demo (issue 5): every demo employee's plan
(SKP) for the current year, built top-down — the head of each agency first, so that each
subordinate's main results name the superior's result they support — with realisations,
feedback, one rated quarter, one pending objection and one agreed development plan.

Everything goes through the services (``skp_create`` … ``objection_file``) inside the demo's
audit door, each step by the person who takes it in real life (the employee drafts, submits
and reports; the rater approves or returns, writes expectations and feedback, rates; the
leader above a unit sets its predicate), so the services' permission checks run too.

What it gives (loaded on 28 November 2026: the year 2026, TW III rated on 3 October):

* Plans of all demo employees. The four heads of agency (JPT) name their agency's indicator
  and a perspective; their rater is the Wali Kota, who is not an employee in the system, so
  the regional administrator (``admin``) records the approval on the Wali Kota's behalf. Three plans are returned with a reason (Wulandari at the
  Puskesmas, Meilani Putri at Komperta, Andi Wijaya at Talang Putri) and one awaits approval
  (Abdul Halim at SD Negeri 1 Plaju); the rest are approved.
* The role-result matrix: the head of Puskesmas Plaju hands her emergency-response result to
  the nurses and doctors (same targets), the head of Seksi Identitas hands the KTP-el result to
  the three counter operators split by volume. Siti Rohani's and the operators' copies are
  bound to the service data filtered to themselves (``officer`` = their NIP), the heads'
  originals to their unit: "Kinerja saya" shows where those figures come from.
* Realisations for every quarter so far (TW I–III), feedback from raters, peers and
  subordinates with replies, self-assessments, the organisation predicate of every unit with
  rated employees, and TW III rated for all approved plans but two (the Kepala Sekolah has not
  rated two guru yet): mostly Baik, some Sangat Baik, three Butuh Perbaikan, which open
  development plans by themselves.
* Rizal Effendi's development plan (Butuh Perbaikan in TW III) has three actions agreed by him
  and his rater, dr. Nyimas Farida Hanum.
* Yeni Marlina's annual rating (Baik) and her objection, pending with dr. Rizky Pratama, the
  rater's superior (both listed demo accounts see it).

A fixed seed (``random.Random(SEED)``) chooses who does better or worse and the feedback
texts, so every load from the same day is the same. Loading again changes nothing: once any
demo employee has a plan for the year, this part leaves the year to the people.

The notifications the services send along the way are removed at the end: the plans' story
happened months before the load and its notices are not news (the service-data demo's alert
stays the only one).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kinerja.organizations import demo as org_demo

SEED = 62022  # PermenPANRB 6/2022
#: The day the demo is loaded as; ``None``: today. Tests fix it.
REFERENCE_DAY: date | None = None

# --- The plans, as data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Ind:
    """An indicator (IKI): aspect, text, target (``"95"``, ``"80-90"`` or ``""``) and unit.
    ``unit_binding``: (stream, metric, unit code, duration unit) fills the owner's own copy
    from the unit's service data; ``officer_binding``: (stream, metric, duration unit) fills
    the copies handed out by the matrix to the officers named in ``OFFICERS_BOUND``."""

    aspect: str
    text: str
    target: str
    unit: str
    unit_binding: tuple | None = None
    officer_binding: tuple | None = None


@dataclass(frozen=True)
class Result:
    """A result (RHK). ``tag`` names it for the subordinates' ``supports``; ``supports`` is
    the tag of the rater's result it supports (the rater's first main result when the tag is
    not on the rater's plan). JPT results name an agency indicator (``iku``) and a
    perspective instead."""

    text: str
    indicators: tuple[Ind, ...]
    tag: str = ""
    supports: str = ""
    kind: str = "utama"
    iku: str = ""
    perspective: str = ""


R, IK = Result, Ind

_K, _Q, _W = "kuantitas", "kualitas", "waktu"
_EMERGENCY = (
    IK(
        _Q,
        "Persentase panggilan PSC 119 yang direspons tim dalam 15 menit",
        "90",
        "%",
        unit_binding=("gawat-darurat", "within_sla_pct", "DINKES-PKM-PLAJU", ""),
        officer_binding=("gawat-darurat", "within_sla_pct", ""),
    ),
    IK(
        _W,
        "Rata-rata waktu dari panggilan diterima sampai tim tiba di lokasi",
        "12",
        "menit",
        unit_binding=("gawat-darurat", "duration_mean", "DINKES-PKM-PLAJU", "minutes"),
        officer_binding=("gawat-darurat", "duration_mean", "minutes"),
    ),
)
_KTP = (
    IK(
        _K,
        "Jumlah KTP-el yang diserahkan kepada pemohon per triwulan",
        "6000",
        "keping",
        unit_binding=("ktp-el", "cases_completed", "DISDUKCAPIL-PLAJU", ""),
        officer_binding=("ktp-el", "cases_completed", ""),
    ),
    IK(
        _Q,
        "Persentase KTP-el yang selesai dalam 8 jam kerja",
        "80",
        "%",
        unit_binding=("ktp-el", "within_sla_pct", "DISDUKCAPIL-PLAJU", ""),
        officer_binding=("ktp-el", "within_sla_pct", ""),
    ),
)


def _personnel(agency: str) -> list[Result]:
    return [
        R(
            f"Terkelolanya data kepegawaian dan dokumen SKP pegawai {agency} yang mutakhir",
            (
                IK(_K, "Persentase SKP pegawai yang ditetapkan tepat waktu", "100", "%"),
                IK(_Q, "Persentase data kepegawaian yang mutakhir", "95", "%"),
            ),
            supports="sekretariat",
        ),
        R(
            "Terlaksananya pendampingan pengisian realisasi dan bukti dukung kinerja pegawai",
            (IK(_K, "Persentase pegawai yang mengisi realisasi triwulan tepat waktu", "90", "%"),),
            supports="sekretariat",
            kind="tambahan",
        ),
    ]


def _secretary(agency: str, supports: str) -> list[Result]:
    return [
        R(
            f"Terselenggaranya administrasi umum, kepegawaian dan keuangan {agency} yang tertib dan akuntabel",
            (
                IK(
                    _K,
                    "Persentase laporan keuangan dan laporan kinerja yang disampaikan tepat waktu",
                    "100",
                    "%",
                ),
                IK(
                    _W, "Rata-rata waktu penyelesaian layanan administrasi kepegawaian", "3", "hari"
                ),
            ),
            tag="sekretariat",
            supports=supports,
        ),
    ]


def _lurah(name: str) -> list[Result]:
    return [
        R(
            f"Terselenggaranya pelayanan administrasi Kelurahan {name} yang cepat dan tepat",
            (
                IK(
                    _K,
                    "Persentase surat keterangan warga yang selesai pada hari yang sama",
                    "90",
                    "%",
                ),
                IK(_Q, "Indeks kepuasan masyarakat terhadap pelayanan kelurahan", "80", "indeks"),
            ),
            tag="kel",
            supports="pelayanan",
        ),
        R(
            f"Terlaksananya pemberdayaan masyarakat dan kebersihan lingkungan di Kelurahan {name}",
            (
                IK(
                    _K,
                    "Jumlah kegiatan gotong royong dan posyandu yang difasilitasi per triwulan",
                    "6",
                    "kegiatan",
                ),
            ),
            tag="pmd",
            supports="pemberdayaan",
        ),
    ]


def _kelurahan_staff(name: str) -> list[Result]:
    return [
        R(
            f"Terlayaninya permohonan surat keterangan warga Kelurahan {name}",
            (
                IK(_K, "Persentase permohonan yang diproses pada hari yang sama", "90", "%"),
                IK(_W, "Rata-rata waktu pelayanan satu surat keterangan", "30", "menit"),
            ),
            supports="kel",
        ),
        R(
            "Terkelolanya arsip dan buku register kelurahan",
            (IK(_Q, "Persentase surat yang tercatat dalam register elektronik", "100", "%"),),
            supports="kel",
            kind="tambahan",
        ),
    ]


def _teacher(subject: str) -> list[Result]:
    return [
        R(
            f"Terlaksananya pembelajaran {subject} yang berpusat pada murid",
            (
                IK(_K, "Persentase rencana pembelajaran yang terlaksana", "100", "%"),
                IK(
                    _Q,
                    "Persentase murid yang mencapai kriteria ketercapaian tujuan pembelajaran",
                    "80",
                    "%",
                ),
            ),
            supports="sekolah",
        ),
        R(
            "Terlaksananya asesmen dan pelaporan hasil belajar murid",
            (IK(_W, "Rata-rata waktu pengolahan nilai sampai rapor dibagikan", "7", "hari"),),
            supports="sekolah",
        ),
    ]


def _nurse() -> list[Result]:
    return [
        R(
            "Terlaksananya asuhan keperawatan ibu hamil dan pasien rawat jalan",
            (
                IK(_K, "Persentase ibu hamil binaan yang mendapat kunjungan K4", "90", "%"),
                IK(_Q, "Persentase dokumentasi asuhan keperawatan yang lengkap", "95", "%"),
            ),
            supports="kia",
        ),
    ]


def _doctor() -> list[Result]:
    return [
        R(
            "Terlaksananya pelayanan medis dan pemeriksaan antenatal terpadu sesuai standar",
            (
                IK(_Q, "Persentase pasien yang dilayani sesuai standar pelayanan", "95", "%"),
                IK(_W, "Rata-rata waktu tunggu pemeriksaan dokter", "30", "menit"),
            ),
            supports="kia",
        ),
    ]


#: Results by position code; kelurahan posts follow their kelurahan's name.
PLANS: dict[str, list[Result]] = {
    # Sekretariat Daerah
    "SETDA-SEKDA": [
        R("Meningkatnya akuntabilitas kinerja Pemerintah Kota Palembang", (
            IK(_Q, "Nilai SAKIP Pemerintah Kota Palembang", "72", "nilai"),
            IK(_K, "Persentase perangkat daerah yang menyampaikan laporan kinerja bulanan tepat waktu", "95", "%"),
        ), tag="sakip", iku="IKU-02", perspective="penguatan_internal"),
        R("Meningkatnya kualitas penyelenggaraan pemerintahan kewilayahan dan pelayanan publik di kecamatan", (
            IK(_Q, "Rata-rata indeks kepuasan masyarakat terhadap pelayanan kecamatan", "82", "indeks"),
        ), tag="kewilayahan", iku="IKU-01", perspective="penerima_layanan"),
        R("Terlaksananya tindak lanjut rekomendasi evaluasi kelembagaan perangkat daerah", (
            IK(_K, "Persentase rekomendasi evaluasi kelembagaan yang ditindaklanjuti", "80", "%"),
        ), tag="kelembagaan", iku="IKU-03", perspective="proses_bisnis"),
    ],
    "SETDA-KABAG-ORG": [
        R("Terlaksananya evaluasi akuntabilitas kinerja perangkat daerah tepat waktu", (
            IK(_K, "Persentase perangkat daerah yang dievaluasi", "100", "%"),
            IK(_W, "Rata-rata waktu penyusunan laporan hasil evaluasi", "10", "hari"),
        ), tag="evaluasi", supports="sakip"),
        R("Tersusunnya rekomendasi penataan kelembagaan perangkat daerah", (
            IK(_Q, "Persentase rekomendasi yang disetujui pimpinan", "90", "%"),
        ), tag="kelembagaan", supports="kelembagaan"),
    ],
    "SETDA-ORG-ANALIS": [
        R("Tersedianya analisis capaian kinerja bulanan perangkat daerah", (
            IK(_K, "Persentase laporan kinerja bulanan perangkat daerah yang dianalisis", "100", "%"),
            IK(_W, "Rata-rata waktu analisis sejak laporan diterima", "3", "hari"),
        ), supports="evaluasi"),
        R("Terlaksananya pendampingan aplikasi Kinerja bagi pengelola kinerja perangkat daerah", (
            IK(_K, "Persentase pengelola kinerja yang mengikuti pendampingan", "90", "%"),
        ), supports="evaluasi", kind="tambahan"),
    ],
    "SETDA-ORG-ADMIN": [
        R("Terkelolanya persuratan dan arsip Bagian Organisasi", (
            IK(_K, "Persentase surat masuk yang diagendakan pada hari yang sama", "100", "%"),
            IK(_W, "Rata-rata waktu penyampaian disposisi", "1", "hari"),
        ), supports="evaluasi"),
    ],
    # Kecamatan Plaju
    "KEC-PLAJU-CAMAT": [
        R("Meningkatnya kualitas pelayanan publik di Kecamatan Plaju", (
            IK(_Q, "Indeks kepuasan masyarakat terhadap pelayanan Kecamatan Plaju", "82", "indeks"),
            IK(_K, "Persentase pengaduan masyarakat yang diselesaikan dalam 5 hari kerja", "90", "%"),
        ), tag="pelayanan", supports="kewilayahan"),
        R("Terjaganya ketenteraman dan ketertiban umum di wilayah Kecamatan Plaju", (
            IK(_W, "Rata-rata waktu tanggap laporan gangguan ketenteraman dan ketertiban", "6", "jam"),
        ), tag="trantib", supports="kewilayahan"),
        R("Meningkatnya partisipasi masyarakat dalam pembangunan kelurahan", (
            IK(_K, "Persentase usulan musrenbang kelurahan yang terverifikasi", "100", "%"),
        ), tag="pemberdayaan", supports="kewilayahan"),
        R("Terselenggaranya tata kelola administrasi dan kinerja Kecamatan Plaju yang akuntabel", (
            IK(_Q, "Nilai evaluasi akuntabilitas kinerja Kecamatan Plaju", "70", "nilai"),
        ), tag="tatakelola", supports="sakip"),
    ],
    "KEC-PLAJU-SEKCAM": [
        *_secretary("Kecamatan Plaju", "tatakelola"),
        R("Terlaksananya survei kepuasan masyarakat dan tindak lanjut hasilnya", (
            IK(_Q, "Persentase rekomendasi hasil survei yang ditindaklanjuti", "80", "%"),
        ), supports="pelayanan"),
    ],
    "KEC-PLAJU-ANALIS": _personnel("Kecamatan Plaju"),
    "KEC-PLAJU-KASI-PEM": [
        R("Terselenggaranya pelayanan administrasi pemerintahan dan penanganan pengaduan masyarakat", (
            IK(_K, "Persentase pengaduan yang diselesaikan dalam 5 hari kerja", "90", "%"),
            IK(_W, "Rata-rata waktu penyelesaian surat rekomendasi", "2", "hari"),
        ), tag="pem", supports="pelayanan"),
        R("Terselenggaranya pelayanan Kelurahan Talang Putri selama menjabat Plt. Lurah", (
            IK(_K, "Persentase surat keterangan warga Talang Putri yang selesai pada hari yang sama", "90", "%"),
        ), tag="kel", supports="pelayanan", kind="tambahan"),
    ],
    "KEC-PLAJU-PEM-STAF": [
        R("Terkelolanya pencatatan dan tindak lanjut pengaduan masyarakat pada aplikasi pengaduan", (
            IK(_K, "Persentase pengaduan yang dicatat dan diteruskan dalam 1 hari kerja", "95", "%"),
            IK(_W, "Rata-rata waktu pencatatan pengaduan", "1", "hari"),
        ), supports="pem"),
    ],
    "KEC-PLAJU-KASI-TRANTIB": [
        R("Terlaksananya penanganan gangguan ketenteraman dan ketertiban umum", (
            IK(_W, "Rata-rata waktu tanggap laporan gangguan ketenteraman dan ketertiban", "6", "jam"),
            IK(_K, "Jumlah patroli ketenteraman dan ketertiban per triwulan", "24", "kegiatan"),
        ), tag="trantib", supports="trantib"),
    ],
    "KEC-PLAJU-TRANTIB-STAF": [
        R("Terlaksananya patroli dan pengamanan wilayah Kecamatan Plaju", (
            IK(_K, "Jumlah patroli yang dilaksanakan per triwulan", "24", "kegiatan"),
            IK(_Q, "Persentase laporan patroli yang lengkap dengan foto dan titik lokasi", "95", "%"),
        ), supports="trantib"),
    ],
    "KEC-PLAJU-KASI-PMD": [
        R("Meningkatnya partisipasi masyarakat dalam perencanaan pembangunan kelurahan", (
            IK(_Q, "Musrenbang di tujuh kelurahan terlaksana dengan usulan prioritas yang terverifikasi", "", ""),
            IK(_Q, "Kader posyandu dan PKK di setiap kelurahan mendapat pembinaan paling sedikit sekali per triwulan", "", ""),
        ), tag="pmd", supports="pemberdayaan"),
    ],
    # Dinas Pendidikan
    "DISDIK-KADIS": [
        R("Meningkatnya mutu pembelajaran pendidikan dasar di Kota Palembang", (
            IK(_K, "Persentase sekolah dasar yang menerapkan Kurikulum Merdeka", "95", "%"),
        ), tag="mutu", iku="IKU-03", perspective="penerima_layanan"),
        R("Meningkatnya kompetensi pendidik sekolah dasar", (
            IK(_K, "Persentase guru yang menerima bimbingan teknis", "80", "%"),
        ), tag="guru", iku="IKU-01", perspective="penguatan_internal"),
        R("Meningkatnya mutu satuan pendidikan dasar yang terakreditasi", (
            IK(_K, "Jumlah sekolah terakreditasi A", "40", "sekolah"),
        ), tag="akreditasi", iku="IKU-02", perspective="proses_bisnis"),
    ],
    "DISDIK-SEKDIS": _secretary("Dinas Pendidikan", "guru"),
    "DISDIK-ANALIS": _personnel("Dinas Pendidikan"),
    "DISDIK-KABID-SD": [
        R("Meningkatnya mutu pembelajaran dan akreditasi sekolah dasar", (
            IK(_K, "Persentase SD yang menerapkan Kurikulum Merdeka", "95", "%"),
            IK(_K, "Jumlah SD yang didampingi menuju akreditasi A per triwulan", "5", "sekolah"),
        ), tag="sd", supports="mutu"),
        R("Terlaksananya bimbingan teknis bagi guru sekolah dasar", (
            IK(_K, "Persentase guru SD yang mengikuti bimbingan teknis", "80", "%"),
        ), tag="bimtek", supports="guru"),
    ],
    "DISDIK-KASI-KURIKULUM-SD": [
        R("Terlaksananya pendampingan implementasi Kurikulum Merdeka di sekolah dasar", (
            IK(_K, "Persentase SD yang didampingi", "90", "%"),
            IK(_Q, "Persentase guru peserta bimbingan teknis yang lulus uji akhir", "85", "%"),
        ), tag="kurikulum", supports="bimtek"),
    ],
    "DISDIK-KURIKULUM-STAF": [
        R("Tersedianya data capaian asesmen dan implementasi kurikulum sekolah dasar", (
            IK(_K, "Persentase data asesmen SD yang diolah", "100", "%"),
            IK(_W, "Rata-rata waktu penyajian rekap data", "5", "hari"),
        ), supports="kurikulum"),
    ],
    "DISDIK-SDN-PLAJU-KEPSEK": [
        R("Meningkatnya mutu pembelajaran di SD Negeri 1 Plaju", (
            IK(_Q, "Rata-rata nilai literasi pada rapor pendidikan", "75", "nilai"),
            IK(_K, "Persentase guru yang menerapkan pembelajaran berdiferensiasi", "90", "%"),
        ), tag="sekolah", supports="sd"),
        R("Terlaksananya supervisi akademik guru SD Negeri 1 Plaju", (
            IK(_K, "Persentase guru yang disupervisi per triwulan", "100", "%"),
        ), tag="supervisi", supports="sd"),
    ],
    "DISDIK-SDN-PLAJU-GURU-AP": _teacher("kelas rendah"),
    "DISDIK-SDN-PLAJU-GURU-AM": _teacher("kelas tinggi"),
    "DISDIK-SDN-PLAJU-GURU-PAI": _teacher("Pendidikan Agama Islam dan Budi Pekerti"),
    # Dinas Kesehatan
    "DINKES-KADIS": [
        R("Meningkatnya kecepatan penanganan kegawatdaruratan di Kota Palembang", (
            IK(_W, "Waktu respon penanganan kegawatdaruratan", "12", "menit"),
        ), tag="gadar", iku="IKU-01", perspective="penerima_layanan"),
        R("Meningkatnya cakupan pelayanan kesehatan ibu hamil", (
            IK(_K, "Persentase ibu hamil yang mendapat pelayanan antenatal K4", "90", "%"),
        ), tag="kia", iku="IKU-02", perspective="penerima_layanan"),
        R("Meningkatnya rujukan kegawatdaruratan yang tertangani", (
            IK(_K, "Rasio rujukan kegawatdaruratan tertangani", "95", "%"),
        ), tag="rujukan", iku="IKU-05", perspective="proses_bisnis"),
    ],
    "DINKES-SEKDIS": _secretary("Dinas Kesehatan", "gadar"),
    "DINKES-ANALIS": _personnel("Dinas Kesehatan"),
    "DINKES-KABID-YANKES": [
        R("Terselenggaranya layanan gawat darurat terpadu PSC 119 dan rujukan yang tepat waktu", (
            IK(_W, "Rata-rata waktu respon PSC 119", "12", "menit"),
            IK(_K, "Persentase rujukan kegawatdaruratan yang tertangani", "95", "%"),
        ), tag="yankes", supports="gadar"),
        R("Meningkatnya mutu pelayanan kesehatan ibu dan anak di puskesmas", (
            IK(_K, "Persentase ibu hamil yang mendapat pelayanan K4 di wilayah kerja puskesmas", "90", "%"),
        ), tag="kia", supports="kia"),
    ],
    "DINKES-PKM-PLAJU-KEPALA": [
        R("Terselenggaranya pelayanan kegawatdaruratan PSC 119 Puskesmas Plaju yang cepat dan tepat", _EMERGENCY, tag="psc", supports="yankes"),
        R("Meningkatnya cakupan pelayanan antenatal di wilayah kerja Puskesmas Plaju", (
            IK(_K, "Persentase ibu hamil yang mendapat pelayanan K4", "90", "%"),
        ), tag="kia", supports="kia"),
        R("Terselenggaranya manajemen Puskesmas Plaju yang tertib", (
            IK(_Q, "Persentase laporan bulanan puskesmas yang dikirim tepat waktu", "100", "%"),
        ), tag="manajemen", supports="yankes"),
    ],
    "DINKES-PKM-PLAJU-PERAWAT-T": _nurse(),
    "DINKES-PKM-PLAJU-PERAWAT-M": _nurse(),
    "DINKES-PKM-PLAJU-PERAWAT-AP": _nurse(),
    "DINKES-PKM-PLAJU-DOKTER-AP": _doctor(),
    "DINKES-PKM-PLAJU-DOKTER-AM": _doctor(),
    "DINKES-PKM-PLAJU-ADMIN": [
        R("Terkelolanya administrasi umum dan pelaporan Puskesmas Plaju", (
            IK(_K, "Persentase laporan bulanan yang dikirim", "100", "%"),
        ), supports="manajemen"),
    ],
    # Dinas Kependudukan dan Pencatatan Sipil
    "DISDUKCAPIL-KADIS": [
        R("Meningkatnya kecepatan pelayanan penerbitan dokumen kependudukan", (
            IK(_W, "Rata-rata waktu penerbitan KTP-el", "24", "jam"),
        ), tag="ktp", iku="IKU-01", perspective="penerima_layanan"),
        R("Meningkatnya cakupan kepemilikan dokumen kependudukan", (
            IK(_K, "Persentase penduduk wajib KTP-el yang telah merekam", "98", "%"),
            IK(_K, "Persentase anak usia 0–17 tahun yang memiliki akta kelahiran", "95", "%"),
        ), tag="cakupan", iku="IKU-02", perspective="proses_bisnis"),
    ],
    "DISDUKCAPIL-SEKDIS": _secretary("Dinas Kependudukan dan Pencatatan Sipil", "cakupan"),
    "DISDUKCAPIL-ANALIS": _personnel("Dinas Kependudukan dan Pencatatan Sipil"),
    "DISDUKCAPIL-KABID-PDP": [
        R("Terselenggaranya pelayanan pendaftaran penduduk yang cepat dan akurat", (
            IK(_W, "Rata-rata waktu penerbitan KTP-el", "24", "jam"),
            IK(_K, "Persentase penduduk wajib KTP-el yang telah merekam", "98", "%"),
        ), tag="pdp", supports="ktp"),
        R("Meningkatnya kepemilikan akta kelahiran anak", (
            IK(_K, "Persentase anak usia 0–17 tahun yang memiliki akta kelahiran", "95", "%"),
        ), tag="akta", supports="cakupan"),
    ],
    "DISDUKCAPIL-KASI-IDENTITAS": [
        R("Terlaksananya penerbitan KTP-el di Layanan Adminduk Kecamatan Plaju", _KTP, tag="ktp", supports="pdp"),
        R("Terjaganya mutu data identitas penduduk", (
            IK(_Q, "Persentase data ganda yang diselesaikan", "90", "%"),
        ), tag="data", supports="pdp"),
    ],
    "DISDUKCAPIL-ADK-AP": [
        R("Terkelolanya basis data kependudukan yang mutakhir dan bebas data ganda", (
            IK(_Q, "Persentase data ganda yang ditindaklanjuti", "90", "%"),
            IK(_W, "Rata-rata waktu konsolidasi data", "2", "hari"),
        ), supports="data"),
    ],
    "DISDUKCAPIL-ADK-T": [
        R("Terlaksananya perekaman dan pemutakhiran data penduduk", (
            IK(_K, "Persentase hasil perekaman KTP-el yang terkirim ke server pusat pada hari yang sama", "95", "%"),
        ), supports="data"),
    ],
    "DISDUKCAPIL-PLAJU-OPERATOR": [
        R("Terlaksananya verifikasi berkas permohonan KTP-el yang akurat", (
            IK(_Q, "Persentase berkas permohonan yang lolos verifikasi tanpa perbaikan", "95", "%"),
        ), supports="ktp", kind="tambahan"),
    ],
}  # fmt: skip
for _name in org_demo.KELURAHAN:
    PLANS[org_demo.kelurahan_code(_name) + "-LURAH"] = _lurah(_name)
    PLANS[org_demo.kelurahan_code(_name) + "-STAF"] = _kelurahan_staff(_name)

#: Plans by person key, where the person works elsewhere than their position says.
PERSON_PLANS = {
    "seconded": [
        R("Terlaksananya pendataan dan pelaporan gangguan ketenteraman dan ketertiban", (
            IK(_K, "Persentase laporan gangguan yang dicatat dalam 1 hari", "95", "%"),
            IK(_K, "Jumlah patroli yang diikuti per triwulan", "12", "kegiatan"),
        ), supports="trantib"),
    ],
}  # fmt: skip

#: The role-result matrix: (rater's position, tag of the rater's result, subordinates'
#: position prefix, volume per subordinate or None for the same targets).
MATRIX = [
    ("DINKES-PKM-PLAJU-KEPALA", "psc", "DINKES-PKM-PLAJU-PERAWAT", None),
    ("DINKES-PKM-PLAJU-KEPALA", "psc", "DINKES-PKM-PLAJU-DOKTER", None),
    ("DISDUKCAPIL-KASI-IDENTITAS", "ktp", "DISDUKCAPIL-PLAJU-OPERATOR", "2000"),
]
#: Whose handed-out indicators are bound to their own service data (person keys, and
#: positions).
OFFICERS_BOUND = {"perawat"}
OFFICER_POSITIONS_BOUND = {"DISDUKCAPIL-PLAJU-OPERATOR"}

ATTACHMENT = {
    "SETDA": ("Aplikasi Kinerja dan e-SAKIP, satu laptop, anggaran rapat koordinasi evaluasi",
              "Laporan triwulan kepada Sekretaris Daerah paling lambat tanggal 10 bulan berikutnya"),
    "KEC-PLAJU": ("Aplikasi pengaduan dan pelayanan kecamatan, komputer dan printer loket, kendaraan patroli",
                  "Laporan bulanan kepada Camat Plaju setiap tanggal 5"),
    "DISDIK": ("Aplikasi Dapodik dan rapor pendidikan, ruang kelas dan laboratorium komputer, dana BOS",
               "Laporan triwulan kepada Kepala Bidang Pembinaan SD setiap tanggal 5"),
    "DINKES": ("Dua ambulans PSC 119, aplikasi P-Care dan PSC 119, obat dan bahan medis habis pakai",
               "Laporan bulanan kepada Kepala UPTD Puskesmas Plaju setiap tanggal 5"),
    "DISDUKCAPIL": ("Aplikasi SIAK Terpusat, satu komputer loket, printer KTP-el dan blangko dari Ditjen Dukcapil",
                    "Laporan bulanan kepada Kepala Seksi Identitas Penduduk setiap tanggal 5"),
}  # fmt: skip
CONSEQUENCES = (
    "Teguran lisan bila target dua bulan berturut-turut tidak tercapai; pembinaan dan rencana "
    "pengembangan bila predikat di bawah Baik; penghargaan bagi capaian Sangat Baik"
)

# --- The story of the year: who returns, who waits, who does better or worse -------------------

RETURNED = {
    "Wulandari": "Indikator laporan bulanan belum memuat batas waktu: laporan SP2TP dikirim paling lambat tanggal 5 setiap bulan. Tambahkan indikator waktu dan lengkapi lampiran dukungan sumber daya.",
    "Meilani Putri": "Target 90 % belum realistis untuk loket kelurahan dengan satu petugas baru; sesuaikan dengan data pelayanan tahun lalu dan tambahkan indikator kualitas.",
    "Andi Wijaya": "Rencana hasil kerja belum memuat pendataan penduduk non-permanen yang saya tugaskan; tambahkan sebagai RHK tambahan dengan indikator yang terukur.",
}  # fmt: skip
SUBMITTED_ONLY = {"Abdul Halim, S.Pd.I."}  # waits for the Kepala Sekolah's approval
NOT_RATED = {"Sumarni, S.Pd.", "Joko Susilo, S.Pd."}  # the Kepala Sekolah has not rated yet
#: Predicates of the rated quarter decided by the story; the others are drawn (see _profiles).
STORY = {
    "Rizal Effendi, A.Md.Kep.": "BP",  # new PPPK nurse: the agreed development plan
    "Zulkarnain": "BP",
    "Yeni Marlina, A.Md.Kep.": "SB",  # later objects to a Baik for the year
    "Ardiansyah, S.Kep., Ns.": "SB",
    "Siti Rohani, A.Md.Kep.": "B",
    "dr. Aditya Nugraha": "B",
    "dr. Intan Permatasari": "B",
}
SHARE_SANGAT_BAIK = 0.15
#: The organisation predicate of each unit for the rated quarter (others: Baik); a unit head's
#: results rating follows it (the year's table: Istimewa → above, Baik → meets, others → below).
ORG_PREDICATES = {
    "KEC-PLAJU-TRANTIB": "Istimewa",
    org_demo.kelurahan_code("Plaju Ilir"): "Istimewa",
    org_demo.kelurahan_code("Talang Bubuk"): "Butuh Perbaikan",
    "DISDUKCAPIL-PDP-IDENTITAS": "Istimewa",
}
ORG_REASONS = {
    "Istimewa": "Capaian rencana aksi TW %(q)s di atas 110 %%; semua target triwulan tercapai",
    "Baik": "Capaian rencana aksi TW %(q)s antara 90 dan 110 %%",
    "Butuh Perbaikan": "Capaian rencana aksi TW %(q)s 78 %%; dua kegiatan posyandu dan satu musrenbang tertunda",
}
DEVELOPMENT = {
    "person": "Rizal Effendi, A.Md.Kep.",
    "actions": [
        ("training", "Pelatihan Basic Trauma and Cardiac Life Support (BTCLS) bagi perawat PSC 119, 5 hari", "Kepala UPTD Puskesmas Plaju (usulan ke Bidang Pelayanan Kesehatan)", 1),
        ("mentoring", "Pendampingan oleh perawat senior pada setiap shift jaga PSC 119 selama satu bulan", "Yeni Marlina, A.Md.Kep.", 2),
        ("coaching", "Coaching bulanan bersama Kepala Puskesmas tentang dokumentasi asuhan keperawatan", "dr. Nyimas Farida Hanum", 3),
    ],
}  # fmt: skip
OBJECTION = {
    "person": "Yeni Marlina, A.Md.Kep.",
    "results": "meets",
    "behaviour": "above",
    "note": "Kinerja tahun ini sesuai ekspektasi; perilaku kerja menjadi teladan tim PSC 119.",
    "reason": "Saya memohon hasil kerja dinilai Di Atas Ekspektasi: predikat saya pada TW III Sangat Baik, dan selama dua ambulans masuk bengkel saya memimpin tim jaga PSC 119 sehingga respons tim tetap terjaga.",
    "evidence": "Jadwal jaga PSC 119; rekap respons tim dari aliran data gawat-darurat; surat tugas Kepala UPTD Puskesmas Plaju",
}  # fmt: skip
#: The leader's special expectations: (subordinates' position prefix, suffix, value, text).
EXPECTATIONS = [
    ("DINKES-PKM-PLAJU-PERAWAT", "", "berorientasi-pelayanan", "Tim berangkat paling lambat 5 menit setelah panggilan PSC 119 diterima"),
    ("DISDUKCAPIL-PLAJU-OPERATOR", "", "berorientasi-pelayanan", "Melayani pemohon KTP-el dengan ramah dan memberi kepastian waktu penyerahan"),
    ("KEC-PLAJU-KEL-", "-LURAH", "kolaboratif", "Melibatkan RT/RW dan tokoh masyarakat dalam setiap musrenbang kelurahan"),
]  # fmt: skip

RATER_SAYS = {
    "appreciation": [
        "Capaian triwulan ini melampaui target dan laporannya rapi. Pertahankan.",
        "Terima kasih, realisasi selalu diisi tepat waktu dengan bukti dukung yang lengkap.",
        "Pelayanan kepada warga makin cepat; beberapa warga menyampaikan terima kasih langsung.",
        "Koordinasi dengan unit lain berjalan baik dan kegiatan terlaksana sesuai jadwal.",
    ],
    "improvement": [
        "Realisasi triwulan ini masih di bawah target; mari kita bahas kendalanya minggu depan.",
        "Bukti dukung beberapa bulan belum lengkap; mohon dilengkapi sebelum tanggal 5.",
        "Perlu lebih teliti memeriksa kelengkapan berkas sebelum diteruskan.",
        "Laporan sering terlambat dua sampai tiga hari; tolong atur jadwal penyusunannya.",
    ],
}
PEER_SAYS = [
    ("appreciation", "Terima kasih sudah menggantikan jaga saat saya cuti."),
    ("appreciation", "Format rekap yang dibagikan sangat membantu pekerjaan kami."),
    ("improvement", "Kalau bisa, jadwal piket dibagikan lebih awal supaya kami bisa menyesuaikan."),
]
SUBORDINATE_SAYS = [
    ("kolaboratif", "appreciation", "Arahan %(title)s saat apel pagi jelas dan memudahkan kami membagi tugas."),
    ("berorientasi-pelayanan", "improvement", "Mohon disposisi surat bisa lebih cepat agar layanan kepada warga tidak tertunda."),
]  # fmt: skip
REPLIES = {
    "appreciation": "Terima kasih, %(title)s. Akan saya pertahankan.",
    "improvement": "Baik, %(title)s. Akan saya perbaiki mulai bulan ini.",
}
SELF = {
    "SB": ("Semua target triwulan tercapai, sebagian melampaui; saya juga membantu rekan pada jam sibuk.", "above", "above"),
    "B": ("Sebagian besar target triwulan tercapai; bukti dukung sudah saya unggah.", "meets", "meets"),
    "BP": ("Beberapa target belum tercapai; saya membutuhkan pendampingan untuk pekerjaan yang baru.", "meets", "meets"),
}  # fmt: skip
NOTES = {
    "Sangat Baik": "Kinerja sangat baik: capaian di atas target dan perilaku kerja menjadi teladan rekan.",
    "Baik": "Kinerja sesuai ekspektasi. Pertahankan dan lengkapi bukti dukung tepat waktu.",
    "Butuh Perbaikan": "Beberapa target belum tercapai. Kita susun rencana pengembangan bersama.",
}
#: How far above or below target a realisation lands, by profile (factor on the target).
FACTORS = {"SB": (1.06, 1.16), "B": (0.94, 1.05), "BP": (0.70, 0.84)}


# --- Loading --------------------------------------------------------------------------------------


def _today() -> date:
    return REFERENCE_DAY or timezone.localdate()


def _now() -> datetime:
    if REFERENCE_DAY is None:
        return timezone.now()
    return datetime.combine(REFERENCE_DAY, time(9), ZoneInfo(settings.TIME_ZONE))


def rated_quarter(today: date) -> int:
    """The last quarter that has ended before ``today`` (the first while it runs)."""
    return max(1, (today.month - 1) // 3)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(settings.TIME_ZONE))


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


COUNT_KEYS = [
    "plans", "results", "bound", "approved", "returned", "realisations", "feedback",
    "self_assessments", "org_predicates", "evaluations", "development_plans", "objections",
]  # fmt: skip


def load() -> dict[str, int]:
    """Load the plans of the demo; call it inside the demo's transaction and audit door, after
    the organisation, the strategy and the service data. Returns counts of what was created."""
    from kinerja.core.models import Notification
    from kinerja.skp.models import Skp

    counts = dict.fromkeys(COUNT_KEYS, 0)
    today = _today()
    nips = [org_demo.nip_of(p) for p in org_demo.PEOPLE]
    if Skp.objects.filter(year=today.year, employee__nip__in=nips).exists():
        return counts  # the year's plans are in place: people own them now
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    _Loader(today, _now(), counts).run()
    # The notices of a story that happened months ago are not news; the objection filed
    # yesterday is: its decider finds it in the app.
    Notification.objects.filter(pk__gt=last_notification or 0).exclude(
        link__startswith="/penilaian/keberatan/"
    ).delete()
    return counts


class _Loader:
    def __init__(self, today: date, now: datetime, counts: dict[str, int]):
        from kinerja.accounts.models import User
        from kinerja.organizations.models import Employee, RaterChain
        from kinerja.skp.rules import behaviour_values

        self.today, self.now, self.counts = today, now, counts
        self.year = today.year
        self.quarter = rated_quarter(today)
        self.rng = random.Random(SEED)  # noqa: S311 - invented demo data, not security
        people = {org_demo.nip_of(p): p for p in org_demo.PEOPLE}
        self.person = people
        self.employees = {
            e.nip: e
            for e in Employee.objects.filter(nip__in=list(people), active=True).select_related(
                "position", "unit__agency"
            )
        }
        self.by_name = {people[nip].name: e for nip, e in self.employees.items()}
        self.users = {
            u.employee_id: u
            for u in User.objects.filter(employee__in=self.employees.values(), is_active=True)
        }
        chains = RaterChain.objects.filter(employee__in=self.employees.values())
        self.rater_of = {c.employee_id: c.rater_id for c in chains}
        self.values = {v.code: v for v in behaviour_values(self.year)}
        self.plans: dict[int, object] = {}  # employee id → Skp
        self.tagged: dict[tuple[int, str], object] = {}  # (employee id, tag) → Rhk
        self.first_main: dict[int, object] = {}
        self.profiles: dict[int, str] = {}

    # -- helpers --

    def user(self, employee_id: int):
        return self.users[employee_id]

    def name(self, employee) -> str:
        return self.person[employee.nip].name

    def title(self, employee_id: int) -> str:
        employee = next(e for e in self.employees.values() if e.pk == employee_id)
        return "Bapak" if self.person[employee.nip].sex == "L" else "Ibu"

    def order(self) -> list:
        """Employees from the top of each chain down (a rater before those they rate)."""
        depth: dict[int, int] = {}

        def depth_of(pk: int, seen: tuple = ()) -> int:
            if pk not in depth:
                rater = self.rater_of.get(pk)
                inside = rater is not None and rater in self.users and rater not in seen
                depth[pk] = depth_of(rater, (*seen, pk)) + 1 if inside else 0
            return depth[pk]

        return sorted(self.employees.values(), key=lambda e: (depth_of(e.pk), e.nip))

    def results_for(self, employee) -> list[Result]:
        who = self.person[employee.nip]
        if who.key in PERSON_PLANS:
            return PERSON_PLANS[who.key]
        return PLANS.get(employee.position.code, [])

    def supported(self, employee, tag: str):
        rater = self.rater_of.get(employee.pk)
        if rater is None:
            return None
        return self.tagged.get((rater, tag)) or self.first_main.get(rater)

    def remember(self, employee, rhk, tag: str) -> None:
        if tag:
            self.tagged[(employee.pk, tag)] = rhk
        if rhk.kind == "utama":
            self.first_main.setdefault(employee.pk, rhk)

    def bound_officer(self, employee) -> bool:
        who = self.person[employee.nip]
        return who.key in OFFICERS_BOUND or employee.position.code in OFFICER_POSITIONS_BOUND

    # -- the story --

    def run(self) -> None:
        from kinerja.skp.models import SkpState

        self._assign_profiles()
        for employee in self.order():
            self._plan(employee)
        approved = [s for s in self.plans.values() if s.state == SkpState.APPROVED]
        self._realisations(approved)
        for skp in approved:
            self._feedback(skp)
        rated = [s for s in approved if self.name(s.employee) not in NOT_RATED]
        self._org_predicates(rated)
        for skp in rated:
            self._rate(skp)
        self._development()
        self._objection()

    def _assign_profiles(self) -> None:
        from kinerja.organizations.heads import unit_head

        self.heads = {}
        from kinerja.organizations.models import Unit

        for unit in Unit.objects.filter(
            pk__in={e.unit_id for e in self.employees.values()}
        ).prefetch_related("positions__reports_to"):
            head = unit_head(unit)
            if head is not None:
                self.heads[head.pk] = unit.code
        for employee in sorted(self.employees.values(), key=lambda e: e.nip):
            name = self.name(employee)
            if employee.pk in self.heads:
                org = ORG_PREDICATES.get(self.heads[employee.pk], "Baik")
                profile = {"Istimewa": "SB", "Baik": "B"}.get(org, "BP")
            elif name in STORY:
                profile = STORY[name]
            else:
                profile = "SB" if self.rng.random() < SHARE_SANGAT_BAIK else "B"
            self.profiles[employee.pk] = profile

    def _plan(self, employee) -> None:
        from kinerja.skp import services
        from kinerja.skp.models import Skp

        results = self.results_for(employee)
        if not results:
            return
        user = self.user(employee.pk)
        skp = self.plans.get(employee.pk)
        if skp is None:
            skp = services.skp_create(employee=employee, year=self.year, by=user, today=self.today)
            self.plans[employee.pk] = skp
            self.counts["plans"] += 1
        resources, accountability = ATTACHMENT[employee.unit.agency.code]
        if self.name(employee) == "Lia Marlina, S.Sos.":
            services.skp_update(skp=skp, by=user, approach="kualitatif")
        services.skp_update(
            skp=skp,
            by=user,
            resources=resources,
            accountability=accountability,
            consequences=CONSEQUENCES,
        )
        jpt = employee.position.kind == "jpt"
        for spec in results:
            indicator = None
            if jpt and spec.iku:
                from kinerja.strategy.models import Indicator

                indicator = Indicator.objects.get(agency=employee.unit.agency, code=spec.iku)
            rhk = services.rhk_add(
                skp=skp,
                by=user,
                kind=spec.kind,
                text=spec.text,
                indicators=[
                    {
                        "aspect": i.aspect,
                        "text": i.text,
                        "target": i.target,
                        "unit": i.unit,
                        # "per triwulan" targets hold in every quarter; other counts are the
                        # year's total (the service's default)
                        **({"yearly_total": False} if "per triwulan" in i.text else {}),
                    }
                    for i in spec.indicators
                ],
                supports=None if jpt else self.supported(employee, spec.supports),
                indicator=indicator,
                perspective=spec.perspective if jpt else "",
            )
            self.remember(employee, rhk, spec.tag)
            self.counts["results"] += 1
            self._bind(skp, rhk, spec, user, unit=True)
        self._hand_out(employee)
        if self.bound_officer(employee):
            for rhk in skp.results.filter(supports__isnull=False).select_related("supports"):
                spec = self._spec_of(rhk.supports)
                if spec is not None and rhk.text == rhk.supports.text:  # a matrix copy
                    self._bind(skp, rhk, spec, user, unit=False)
        if jpt:
            # The Wali Kota rates the heads of agency; the regional administrator records
            # the approval on the Wali Kota's behalf.
            admin = self.admin_user()
            if admin is not None:
                services.skp_submit(skp=skp, by=user)
                services.skp_approve(skp=skp, by=admin)
                self.counts["approved"] += 1
            return
        if self.rater_of.get(employee.pk) is None:
            return
        services.skp_submit(skp=skp, by=user)
        rater = self.user(self.rater_of[employee.pk])
        code_of_post = employee.position.code
        for prefix, suffix, code, text in EXPECTATIONS:
            if code_of_post.startswith(prefix) and code_of_post.endswith(suffix):
                services.expectation_set(skp=skp, value=self.values[code], text=text, by=rater)
        name = self.name(employee)
        if name in SUBMITTED_ONLY:
            skp.refresh_from_db()
            return
        if name in RETURNED:
            skp = services.skp_return(skp=skp, by=rater, reason=RETURNED[name])
            self.counts["returned"] += 1
        else:
            skp = services.skp_approve(skp=skp, by=rater)
            self.counts["approved"] += 1
        self.plans[employee.pk] = Skp.objects.select_related("employee", "unit__agency").get(
            pk=skp.pk
        )

    def admin_user(self):
        from kinerja.accounts.models import User

        return User.objects.filter(username="admin", is_active=True).first()

    def _spec_of(self, rhk) -> Result | None:
        """The data row of a rater's result (to find the bindings of its handed-out copy)."""
        for (employee_id, tag), tagged in self.tagged.items():
            if tagged.pk == rhk.pk:
                employee = next(e for e in self.employees.values() if e.pk == employee_id)
                return next((r for r in self.results_for(employee) if r.tag == tag), None)
        return None

    def _bind(self, skp, rhk, spec: Result, user, *, unit: bool) -> None:
        from kinerja.organizations.models import Unit
        from kinerja.skp import services
        from kinerja.streams.models import Stream

        ikis = list(rhk.indicators.order_by("number"))
        for iki, ind in zip(ikis, spec.indicators, strict=False):
            if unit and ind.unit_binding:
                stream, metric, unit_code, duration = ind.unit_binding
                binding = {"unit": Unit.objects.get(code=unit_code)}
            elif not unit and ind.officer_binding:
                stream, metric, duration = ind.officer_binding
                binding = {"officer": skp.employee.nip}
            else:
                continue
            binding.update(
                stream=Stream.objects.filter(code=stream).first(),
                metric=metric,
                duration_unit=duration,
            )
            if binding["stream"] is None:
                continue  # no service data in this installation
            services.iki_bind(iki=iki, by=user, binding=binding)
            self.counts["bound"] += 1

    def _hand_out(self, rater) -> None:
        """The role-result matrix: the rater's result to the holders of a subordinate post."""
        from kinerja.skp import services
        from kinerja.skp.models import Skp

        for position, tag, prefix, volume in MATRIX:
            if rater.position.code != position or (rater.pk, tag) not in self.tagged:
                continue
            holders = sorted(
                (
                    e
                    for e in self.employees.values()
                    if e.position.code.startswith(prefix) and self.rater_of.get(e.pk) == rater.pk
                ),
                key=lambda e: e.nip,
            )
            if not holders:
                continue
            services.matrix_assign(
                rhk=self.tagged[(rater.pk, tag)],
                by=self.user(rater.pk),
                assignments=[(e, volume) for e in holders],
            )
            for employee in holders:
                if employee.pk not in self.plans:
                    self.plans[employee.pk] = Skp.objects.get(
                        employee=employee, year=self.year, ends_on__isnull=True
                    )
                    self.counts["plans"] += 1
                self.counts["results"] += 1

    def _realisations(self, plans) -> None:
        """What each indicator reached in the quarters so far. The earlier quarters are the
        year's history and go in one bulk write, audited as ``realisation_record`` audits
        each value; the rated quarter goes through ``realisation_record`` itself."""
        from kinerja.core import audit
        from kinerja.skp import services
        from kinerja.skp.models import Iki, IkiRealisation

        history = []
        ikis = (
            Iki.objects.filter(rhk__skp__in=plans, binding__isnull=True)
            .select_related("rhk__skp__employee", "rhk__skp__unit__agency")
            .order_by("rhk__skp__employee__nip", "rhk__kind", "rhk__number", "number")
        )
        for iki in ikis:
            skp = iki.rhk.skp
            user = self.user(skp.employee_id)
            low, high = FACTORS[self.profiles[skp.employee_id]]
            target, target_low, target_high = iki.target_for_months(3)  # a quarter's target
            if target is None and target_low is not None:
                target = (target_low + target_high) / 2
            if target is None:
                continue  # a qualitative indicator: told in the feedback, not in numbers
            whole = iki.unit_of_measure in {"kegiatan", "keping", "sekolah"}
            for quarter in range(1, self.quarter + 1):
                factor = Decimal(str(round(self.rng.uniform(low, high), 3)))
                value = target / factor if iki.lower_is_better else target * factor
                if iki.unit_of_measure == "%":
                    value = min(value, Decimal(100))
                value = value.quantize(Decimal(1) if whole else Decimal("0.01"), ROUND_HALF_UP)
                period = f"{self.year}-Q{quarter}"
                if quarter == self.quarter:
                    services.realisation_record(iki=iki, period=period, value=value, by=user)
                else:
                    history.append(
                        IkiRealisation(iki=iki, period=period, value=value, recorded_by=user)
                    )
                self.counts["realisations"] += 1
        IkiRealisation.objects.bulk_create(history, batch_size=500)
        audit.record_many(
            [
                audit.entry_for(
                    "create", row, after={"value": audit.to_json(row.value), "note": row.note}
                )
                for row in history
            ]
        )

    def _feedback(self, skp) -> None:
        from kinerja.evaluations import services

        employee = skp.employee
        profile = self.profiles[employee.pk]
        results = list(skp.results.order_by("kind", "number"))
        rater_id = skp.rater_id
        if rater_id is None or not results:
            return
        rater = self.user(rater_id)
        roll = self.rng.random()
        if profile == "BP" or (profile == "B" and roll < 0.3):
            tag = "improvement"
        elif profile == "SB" or roll < 0.75:
            tag = "appreciation"
        else:
            tag = ""  # the rater has said nothing in writing yet
        if tag:
            message = services.feedback_post(
                skp=skp,
                by=rater,
                text=self.rng.choice(RATER_SAYS[tag]),
                tag=tag,
                rhk=self.rng.choice(results),
            )
            self.counts["feedback"] += 1
            if self.rng.random() < 0.6:
                services.feedback_post(
                    skp=skp,
                    by=self.user(employee.pk),
                    text=REPLIES[tag] % {"title": self.title(rater_id)},
                    parent=message,
                )
                self.counts["feedback"] += 1
        peers = [
            pk
            for pk, r in self.rater_of.items()
            if r == rater_id and pk != employee.pk and pk in self.users
        ]
        if peers and self.rng.random() < 0.35:
            peer = self.rng.choice(sorted(peers))
            tag, text = self.rng.choice(PEER_SAYS)
            services.feedback_post(skp=skp, by=self.user(peer), text=text, tag=tag, rhk=results[0])
            self.counts["feedback"] += 1
        subordinates = sorted(pk for pk, r in self.rater_of.items() if r == employee.pk)
        if subordinates and self.rng.random() < 0.5:
            code, tag, text = self.rng.choice(SUBORDINATE_SAYS)
            services.feedback_post(
                skp=skp,
                by=self.user(self.rng.choice(subordinates)),
                text=text % {"title": self.title(employee.pk)},
                tag=tag,
                value=self.values[code],
            )
            self.counts["feedback"] += 1

    def _org_predicates(self, rated) -> None:
        from kinerja.accounts.models import User
        from kinerja.evaluations import permissions, services

        admin = User.objects.filter(username="admin").first()
        units = {skp.unit.pk: skp.unit for skp in rated}
        head_of_unit = {code: pk for pk, code in self.heads.items()}
        agencies = {}
        for unit in sorted(units.values(), key=lambda u: u.code):
            predicate = ORG_PREDICATES.get(unit.code, "Baik")
            candidates = []
            head = head_of_unit.get(unit.code)
            if head is not None and self.rater_of.get(head) in self.users:
                candidates.append(self.user(self.rater_of[head]))
            agency = unit.agency
            if agency.pk not in agencies:
                holder = (
                    agency.head_position.holders.filter(active=True).order_by("pk").first()
                    if agency.head_position_id
                    else None
                )
                agencies[agency.pk] = self.users.get(holder.pk) if holder else None
            candidates += [u for u in (agencies[agency.pk], admin) if u is not None]
            by = next((u for u in candidates if permissions.may_set_org_predicate(u, unit)), None)
            if by is None:
                continue
            services.org_predicate_set(
                unit=unit,
                period=f"{self.year}-Q{self.quarter}",
                predicate=predicate,
                reason=ORG_REASONS.get(predicate, ORG_REASONS["Baik"])
                % {"q": _roman(self.quarter)},
                by=by,
            )
            self.counts["org_predicates"] += 1

    def rating_moment(self) -> datetime:
        """Ratings of the quarter on the 3rd of the next month (due by the 5th), or now."""
        end = _month_end(self.year, self.quarter * 3)
        return min(_at(end + timedelta(days=3)), self.now)

    def _rate(self, skp) -> None:
        from kinerja.evaluations import rules, services

        employee = skp.employee
        profile = self.profiles[employee.pk]
        period = f"{self.year}-Q{self.quarter}"
        moment = self.rating_moment()
        if self.rng.random() < 0.8 or profile == "BP":
            text, results, behaviour = SELF[profile]
            services.self_assess(
                skp=skp,
                by=self.user(employee.pk),
                period=period,
                text=text,
                results_rating=results,
                behaviour_rating=behaviour,
            )
            self.counts["self_assessments"] += 1
        if employee.pk in self.heads:
            org = ORG_PREDICATES.get(self.heads[employee.pk], "Baik")
            setting = rules.evaluation_setting(self.year)
            results = rules.head_results_rating(org, setting)
            behaviour = "above" if results == "above" and self.rng.random() < 0.5 else "meets"
        elif profile == "SB":
            results, behaviour = "above", "above"
        elif profile == "BP":
            results, behaviour = "below", "meets"
        else:
            results, behaviour = self.rng.choice(
                [("meets", "meets"), ("meets", "meets"), ("meets", "above"), ("above", "meets")]
            )
        predicate = rules.predicate_for(results, behaviour, self.year)
        services.evaluation_rate(
            skp=skp,
            by=self.user(skp.rater_id),
            period=period,
            results_rating=results,
            behaviour_rating=behaviour,
            note=NOTES.get(predicate, ""),
            now=moment,
        )
        self.counts["evaluations"] += 1

    def _development(self) -> None:
        from kinerja.evaluations import services
        from kinerja.evaluations.models import DevelopmentPlan

        self.counts["development_plans"] = DevelopmentPlan.objects.filter(
            skp__in=list(self.plans.values())
        ).count()
        employee = self.by_name.get(DEVELOPMENT["person"])
        skp = self.plans.get(employee.pk) if employee else None
        plan = DevelopmentPlan.objects.filter(skp=skp).first() if skp else None
        if plan is None:
            return
        rater = self.user(skp.rater_id)
        rated = self.rating_moment().date()
        for kind, description, owner, months in DEVELOPMENT["actions"]:
            due = _month_end(
                rated.year + (rated.month + months - 1) // 12, (rated.month + months - 1) % 12 + 1
            )
            services.development_action_add(
                plan=plan, by=rater, kind=kind, description=description, owner=owner, due_on=due
            )
        moment = self.rating_moment()
        services.development_agree(
            plan=plan, by=self.user(employee.pk), now=min(moment + timedelta(days=2), self.now)
        )
        services.development_agree(
            plan=plan, by=rater, now=min(moment + timedelta(days=3), self.now)
        )

    def _objection(self) -> None:
        from kinerja.evaluations import services

        employee = self.by_name.get(OBJECTION["person"])
        skp = self.plans.get(employee.pk) if employee else None
        if skp is None or skp.rater_superior_id is None:
            return
        skp.refresh_from_db()
        # rated two days before the load and objected to the day after (10:00 WIB), so that
        # the objection lies well within its period on the day of loading
        rated = max(self.rating_moment(), min(_at(self.today - timedelta(days=2)), self.now))
        evaluation = services.evaluation_rate(
            skp=skp,
            by=self.user(skp.rater_id),
            period=str(self.year),
            results_rating=OBJECTION["results"],
            behaviour_rating=OBJECTION["behaviour"],
            note=OBJECTION["note"],
            now=rated,
        )
        self.counts["evaluations"] += 1
        services.objection_file(
            evaluation=evaluation,
            by=self.user(employee.pk),
            reason=OBJECTION["reason"],
            evidence=OBJECTION["evidence"],
            now=max(rated, min(_at(self.today - timedelta(days=1)), self.now)),
        )
        self.counts["objections"] += 1


def _roman(number: int) -> str:
    return ["I", "II", "III", "IV"][number - 1]
