"""Year-versioned rule tables: the defaults, and a new regulation as a new row."""

from decimal import Decimal as D

from kinerja.core.models import AchievementBand, AchievementSetting
from kinerja.core.rules import achievement_rules


def test_the_default_bands_and_cap_come_from_the_migration(db):
    rules = achievement_rules(2026)
    assert rules.cap_pct == D("120")
    assert [(b.label, b.min_pct) for b in rules.bands] == [
        ("Sangat Baik", D("91")),
        ("Baik", D("76")),
        ("Cukup", D("66")),
        ("Kurang", D("51")),
        ("Sangat Kurang", None),
    ]
    assert all(b.colour.startswith("#") for b in rules.bands)


def test_a_new_regulation_applies_from_its_year_only(db):
    AchievementSetting.objects.create(valid_from=2027, cap_pct=D("110"))
    for label, min_pct in [("Istimewa", D("95")), ("Lainnya", None)]:
        AchievementBand.objects.create(
            valid_from=2027, label=label, min_pct=min_pct, colour="#000000"
        )

    assert achievement_rules(2026).cap_pct == D("120")
    assert achievement_rules(2027).cap_pct == D("110")
    assert achievement_rules(2030).band_for(D("96")).label == "Istimewa"
    assert achievement_rules(2030).band_for(D("94")).label == "Lainnya"
    assert achievement_rules(2026).band_for(D("96")).label == "Sangat Baik"
