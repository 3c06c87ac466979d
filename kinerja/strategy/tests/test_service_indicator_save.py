"""``indicator_save``: an agency's indicators, their codes, owners and formulas."""

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.models import Position, Unit
from kinerja.strategy import services
from kinerja.strategy.models import Indicator

pytestmark = pytest.mark.django_db

BASE = {
    "name": "Waktu respon penanganan kegawatdaruratan",
    "unit_of_measure": "menit",
    "polarity": "lower_is_better",
    "aggregation": "average",
}


def save(agency, code="IKU-01", indicator=None, **values):
    fields = {**BASE, "code": code, **values}
    if indicator is not None:
        fields = {"code": code, **values}
    return services.indicator_save(by=SYSTEM, agency=agency, values=fields, indicator=indicator)


def formula(agency, code, text):
    return save(agency, code, data_source="formula", formula=text, polarity="higher_is_better")


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def indicator_records():
    return AuditRecord.objects.filter(object_type="strategy.indicator").order_by("seq")


# --- Creating and changing --------------------------------------------------------------------


def test_an_indicator_is_saved_with_a_clean_code_and_name_and_on_record(cast):
    indicator = save(cast.dinkes, " iku-01 ", name="  Waktu   respon  ")

    assert (indicator.code, indicator.name) == ("IKU-01", "Waktu respon")
    assert (indicator.data_source, indicator.period_type, indicator.active) == (
        "manual", "monthly", True,
    )  # fmt: skip
    record = indicator_records().get()
    assert (record.action, record.object_id, record.agency_code) == (
        "create", "DINKES/IKU-01", "DINKES",
    )  # fmt: skip
    assert record.after["polarity"] == "lower_is_better"


def test_changing_an_indicator_records_only_what_changed(cast):
    indicator = save(cast.dinkes)

    save(cast.dinkes, indicator=indicator, name="Waktu tanggap gawat darurat")

    record = indicator_records().last()
    assert record.action == "update"
    assert record.before == {"name": BASE["name"]}
    assert record.after == {"name": "Waktu tanggap gawat darurat"}


def test_saving_an_indicator_unchanged_writes_no_record(cast):
    indicator = save(cast.dinkes)
    count = AuditRecord.objects.count()

    save(cast.dinkes, indicator=indicator)

    assert AuditRecord.objects.count() == count


def test_an_unknown_field_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="agency"):
        services.indicator_save(
            by=SYSTEM,
            agency=cast.dinkes,
            values={**BASE, "code": "IKU-01", "agency": cast.dukcapil},
        )

    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("unit_of_measure", ""),
        ("polarity", "bigger"),
        ("aggregation", "median"),
        ("period_type", "weekly"),
        ("data_source", "stream"),
        ("lower_formula", "other"),
        ("range_above", "ignore"),
    ],
)
def test_each_field_is_checked_on_its_own_key(cast, field, value):
    errors = refused(save, cast.dinkes, **{field: value})

    assert field in errors
    assert not Indicator.objects.exists()


# --- Codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stored"),
    [
        ("IKU-01", "IKU-01"),
        ("iku-01", "IKU-01"),
        ("S1.1", "S1.1"),
        ("IKU_2026", "IKU_2026"),
        ("7", "7"),
        ("A" * 40, "A" * 40),
        ("", None),
        ("IKU 01", None),
        ("IKU/01", None),
        ("-IKU", None),
        (".IKU", None),
        ("{IKU-01}", None),
        ("IKÜ-01", None),
        ("A" * 41, None),
    ],
)
def test_a_code_is_capital_letters_digits_dots_dashes_and_underscores(cast, code, stored):
    if stored is None:
        assert "code" in refused(save, cast.dinkes, code)
        assert not Indicator.objects.exists()
    else:
        assert save(cast.dinkes, code).code == stored


def test_a_code_is_unique_in_its_agency_but_not_across_agencies(cast):
    save(cast.dinkes, "IKU-01")

    errors = refused(save, cast.dinkes, "iku-01", name="Lain")
    other = save(cast.dukcapil, "IKU-01")

    assert set(errors) & {"code", "__all__"}
    assert Indicator.objects.filter(code="IKU-01").count() == 2
    assert other.agency == cast.dukcapil


