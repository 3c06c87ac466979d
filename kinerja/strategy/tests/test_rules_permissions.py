"""Who may change what in organisational performance (:mod:`kinerja.strategy.permissions`),
row by row over the standard cast."""

from decimal import Decimal

import pytest

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Employee, Position
from kinerja.organizations.scope import forget_scope
from kinerja.organizations.services import acting_start
from kinerja.strategy import permissions, services
from kinerja.strategy.models import PerformanceAgreement

pytestmark = pytest.mark.django_db

PEOPLE = [
    "employee", "colleague", "rater", "rater_superior", "head", "pengelola", "admin",
    "auditor", "outsider", "other_head",
]  # fmt: skip


def indicator(cast, code="IKU-01", owner=None, agency=None):
    return services.indicator_save(
        by=SYSTEM,
        agency=agency or cast.dinkes,
        values={
            "code": code,
            "name": f"Indikator {code}",
            "unit_of_measure": "menit",
            "polarity": "lower_is_better",
            "aggregation": "average",
            "owner_position": cast.positions[owner] if owner else None,
        },
    )


def realisation(subject, by, month=3):
    return services.realisation_record(
        indicator=subject, year=2025, month=month, value=Decimal(14), by=by
    )


def expected(yes: set[str]) -> list[tuple[str, bool]]:
    return [(person, person in yes) for person in PEOPLE]


@pytest.mark.parametrize(("who", "allowed"), expected({"admin"}))
def test_only_admin_bkpsdm_edits_the_regions_plan(cast, who, allowed):
    assert permissions.can_edit_plan(getattr(cast, who)) is allowed


@pytest.mark.parametrize(("who", "allowed"), expected({"pengelola", "admin"}))
def test_the_agencys_pengelola_kinerja_and_admin_bkpsdm_manage_its_indicators(cast, who, allowed):
    assert permissions.can_manage(getattr(cast, who), cast.dinkes.pk) is allowed


@pytest.mark.parametrize(("who", "allowed"), expected({"admin"}))
def test_nobody_of_dinkes_but_admin_bkpsdm_manages_another_agency(cast, who, allowed):
    assert permissions.can_manage(getattr(cast, who), cast.dukcapil.pk) is allowed


@pytest.mark.parametrize(("who", "allowed"), expected({"head"}))
def test_only_the_agency_head_agrees_its_agreement(cast, who, allowed):
    agreement = PerformanceAgreement.objects.create(agency=cast.dinkes, year=2026)

    assert permissions.can_agree(getattr(cast, who), agreement) is allowed


@pytest.mark.parametrize(("who", "allowed"), expected({"other_head"}))
def test_another_agencys_agreement_is_agreed_by_its_own_head(cast, who, allowed):
    agreement = PerformanceAgreement.objects.create(agency=cast.dukcapil, year=2026)

    assert permissions.can_agree(getattr(cast, who), agreement) is allowed


def test_an_acting_head_agrees_too(cast):
    acting_start(
        position=cast.positions["kadis"],
        employee=cast.employees["rater_superior"],
        kind="plh",
        reason="Surat Perintah Plh. Kepala Dinas",
        by=SYSTEM,
    )
    agreement = PerformanceAgreement.objects.create(agency=cast.dinkes, year=2026)

    assert permissions.can_agree(cast.rater_superior, agreement)


@pytest.mark.parametrize(
    ("who", "allowed"), expected({"employee", "colleague", "pengelola", "admin"})
)
def test_the_owning_positions_holders_and_the_managers_enter_realisations(cast, who, allowed):
    subject = indicator(cast, owner="perawat")

    assert permissions.can_enter_realisation(getattr(cast, who), subject) is allowed
    assert permissions.owns(getattr(cast, who), subject) is (who in {"employee", "colleague"})


