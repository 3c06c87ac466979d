"""Who rates whom (domain.md §3): the pure rule on hand-built graphs, then the operations that
keep the stored chains in line with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.accounts.models import Role
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations import services
from kinerja.organizations.changeset import Row, apply_rows
from kinerja.organizations.models import (
    ActingOfficial,
    Employee,
    RaterBasis,
    RaterChain,
    RaterOverride,
)
from kinerja.organizations.raters import Link, OrgGraph, rater_of, resolve
from kinerja.organizations.scope import forget_scope, scope_for

TREE, ACTING, ESCALATED = RaterBasis.TREE, RaterBasis.ACTING, RaterBasis.ESCALATED
OVERRIDE, HEAD, NONE = RaterBasis.OVERRIDE, RaterBasis.REGION_HEAD, RaterBasis.NONE


def graph(
    *,
    reports_to: dict[int, int | None],
    held_by: dict[int, int | None],
    acting: dict[int, int] | None = None,
    overrides: dict[int, int] | None = None,
) -> OrgGraph:
    """``held_by`` maps each active employee to their position (or None)."""
    holders: dict[int, list[int]] = {}
    for employee, position in held_by.items():
        if position is not None:
            holders.setdefault(position, []).append(employee)
    return OrgGraph(reports_to, holders, acting or {}, dict(held_by), overrides or {})


# Positions of a small agency: 1 Kepala Dinas (JPT Pratama) ← 2 Kepala Bidang (Administrator)
# ← 3 Kepala Seksi (Pengawas) ← 4 staff (Pelaksana), 5 functional (JF). Employees 10, 20, 30,
# 40, 41 (two staff), 50 hold them in that order; 99 is someone without a position.
LINE = {1: None, 2: 1, 3: 2, 4: 3, 5: 3}
FULL = {10: 1, 20: 2, 30: 3, 40: 4, 41: 4, 50: 5, 99: None}


def without(*employees: int, base: dict | None = None) -> dict[int, int | None]:
    return {e: p for e, p in (base or FULL).items() if e not in employees}


RATER_CASES = [  # case, graph, employee, (rater, basis)
    ("tree rater", graph(reports_to=LINE, held_by=FULL), 40, (30, TREE)),
    (
        "the top is rated by the head of region",
        graph(reports_to=LINE, held_by=FULL),
        10,
        (None, HEAD),
    ),
    (
        "an acting official in a vacant position rates",
        graph(reports_to=LINE, held_by=without(30), acting={3: 20}),
        40,
        (20, ACTING),
    ),
    (
        "a vacancy escalates to the next holder up",
        graph(reports_to=LINE, held_by=without(30)),
        40,
        (20, ESCALATED),
    ),
    (
        "a vacancy escalates twice",
        graph(reports_to=LINE, held_by=without(20, 30)),
        40,
        (10, ESCALATED),
    ),
    (
        "escalation stops at an acting official further up",
        graph(reports_to=LINE, held_by=without(20, 30), acting={2: 41}),
        40,
        (41, ESCALATED),
    ),
    (
        "a vacancy at the top escalates to the head of region",
        graph(reports_to=LINE, held_by=without(10, 20)),
        30,
        (None, HEAD),
    ),
    (
        "an override beats the tree",
        graph(reports_to=LINE, held_by=FULL, overrides={40: 20}),
        40,
        (20, OVERRIDE),
    ),
    (
        "an override beats an acting official",
        graph(reports_to=LINE, held_by=without(30), acting={3: 50}, overrides={40: 10}),
        40,
        (10, OVERRIDE),
    ),
    (
        "an override to an inactive or absent employee is ignored",
        graph(reports_to=LINE, held_by=FULL, overrides={40: 77}),
        40,
        (30, TREE),
    ),
    (
        "an override naming oneself is ignored",
        graph(reports_to=LINE, held_by=FULL, overrides={40: 40}),
        40,
        (30, TREE),
    ),
    (
        "a Plt of one's own superior position does not rate themselves",
        graph(reports_to=LINE, held_by=without(20), acting={2: 30}),
        30,
        (10, ESCALATED),
    ),
    (
        "the Plt of a vacant position still rates its other reports",
        graph(reports_to={**LINE, 6: 2}, held_by={**without(20), 60: 6}, acting={2: 30}),
        60,
        (30, ACTING),
    ),
    (
        "a co-holder is not their own rater",
        graph(reports_to={1: None, 2: 1}, held_by={10: 1, 11: 1, 20: 2}),
        10,
        (None, HEAD),
    ),
    (
        "of several holders of the superior position the lowest id rates",
        graph(reports_to={1: None, 2: 1}, held_by={12: 1, 11: 1, 20: 2}),
        20,
        (11, TREE),
    ),
    ("no position: no rater", graph(reports_to=LINE, held_by=FULL), 99, (None, NONE)),
    (
        "a loop in the reporting line ends at the head of region",
        graph(reports_to={1: 2, 2: 1, 3: 1}, held_by={30: 3}),
        30,
        (None, HEAD),
    ),
]


@pytest.mark.parametrize(
    ("g", "employee", "expected"), [pytest.param(*rest, id=case) for case, *rest in RATER_CASES]
)
def test_the_rater_follows_the_rule(g, employee, expected):
    assert rater_of(g, employee) == expected


LINK_CASES = [  # case, graph, employee, link
    (
        "the superior is the rater's rater",
        graph(reports_to=LINE, held_by=FULL),
        40,
        Link(30, TREE, 20, TREE),
    ),
    (
        "an Administrator under a JPT has the head of region as superior",
        graph(reports_to=LINE, held_by=FULL),
        20,
        Link(10, TREE, None, HEAD),
    ),
    (
        "the top has neither rater nor superior among employees",
        graph(reports_to=LINE, held_by=FULL),
        10,
        Link(None, HEAD, None, NONE),
    ),
    (
        "the superior of an acting rater is the acting official's own rater",
        graph(reports_to=LINE, held_by=without(30), acting={3: 50}),
        40,
        # 50 acts in 3 above their own position, so their own rater escalates past 3.
        Link(50, ACTING, 20, ESCALATED),
    ),
    (
        "the superior of an overridden rater follows the new rater",
        graph(reports_to=LINE, held_by=FULL, overrides={50: 20}),
        50,
        Link(20, OVERRIDE, 10, TREE),
    ),
    (
        "two people who rate each other by overrides have no superior",
        graph(reports_to=LINE, held_by=FULL, overrides={40: 41, 41: 40}),
        40,
        Link(41, OVERRIDE, None, NONE),
    ),
    (
        "no position: nothing",
        graph(reports_to=LINE, held_by=FULL),
        99,
        Link(None, NONE, None, NONE),
    ),
]


@pytest.mark.parametrize(
    ("g", "employee", "expected"), [pytest.param(*rest, id=case) for case, *rest in LINK_CASES]
)
def test_the_chain_links_rater_and_superior(g, employee, expected):
    assert resolve(g)[employee] == expected


def test_every_active_employee_gets_a_link():
    g = graph(reports_to=LINE, held_by=FULL)

    assert set(resolve(g)) == set(FULL)


# domain.md §3, rows of "Raters in a local government": ratee → rater → rater's superior.
# Positions: 1 JPT Pratama (Kepala Dinas), 2 Administrator (Kepala Bidang), 3 Pengawas
# (Kepala Seksi / Kepala Puskesmas), 4 Pelaksana, 5 JF (e.g. Perawat) under the Pengawas.
REGION_CHAIN = graph(reports_to=LINE, held_by=FULL)
HOLDER = {"JPT Pratama": 10, "Administrator": 20, "Pengawas": 30, "Pelaksana": 40, "JF": 50}


@pytest.mark.parametrize(
    ("ratee", "rater", "superior"),
    [
        ("Administrator", "JPT Pratama", "head of region"),
        ("Pengawas", "Administrator", "JPT Pratama"),
        ("Pelaksana", "Pengawas", "Administrator"),
        ("JF", "Pengawas", "Administrator"),
    ],
)
def test_the_chains_of_a_local_government_follow_domain_rules(ratee, rater, superior):
    link = resolve(REGION_CHAIN)[HOLDER[ratee]]

    assert (link.rater_id, link.rater_basis) == (HOLDER[rater], TREE)
    if superior == "head of region":
        assert (link.superior_id, link.superior_basis) == (None, HEAD)
    else:
        assert (link.superior_id, link.superior_basis) == (HOLDER[superior], TREE)


def test_a_jf_reporting_to_an_administrator_is_rated_by_that_administrator():
    g = graph(reports_to={**LINE, 6: 2}, held_by={**FULL, 60: 6})

    assert resolve(g)[60] == Link(20, TREE, 10, TREE)


# --- The operations, on the database --------------------------------------------------------


def chain_of(employee: Employee) -> tuple:
    row = RaterChain.objects.get(employee=employee)
    return row.rater_id, row.rater_basis, row.rater_superior_id, row.superior_basis


def audit_of(object_type: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(object_type=object_type).order_by("seq"))


def leave_position(employee: Employee) -> None:
    """Take the employee out of their position through the one path for organisation data."""
    outcome = apply_rows(
        rows={"employees": [Row(2, {"nip": employee.nip, "kode_jabatan": ""})]},
        by=SYSTEM,
    )
    assert outcome.ok, outcome.errors


def test_recompute_stores_the_chain_of_every_active_employee(cast):
    e = cast.employees
    RaterChain.objects.all().delete()

    changed = services.raters_recompute(by=SYSTEM)

    assert changed == Employee.objects.filter(active=True).count()
    assert chain_of(e["employee"]) == (e["rater"].pk, TREE, e["rater_superior"].pk, TREE)
    assert chain_of(e["rater"]) == (e["rater_superior"].pk, TREE, e["head"].pk, TREE)
    assert chain_of(e["head"]) == (None, HEAD, None, NONE)
    assert services.raters_recompute(by=SYSTEM) == 0  # nothing left to change


def test_recompute_drops_the_chain_of_an_employee_who_left(cast):
    e = cast.employees
    Employee.objects.filter(pk=e["colleague"].pk).update(active=False)

    services.raters_recompute(by=SYSTEM)

    assert not RaterChain.objects.filter(employee=e["colleague"]).exists()


def test_acting_start_makes_the_plt_the_rater_of_a_vacant_position_and_is_audited(cast):
    e, p = cast.employees, cast.positions
    leave_position(e["rater"])
    assert chain_of(e["employee"])[:2] == (e["rater_superior"].pk, ESCALATED)

    acting = services.acting_start(
        position=p["kapus"], employee=e["pengelola"], kind="plt", reason="SK 821/1/2026", by=SYSTEM
    )

    assert chain_of(e["employee"]) == (e["pengelola"].pk, ACTING, e["rater_superior"].pk, TREE)
    [record] = audit_of("organizations.actingofficial")
    assert (record.action, record.object_id) == ("create", str(acting.pk))
    assert record.after["employee"] == e["pengelola"].nip
    assert record.after["position"] == "DINKES-PKM-PLAJU-KEPALA"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "xyz"}, "kind"),
        ({"reason": "  "}, "reason"),
        ({"ends_on": "yesterday"}, "ends_on"),
        ({"employee": "holder"}, "employee"),
    ],
)
def test_acting_start_refuses_bad_input_and_changes_nothing(cast, change, field):
    e, p = cast.employees, cast.positions
    kwargs = {"position": p["kapus"], "employee": e["pengelola"], "kind": "plt", "reason": "SK 1"}
    if change.get("ends_on") == "yesterday":
        change = {"ends_on": timezone.localdate() - timedelta(days=1)}
    if change.get("employee") == "holder":
        change = {"employee": e["rater"]}
    records = AuditRecord.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.acting_start(**(kwargs | change), by=SYSTEM)

    assert field in caught.value.message_dict
    assert not ActingOfficial.objects.exists()
    assert AuditRecord.objects.count() == records


def test_a_second_acting_official_for_one_position_is_refused(cast):
    e, p = cast.employees, cast.positions
    services.acting_start(
        position=p["kapus"], employee=e["pengelola"], kind="plt", reason="SK 1", by=SYSTEM
    )

    with pytest.raises(ValidationError) as caught:
        services.acting_start(
            position=p["kapus"], employee=e["colleague"], kind="plh", reason="SK 2", by=SYSTEM
        )

    assert "position" in caught.value.message_dict
    assert ActingOfficial.objects.count() == 1


def test_acting_end_returns_the_chain_to_the_next_official_and_is_audited(cast):
    e, p = cast.employees, cast.positions
    leave_position(e["rater"])
    acting = services.acting_start(
        position=p["kapus"], employee=e["pengelola"], kind="plt", reason="SK 1", by=SYSTEM
    )

    services.acting_end(acting=acting, by=SYSTEM)

    acting.refresh_from_db()
    assert acting.ended_at is not None
    assert chain_of(e["employee"])[:2] == (e["rater_superior"].pk, ESCALATED)
    assert [r.action for r in audit_of("organizations.actingofficial")] == ["create", "end"]
    with pytest.raises(ValidationError):
        services.acting_end(acting=acting, by=SYSTEM)


def test_override_start_beats_the_tree_and_override_end_restores_it(cast):
    e = cast.employees

    override = services.override_start(
        employee=e["employee"], rater=e["pengelola"], reason="ST Kadis 800/45", by=SYSTEM
    )

    assert chain_of(e["employee"]) == (e["pengelola"].pk, OVERRIDE, e["rater_superior"].pk, TREE)
    services.override_end(override=override, by=SYSTEM)
    assert chain_of(e["employee"]) == (e["rater"].pk, TREE, e["rater_superior"].pk, TREE)
    assert [r.action for r in audit_of("organizations.rateroverride")] == ["create", "end"]
    with pytest.raises(ValidationError):
        services.override_end(override=override, by=SYSTEM)


def test_a_new_override_ends_the_previous_one(cast):
    e = cast.employees
    first = services.override_start(
        employee=e["employee"], rater=e["pengelola"], reason="ST 1", by=SYSTEM
    )

    second = services.override_start(
        employee=e["employee"], rater=e["head"], reason="ST 2", by=SYSTEM
    )

    first.refresh_from_db()
    assert first.ended_at is not None
    assert RaterOverride.objects.filter(ended_at=None).get() == second
    assert chain_of(e["employee"])[:2] == (e["head"].pk, OVERRIDE)


def test_nobody_can_be_recorded_as_their_own_rater(cast):
    e = cast.employees

    with pytest.raises(ValidationError) as caught:
        services.override_start(
            employee=e["employee"], rater=e["employee"], reason="ST 1", by=SYSTEM
        )

    assert "rater" in caught.value.message_dict
    assert not RaterOverride.objects.exists()


def test_raters_refresh_ends_what_passed_its_planned_end_and_keeps_the_rest(cast):
    e, p = cast.employees, cast.positions
    today = timezone.localdate()
    leave_position(e["rater"])
    acting = services.acting_start(
        position=p["kapus"],
        employee=e["pengelola"],
        kind="plt",
        reason="SK 1",
        ends_on=today,
        by=SYSTEM,
    )
    override = services.override_start(
        employee=e["colleague"], rater=e["head"], reason="ST 1", ends_on=today, by=SYSTEM
    )
    lasting = services.override_start(
        employee=e["pengelola"], rater=e["head"], reason="ST 2", by=SYSTEM
    )

    # the planned end is still today
    assert services.raters_refresh(today=today, by=SYSTEM) == (0, 0)
    ended, changed = services.raters_refresh(today=today + timedelta(days=1), by=SYSTEM)

    assert ended == 2
    assert changed == 2  # the nurse rated by the Plt, and her colleague rated by override
    acting.refresh_from_db()
    override.refresh_from_db()
    lasting.refresh_from_db()
    assert acting.ended_at is not None and override.ended_at is not None
    assert lasting.ended_at is None
    assert chain_of(e["employee"])[:2] == (e["rater_superior"].pk, ESCALATED)
    assert chain_of(e["colleague"])[:2] == (e["rater_superior"].pk, ESCALATED)
    assert [r.action for r in audit_of("organizations.actingofficial")] == ["create", "end"]


def test_moving_the_rater_moves_their_rights(cast):
    e = cast.employees
    rater = cast.rater
    assert Employee.objects.visible_to(rater).filter(pk=e["employee"].pk).exists()
    assert Role.PEJABAT_PENILAI in scope_for(rater).roles

    outcome = apply_rows(
        rows={"employees": [Row(2, {"nip": e["rater"].nip, "kode_jabatan": "DUKCAPIL-OPERATOR"})]},
        by=SYSTEM,
    )
    assert outcome.ok, outcome.errors
    forget_scope(rater)

    assert not Employee.objects.visible_to(rater).filter(pk=e["employee"].pk).exists()
    assert e["employee"].pk not in {
        row.employee_id for row in RaterChain.objects.filter(rater=e["rater"])
    }
    assert Role.PEJABAT_PENILAI not in scope_for(rater).roles
    # The one above now rates the employee directly (the Kepala Puskesmas is vacant).
    forget_scope(cast.rater_superior)
    assert Role.PEJABAT_PENILAI in scope_for(cast.rater_superior).roles
    assert chain_of(e["employee"])[:2] == (e["rater_superior"].pk, ESCALATED)
