"""Default achievement bands and cap (domain.md §2), in force from 2000 until replaced."""

from decimal import Decimal

from django.db import migrations

BANDS = [
    ("Sangat Baik", Decimal("91"), "#1e7b34"),
    ("Baik", Decimal("76"), "#5e9c2f"),
    ("Cukup", Decimal("66"), "#c9a227"),
    ("Kurang", Decimal("51"), "#d9822b"),
    ("Sangat Kurang", None, "#b3261e"),
]


def forwards(apps, schema_editor):
    band = apps.get_model("core", "AchievementBand")
    setting = apps.get_model("core", "AchievementSetting")
    for label, min_pct, colour in BANDS:
        band.objects.get_or_create(
            valid_from=2000, label=label, defaults={"min_pct": min_pct, "colour": colour}
        )
    setting.objects.get_or_create(valid_from=2000, defaults={"cap_pct": Decimal("120")})


def backwards(apps, schema_editor):
    apps.get_model("core", "AchievementBand").objects.filter(valid_from=2000).delete()
    apps.get_model("core", "AchievementSetting").objects.filter(valid_from=2000).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_achievement_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