def test_renaming_to_a_code_in_use_is_refused(cast):
    save(cast.dinkes, "IKU-01")
    second = save(cast.dinkes, "IKU-02")

    errors = refused(save, cast.dinkes, "IKU-01", indicator=second)

    assert set(errors) & {"code", "__all__"}
    second.refresh_from_db()
    assert second.code == "IKU-02"


# --- Owners -----------------------------------------------------------------------------------


def test_the_owner_may_be_a_unit_and_position_of_the_agency(cast):
    indicator = save(
        cast.dinkes, owner_unit=cast.units["pkm"], owner_position=cast.positions["perawat"]
    )

    position = cast.positions["perawat"]
    assert indicator.owner_position == position
    after = indicator_records().get().after
    assert after["owner_position"] == getattr(position, "audit_key", position.pk)


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("owner_unit", lambda cast: cast.units["dukcapil"]),
        ("owner_position", lambda cast: cast.positions["operator"]),
    ],
)
def test_an_owner_outside_the_agency_is_refused(cast, field, foreign):
    errors = refused(save, cast.dinkes, **{field: foreign(cast)})

    assert field in errors
    assert not Indicator.objects.exists()


def test_a_strategic_target_of_another_agency_is_refused(cast):
    from kinerja.strategy.tests.support import save_plan

    plan = save_plan(cast.dinkes.region)
    goal = services.goal_save(
        by=SYSTEM, agency=cast.dukcapil, mission=plan.missions.first(), code="T1", text="Adminduk"
    )
    foreign = services.strategic_target_save(by=SYSTEM, goal=goal, code="S1.1", text="Cepat")

    errors = refused(save, cast.dinkes, strategic_target=foreign)

    assert "strategic_target" in errors
    assert not Indicator.objects.exists()


def test_a_position_moved_out_of_the_agency_later_no_longer_fits(cast):
    unit = Unit.objects.create(agency=cast.dukcapil, code="DUKCAPIL-X", name="Bidang X")
    position = Position.objects.create(unit=unit, code="DUKCAPIL-X-KABID", name="Kabid X")

    assert "owner_position" in refused(save, cast.dinkes, owner_position=position)


# --- Formulas ---------------------------------------------------------------------------------


@pytest.fixture
def counts(cast):
    """Two manual count indicators that formulas may refer to."""
    values = {"polarity": "higher_is_better", "aggregation": "sum", "unit_of_measure": "kasus"}
    return (
        save(cast.dinkes, "IKU-03", name="Rujukan tertangani", **values),
        save(cast.dinkes, "IKU-04", name="Rujukan", **values),
    )


def test_a_formula_indicator_is_saved_with_its_formula(cast, counts):
    ratio = formula(cast.dinkes, "IKU-05", "  {IKU-03} / {iku-04} * 100 ")

    assert ratio.data_source == "formula"
    assert ratio.formula == "{IKU-03} / {iku-04} * 100"
    assert indicator_records().last().after["formula"] == ratio.formula


@pytest.mark.parametrize(
    "text",
    [
        "{IKU-03} / ",
        "{IKU-03} ** 2",
        "({IKU-03} + 1",
        "__import__('os').system('id')",
        "{IKU-03}; 1",
        "{IKU-03} < {IKU-04}",  # a comparison is no value
        "if({IKU-03} > 1, 1)",
        "1e5",
        "{}",
    ],
)
def test_a_formula_that_is_not_an_expression_is_refused_on_the_formula(cast, counts, text):
    errors = refused(formula, cast.dinkes, "IKU-05", text)

    assert list(errors) == ["formula"]
    assert errors["formula"][0]
    assert not Indicator.objects.filter(code="IKU-05").exists()


def test_an_unknown_code_is_named_in_the_refusal(cast, counts):
    errors = refused(formula, cast.dinkes, "IKU-05", "{IKU-03} / {IKU-99} * 100")

    assert "IKU-99" in errors["formula"][0]