@pytest.mark.parametrize(("who", "allowed"), expected({"pengelola", "admin"}))
def test_without_an_owning_position_only_the_managers_enter_realisations(cast, who, allowed):
    subject = indicator(cast)

    assert permissions.can_enter_realisation(getattr(cast, who), subject) is allowed
    assert not permissions.owns(getattr(cast, who), subject)


def test_a_former_holder_no_longer_owns_the_indicator(cast):
    subject = indicator(cast, owner="perawat")
    Employee.objects.filter(pk=cast.employees["employee"].pk).update(active=False)

    assert not permissions.can_enter_realisation(cast.employee, subject)


# --- Verifiers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "verifier"),
    [
        ("perawat", "rater"),  # the owner's rater
        ("kapus", "rater_superior"),
        ("kabid", "head"),
        (None, "head"),  # no owner: the agency head
        ("kadis", "head"),  # the head has no rater in the agency: the head (region head above)
    ],
)
def test_the_verifier_is_the_owners_rater_or_else_the_agency_head(cast, owner, verifier):
    subject = indicator(cast, owner=owner)

    assert permissions.verifiers(subject) == {cast.employees[verifier].pk}


def test_a_vacant_owning_position_falls_back_to_the_agency_head(cast):
    vacant = Position.objects.create(
        unit=cast.units["pkm"], code="DINKES-PKM-PLAJU-BIDAN", name="Bidan",
        kind="jf", reports_to=cast.positions["kapus"],
    )  # fmt: skip
    subject = indicator(cast)
    subject = services.indicator_save(
        by=SYSTEM, agency=cast.dinkes, values={"owner_position": vacant}, indicator=subject
    )

    assert permissions.verifiers(subject) == {cast.employees["head"].pk}


def test_an_acting_head_also_verifies_when_there_is_no_owner(cast):
    acting_start(
        position=cast.positions["kadis"],
        employee=cast.employees["rater_superior"],
        kind="plh",
        reason="Surat Perintah Plh. Kepala Dinas",
        by=SYSTEM,
    )

    assert permissions.verifiers(indicator(cast)) == {
        cast.employees["head"].pk,
        cast.employees["rater_superior"].pk,
    }


@pytest.mark.parametrize(("who", "allowed"), expected({"rater"}))
def test_only_the_owners_rater_verifies_the_owners_value(cast, who, allowed):
    value = realisation(indicator(cast, owner="perawat"), by=cast.employee)

    assert permissions.can_verify(getattr(cast, who), value) is allowed


@pytest.mark.parametrize(("who", "allowed"), expected({"head"}))
def test_without_an_owner_the_head_verifies_what_the_pengelola_entered(cast, who, allowed):
    value = realisation(indicator(cast), by=cast.pengelola)

    assert permissions.can_verify(getattr(cast, who), value) is allowed


def test_nobody_verifies_a_value_they_entered_themselves(cast):
    acting_start(
        position=cast.positions["kadis"],
        employee=cast.employees["rater_superior"],
        kind="plh",
        reason="Surat Perintah Plh. Kepala Dinas",
        by=SYSTEM,
    )
    subject = indicator(cast)
    for user in (cast.head, cast.rater_superior):  # here they also enter the agency's values
        RoleAssignment.objects.create(user=user, role=Role.PENGELOLA_KINERJA, agency=cast.dinkes)
        forget_scope(user)
    by_head = realisation(subject, by=cast.head, month=3)
    by_acting = realisation(subject, by=cast.rater_superior, month=4)

    assert not permissions.can_verify(cast.head, by_head)
    assert permissions.can_verify(cast.rater_superior, by_head)
    assert not permissions.can_verify(cast.rater_superior, by_acting)
    assert permissions.can_verify(cast.head, by_acting)


def test_a_verifier_of_one_agency_verifies_nothing_in_another(cast):
    value = realisation(indicator(cast, agency=cast.dukcapil, code="IKU-09"), by=cast.admin)

    assert permissions.can_verify(cast.other_head, value)
    assert not permissions.can_verify(cast.head, value)
    assert not permissions.can_verify(cast.rater, value)
