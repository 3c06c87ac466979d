"""Defaults of domain.md §3 from PermenPANRB 6/2022: the SKP calendar and the seven BerAKHLAK
core values with their behaviour guides. A later regulation is a new row with a later
``valid_from``; these rows are never edited in place."""

from django.db import migrations

VALID_FROM = 2022

VALUES = [
    ("berorientasi-pelayanan", "Berorientasi Pelayanan", [
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    ]),
    ("akuntabel", "Akuntabel", [
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan",
    ]),
    ("kompeten", "Kompeten", [
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik",
    ]),
    ("harmonis", "Harmonis", [
        "Menghargai setiap orang apa pun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif",
    ]),
    ("loyal", "Loyal", [
        "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
        "Menjaga rahasia jabatan dan negara",
    ]),
    ("adaptif", "Adaptif", [
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif",
    ]),
    ("kolaboratif", "Kolaboratif", [
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
    ]),
]  # fmt: skip


def load(apps, schema_editor):
    SkpCalendar = apps.get_model("skp", "SkpCalendar")
    BehaviourValue = apps.get_model("skp", "BehaviourValue")
    SkpCalendar.objects.get_or_create(valid_from=VALID_FROM)
    for order, (code, name, guides) in enumerate(VALUES, start=1):
        BehaviourValue.objects.get_or_create(
            valid_from=VALID_FROM,
            code=code,
            defaults={"order": order, "name": name, "guides": "\n".join(guides)},
        )


class Migration(migrations.Migration):
    dependencies = [("skp", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
