"""The plan's workflow (``services/workflow.py``): draft → submitted → approved, or returned
with a reason; who may do each step; every transition recorded (domain.md §3)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState, SkpTransition

from .support import draft_2026

pytestmark = pytest.mark.django_db


def test_submit_approve_records_every_transition_with_who(cast):
    skp = draft_2026(cast)
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
    skp = draft_2026(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    for user in (cast.employee, cast.rater_superior, cast.colleague, cast.pengelola, cast.admin):
        with pytest.raises(PermissionDenied):
            services.skp_approve(skp=skp, by=user)
    assert Skp.objects.get(pk=skp.pk).state == SkpState.SUBMITTED


def test_a_returned_plan_keeps_the_reason_and_can_be_changed_and_resubmitted(cast):
    skp = draft_2026(cast)
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


def test_a_plan_without_a_main_result_is_not_submitted(cast):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.skp_submit(skp=skp, by=cast.employee)
    assert "results" in error.value.message_dict


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

    skp = draft_2026(cast)
    skp.rater = None
    skp.save()
    RaterChain.objects.filter(employee=cast.employees["employee"]).update(
        rater=None, rater_basis="none"
    )
    with pytest.raises(ValidationError) as error:
        services.skp_submit(skp=skp, by=cast.employee)
    assert "rater" in error.value.message_dict
