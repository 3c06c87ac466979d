"""Defaults of domain.md §3.1–3.3: the quadrant, the distribution curve (SE MenPANRB 3/2023),
the credit-point percentages and coefficients, the suggestion thresholds and the unit head's
results rating from the organisation predicate. A later regulation is a new row with a later
``valid_from``; these rows are never edited in place."""

from decimal import Decimal

from django.db import migrations

VALID_FROM = 2022
SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"

QUADRANT = {
    ("above", "below"): KM, ("above", "meets"): B, ("above", "above"): SB,
    ("meets", "below"): KM, ("meets", "meets"): B, ("meets", "above"): B,
    ("below", "below"): SK, ("below", "meets"): BP, ("below", "above"): BP,
}  # fmt: skip

# (organisation predicate, employee predicates, rule, value)
CURVE = [
    ("Istimewa", [SB], "most", 0),
    ("Istimewa", [SB], "max_pct", 70),
    ("Baik", [B], "most", 0),
    ("Baik", [B], "max_pct", 70),
    ("Baik", [BP, KM], "min_count", 1),
    ("Butuh Perbaikan", [SB], "max_pct", 10),
    ("Butuh Perbaikan", [BP], "min_pct", 60),
    ("Kurang", [SB], "max_pct", 10),
    ("Kurang", [BP], "min_pct", 10),
    ("Kurang", [KM], "min_pct", 60),
    ("Sangat Kurang", [SB], "max_count", 0),
    ("Sangat Kurang", [BP, KM], "min_pct", 10),
    ("Sangat Kurang", [SK], "min_pct", 60),
]

CREDIT_PERCENT = {SB: 150, B: 100, BP: 75, KM: 50, SK: 25}
COEFFICIENTS = {
    "ahli_pertama": "12.5", "ahli_muda": "25", "ahli_madya": "37.5", "ahli_utama": "50",
    "terampil": "5", "mahir": "12.5", "penyelia": "25",
}  # fmt: skip
HEAD_RATING = {
    "Istimewa": "above", "Baik": "meets", "Butuh Perbaikan": "below", "Kurang": "below",
    "Sangat Kurang": "below",
}  # fmt: skip


def load(apps, schema_editor):
    get = apps.get_model
    for (results, behaviour), predicate in QUADRANT.items():
        get("evaluations", "QuadrantCell").objects.get_or_create(
            valid_from=VALID_FROM, results=results, behaviour=behaviour,
            defaults={"predicate": predicate},
        )  # fmt: skip
    CurveRule = get("evaluations", "CurveRule")
    if not CurveRule.objects.filter(valid_from=VALID_FROM).exists():
        CurveRule.objects.bulk_create(
            CurveRule(
                valid_from=VALID_FROM, org_predicate=org, predicates="|".join(predicates),
                rule=rule, value=Decimal(value),
            )  # fmt: skip
            for org, predicates, rule, value in CURVE
        )
    for predicate, percent in CREDIT_PERCENT.items():
        get("evaluations", "CreditPercent").objects.get_or_create(
            valid_from=VALID_FROM, predicate=predicate, defaults={"percent": Decimal(percent)}
        )
    for level, coefficient in COEFFICIENTS.items():
        get("evaluations", "CreditCoefficient").objects.get_or_create(
            valid_from=VALID_FROM, level=level, defaults={"coefficient": Decimal(coefficient)}
        )
    get("evaluations", "EvaluationSetting").objects.get_or_create(
        valid_from=VALID_FROM, defaults={"head_rating_by_org": HEAD_RATING}
    )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
