"""Defaults of the credit-point ledger, valid from 2022 (never edited in place; a later
regulation is a new row with a later ``valid_from``):

* the coefficient of jenjang Pemula, 3.75 a year (PermenPANRB 1/2023, Lampiran);
* the cumulative credit points each jenjang needs for the next rank and for the next jenjang
  (PermenPANRB 1/2023 Lampiran, as restated by BKN's "Kebijakan teknis PerBKN 3/2023"): the
  keahlian rows are from that table; the keterampilan rows (Pemula, Terampil, Mahir,
  Penyelia) follow the table of the lowest golongan of each jenjang and were not checked
  against the official text — check them before relying on them."""

from decimal import Decimal

from django.db import migrations

VALID_FROM = 2022

# jenjang → (for the next rank, for the next jenjang or None at the top of the category)
REQUIREMENTS = {
    "pemula": ("15", "15"),
    "terampil": ("20", "60"),
    "mahir": ("50", "100"),
    "penyelia": ("100", None),
    "ahli_pertama": ("50", "100"),
    "ahli_muda": ("100", "200"),
    "ahli_madya": ("150", "450"),
    "ahli_utama": ("200", None),
}


def load(apps, schema_editor):
    get = apps.get_model
    get("evaluations", "CreditCoefficient").objects.get_or_create(
        valid_from=VALID_FROM, level="pemula", defaults={"coefficient": Decimal("3.75")}
    )
    for level, (rank, jenjang) in REQUIREMENTS.items():
        get("evaluations", "CreditRequirement").objects.get_or_create(
            valid_from=VALID_FROM, level=level,
            defaults={
                "for_rank": Decimal(rank),
                "for_level": Decimal(jenjang) if jenjang is not None else None,
            },
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_credit_ledger")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