def test_a_code_of_another_agency_is_unknown(cast, counts):
    save(cast.dukcapil, "IKU-77")

    errors = refused(formula, cast.dinkes, "IKU-05", "{IKU-77} + 1")

    assert "IKU-77" in errors["formula"][0]


def test_a_formula_referring_to_itself_is_refused(cast, counts):
    errors = refused(formula, cast.dinkes, "IKU-05", "{IKU-05} + {IKU-03}")

    assert "IKU-05" in errors["formula"][0]


def test_a_cycle_of_two_formulas_is_refused(cast, counts):
    a = formula(cast.dinkes, "IKU-05", "{IKU-03} / {IKU-04} * 100")
    b = formula(cast.dinkes, "IKU-06", "{IKU-05} * 2")

    errors = refused(save, cast.dinkes, "IKU-05", indicator=a, formula="{IKU-06} / 2")

    message = errors["formula"][0]
    assert "IKU-05" in message and "IKU-06" in message
    a.refresh_from_db()
    assert a.formula == "{IKU-03} / {IKU-04} * 100"
    assert b.formula == "{IKU-05} * 2"


def test_a_cycle_of_three_formulas_is_refused(cast, counts):
    a = formula(cast.dinkes, "IKU-05", "{IKU-03} + 1")
    formula(cast.dinkes, "IKU-06", "{IKU-05} + 1")
    formula(cast.dinkes, "IKU-07", "max({IKU-06}, 0)")

    errors = refused(save, cast.dinkes, "IKU-05", indicator=a, formula="if({IKU-07} > 0, 1, 0)")

    assert all(code in errors["formula"][0] for code in ["IKU-05", "IKU-06", "IKU-07"])


def test_turning_a_referenced_manual_indicator_into_a_formula_that_closes_a_cycle_is_refused(
    cast, counts
):
    handled, _requests = counts
    formula(cast.dinkes, "IKU-05", "{IKU-03} / {IKU-04} * 100")

    errors = refused(
        save, cast.dinkes, "IKU-03", indicator=handled, data_source="formula", formula="{IKU-05}"
    )

    assert "formula" in errors
    handled.refresh_from_db()
    assert (handled.data_source, handled.formula) == ("manual", "")


def test_a_formula_may_refer_to_other_formulas_without_a_cycle(cast, counts):
    formula(cast.dinkes, "IKU-05", "{IKU-03} / {IKU-04} * 100")

    chained = formula(cast.dinkes, "IKU-06", "min({IKU-05}, 100) - {IKU-03} * 0")

    assert chained.pk


def test_a_manual_indicator_with_a_formula_is_refused(cast, counts):
    errors = refused(save, cast.dinkes, "IKU-05", formula="{IKU-03} + 1")

    assert list(errors) == ["formula"]
    assert not Indicator.objects.filter(code="IKU-05").exists()


@pytest.mark.parametrize("text", ["", "   "])
def test_a_formula_indicator_without_a_formula_is_refused(cast, counts, text):
    errors = refused(formula, cast.dinkes, "IKU-05", text)

    assert list(errors) == ["formula"]


def test_a_refused_change_leaves_the_stored_row_and_the_callers_object_unchanged(cast, counts):
    ratio = formula(cast.dinkes, "IKU-05", "{IKU-03} / {IKU-04} * 100")
    count = AuditRecord.objects.count()

    refused(
        save, cast.dinkes, "IKU-05", indicator=ratio, name="Baru", formula="{IKU-03} / {IKU-99}"
    )

    stored = Indicator.objects.get(pk=ratio.pk)
    assert (stored.name, stored.formula) == (BASE["name"], "{IKU-03} / {IKU-04} * 100")
    assert (ratio.name, ratio.formula) == (BASE["name"], "{IKU-03} / {IKU-04} * 100")
    assert AuditRecord.objects.count() == count


def test_renaming_an_indicator_that_a_formula_refers_to_is_refused(cast, counts):
    handled, _requests = counts
    formula(cast.dinkes, "IKU-05", "{IKU-03} / {IKU-04} * 100")

    errors = refused(save, cast.dinkes, "IKU-33", indicator=handled)

    assert "code" in errors
