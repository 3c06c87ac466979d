"""The plan's workflow: draft → submitted → approved, or returned with a reason; who may do
each step; every transition recorded (domain.md §3)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState, SkpTransition

pytestmark = pytest.mark.django_db


def _draft(cast, who="employee"):
    skp = services.skp_create(employee=cast.employees[who], year=2026, by=cast.users[who])
    services.rhk_add(
        skp=skp,
        by=cast.users[who],
        kind="utama",
        text="Pelayanan imunisasi",
        indicators=[
            {"aspect": "kuantitas", "text": "Anak diimunisasi", "target": "300", "unit": "anak"}
        ],
    )
    return skp


def test_the_plan_records_the_rater_chain_and_position_when_created(cast):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    assert skp.state == SkpState.DRAFT
    assert skp.rater == cast.employees["rater"]
    assert skp.rater_superior == cast.employees["rater_superior"]
    assert skp.position_name == "Perawat Terampil"
    assert skp.position_level == "terampil"


def test_a_second_open_plan_for_the_same_year_is_refused(cast):
    services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    assert "year" in error.value.message_dict


def test_an_outsider_may_not_draft_someone_elses_plan(cast):
    with pytest.raises(PermissionDenied):
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.outsider)
    with pytest.raises(PermissionDenied):
        services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.colleague)


def test_the_administrator_drafts_only_after_the_second_week_of_january(cast):
    with pytest.raises(ValidationError) as error:
        services.skp_create(
            employee=cast.employees["employee"],
            year=2026,
            by=cast.pengelola,
            today=date(2026, 1, 10),
        )
    assert "15/01/2026" in str(error.value)
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, by=cast.pengelola, today=date(2026, 1, 15)
    )
    assert skp.created_by == cast.pengelola


def test_submit_approve_records_every_transition_with_who(cast):
    skp = _draft(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    services.skp_approve(skp=skp, by=cast.rater)
    skp.refresh_from_db()
    assert skp.state == SkpState.APPROVED
    steps = list(SkpTransition.objects.filter(skp=skp).values_list("from_state", "to_state", "by"))
    assert steps == [
        ("", "draft", cast.employee.pk),
        ("draft", "submitted", cast.employee.pk),
        ("submitted", "approved", cast.rater.pk),
    ]
    assert AuditRecord.objects.filter(object_type="skp.skp", action="transition").count() == 2


def test_only_the_rater_approves_never_the_employee_or_the_superior(cast):
    skp = _draft(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    for user in (cast.employee, cast.rater_superior, cast.colleague, cast.pengelola, cast.admin):
        with pytest.raises(PermissionDenied):
            services.skp_approve(skp=skp, by=user)
    assert Skp.objects.get(pk=skp.pk).state == SkpState.SUBMITTED


def test_a_returned_plan_keeps_the_reason_and_can_be_changed_and_resubmitted(cast):
    skp = _draft(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    with pytest.raises(ValidationError):
        services.skp_return(skp=skp, by=cast.rater, reason="  ")
    services.skp_return(skp=skp, by=cast.rater, reason="Target imunisasi terlalu rendah")
    skp.refresh_from_db()
    assert (skp.state, skp.return_reason) == (SkpState.RETURNED, "Target imunisasi terlalu rendah")
    assert SkpTransition.objects.filter(skp=skp, to_state="returned").get().reason == (
        "Target imunisasi terlalu rendah"
    )
    rhk = skp.results.get()
    services.rhk_update(
        rhk=rhk,
        by=cast.employee,
        text=rhk.text,
        indicators=[
            {"aspect": "kuantitas", "text": "Anak diimunisasi", "target": "450", "unit": "anak"}
        ],
    )
    services.skp_submit(skp=skp, by=cast.employee)
    assert Skp.objects.get(pk=skp.pk).state == SkpState.SUBMITTED


def test_an_approved_plan_cannot_change(cast):
    skp = _draft(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    services.skp_approve(skp=skp, by=cast.rater)
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp,
            by=cast.employee,
            kind="utama",
            text="Lagi",
            indicators=[{"aspect": "kuantitas", "text": "x", "target": "1", "unit": "x"}],
        )
    assert "state" in error.value.message_dict


def test_a_plan_without_a_main_result_is_not_submitted(cast):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.skp_submit(skp=skp, by=cast.employee)
    assert "results" in error.value.message_dict


@pytest.mark.parametrize(
    ("target", "stored"),
    [
        ("1200", ("1200", None, None)),
        ("12,5", ("12.5", None, None)),
        ("80-90", (None, "80", "90")),
        ("80 – 90", (None, "80", "90")),
        ({"low": 1, "high": 2}, (None, "1", "2")),
    ],
)
def test_targets_are_a_value_or_a_range(cast, target, stored):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Hasil",
        indicators=[{"aspect": "kuantitas", "text": "x", "target": target, "unit": "x"}],
    )
    iki = rhk.indicators.get()
    as_text = tuple(
        None if v is None else format(v.normalize(), "f")
        for v in (iki.target, iki.target_low, iki.target_high)
    )
    assert as_text == stored


@pytest.mark.parametrize(
    ("indicator", "field"),
    [
        ({"aspect": "rasa", "text": "x", "target": "1"}, "indicators.0.aspect"),
        ({"aspect": "kuantitas", "text": "", "target": "1"}, "indicators.0.text"),
        ({"aspect": "kuantitas", "text": "x", "target": "banyak"}, "indicators.0.target"),
        ({"aspect": "kuantitas", "text": "x", "target": "90-80"}, "indicators.0.target"),
        ({"aspect": "kuantitas", "text": "x"}, "indicators.0.target"),
    ],
)
def test_bad_indicators_are_refused_with_the_field_and_nothing_is_stored(cast, indicator, field):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp, by=cast.employee, kind="utama", text="Hasil", indicators=[indicator]
        )
    assert field in error.value.message_dict
    assert not skp.results.exists()


def test_a_qualitative_plan_may_state_the_target_inside_the_indicator(cast):
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, approach="kualitatif", by=cast.employee
    )
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Laporan",
        indicators=[{"aspect": "kualitas", "text": "Laporan diterima pimpinan tanpa revisi"}],
    )
    assert rhk.indicators.get().target is None


def test_supports_must_be_a_result_of_the_raters_plan(cast):
    rater_plan = _draft(cast, "rater")
    colleague_plan = _draft(cast, "colleague")
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    items = [{"aspect": "kuantitas", "text": "x", "target": "1", "unit": "x"}]
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp,
            by=cast.employee,
            kind="utama",
            text="Hasil",
            indicators=items,
            supports=colleague_plan.results.get(),
        )
    assert "supports" in error.value.message_dict
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Hasil",
        indicators=items,
        supports=rater_plan.results.get(),
    )
    assert rhk.supports == rater_plan.results.get()
    assert services.plan_checks(skp) == []


def test_the_matrix_hands_one_result_to_many_subordinates_split_by_volume(cast):
    rater_plan = _draft(cast, "rater")
    result = rater_plan.results.get()
    created = services.matrix_assign(
        rhk=result,
        by=cast.rater,
        assignments=[(cast.employees["employee"], "120"), (cast.employees["colleague"], "180")],
    )
    assert [r.skp.employee for r in created] == [
        cast.employees["employee"],
        cast.employees["colleague"],
    ]
    assert [r.indicators.get().target for r in created] == [120, 180]
    assert all(r.supports == result for r in created)


def test_the_matrix_refuses_someone_not_rated_by_the_owner_and_stores_nothing(cast):
    rater_plan = _draft(cast, "rater")
    with pytest.raises(ValidationError):
        services.matrix_assign(
            rhk=rater_plan.results.get(),
            by=cast.rater,
            assignments=[(cast.employees["employee"], None), (cast.employees["pengelola"], None)],
        )
    assert not Skp.objects.filter(employee=cast.employees["employee"]).exists()


def test_a_template_is_applied_to_every_holder_of_the_position(cast):
    template = services.template_save(
        owner=cast.employees["rater"],
        position=cast.positions["perawat"],
        by=cast.rater,
        kind="utama",
        text="Asuhan keperawatan",
        indicators=[{"aspect": "kuantitas", "text": "Pasien", "target": "100", "unit": "pasien"}],
    )
    created = services.template_apply(template=template, year=2026, by=cast.rater)
    assert sorted(r.skp.employee.name for r in created) == sorted(
        [cast.employees["employee"].name, cast.employees["colleague"].name]
    )
    assert created[0].indicators.get().target == 100


def test_a_transfer_closes_the_plan_and_starts_a_new_one_keeping_the_old(cast):
    skp = _draft(cast)
    employee = cast.employees["employee"]
    employee.position = cast.positions["analis"]
    employee.unit = cast.positions["analis"].unit
    employee.save()
    new = services.skp_transfer(skp=skp, by=cast.pengelola, on=date(2026, 7, 1))
    skp.refresh_from_db()
    assert (skp.state, skp.ends_on) == (SkpState.CLOSED, date(2026, 7, 1))
    assert new.previous == skp and new.position_name == "Analis Kepegawaian"
    assert skp.results.count() == 1


def test_only_the_rater_writes_the_leaders_special_expectations(cast):
    from kinerja.skp.models import BehaviourValue

    skp = _draft(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    value = BehaviourValue.objects.get(valid_from=2022, code="kompeten")
    for user in (cast.employee, cast.pengelola, cast.colleague):
        with pytest.raises(PermissionDenied):
            services.expectation_set(skp=skp, value=value, text="Belajar", by=user)
    expectation = services.expectation_set(
        skp=skp, value=value, text="Belajar triase", by=cast.rater
    )
    assert expectation.text == "Belajar triase"
    assert services.expectation_set(skp=skp, value=value, text="", by=cast.rater) is None
    assert not skp.expectations.exists()


def test_the_regional_administrator_records_the_head_of_regions_approval_of_a_jpt_plan(cast):
    head = cast.employees["head"]  # Kepala Dinas (JPT Pratama): rated by the head of region
    skp = services.skp_create(employee=head, year=2026, by=cast.head)
    assert skp.rater is None
    services.rhk_add(
        skp=skp, by=cast.head, kind="utama", text="Meningkatnya derajat kesehatan",
        perspective="penerima_layanan",
        indicators=[{"aspect": "kuantitas", "text": "Puskesmas terakreditasi", "target": "5"}],
    )  # fmt: skip
    services.skp_submit(skp=skp, by=cast.head)
    for user in (cast.head, cast.pengelola, cast.auditor, cast.rater_superior):
        with pytest.raises(PermissionDenied):
            services.skp_approve(skp=skp, by=user)
    services.skp_approve(skp=skp, by=cast.admin)
    skp.refresh_from_db()
    assert skp.state == SkpState.APPROVED
    assert skp.transitions.get(to_state="approved").by == cast.admin


def test_a_plan_whose_chain_is_broken_is_not_submitted(cast):
    from kinerja.organizations.models import RaterChain

    skp = _draft(cast)
    skp.rater = None
    skp.save()
    RaterChain.objects.filter(employee=cast.employees["employee"]).update(
        rater=None, rater_basis="none"
    )
    with pytest.raises(ValidationError) as error:
        services.skp_submit(skp=skp, by=cast.employee)
    assert "rater" in error.value.message_dict
