"""Who heads a unit: one definition for every app (curve, organisation predicate, alerts).

A unit's **head position** is its most senior structural position (JPT > Administrator >
Pengawas, then by code) that does not report to another position of the same unit. Its
**head** is the acting official (Plt/Plh) of that position while one is appointed, otherwise
its holder; a vacant position without an acting official leaves the unit without a head.
:func:`unit_leaders` goes further, as alerts need someone to tell: from a headless unit it
climbs to the parent unit, and above the top unit to the head of the agency.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Employee, Position, PositionKind, RaterChain, Unit

#: Structural kinds, most senior first.
SENIORITY = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


def _seniority(position: Position) -> tuple[int, str]:
    return SENIORITY.index(position.kind), position.code


def leads_its_unit(position: Position) -> bool:
    """Whether ``position`` is a structural position not reporting within its own unit (its
    ``reports_to`` loaded). The head position is the most senior of these."""
    if position.kind not in SENIORITY:
        return False
    return position.reports_to is None or position.reports_to.unit_id != position.unit_id


def head_position(unit: Unit) -> Position | None:
    """The unit's head position (see the module's docstring), or ``None``. One query."""
    candidates = [
        p
        for p in Position.objects.filter(unit=unit, kind__in=SENIORITY).select_related("reports_to")
        if leads_its_unit(p)
    ]
    return min(candidates, key=_seniority, default=None)


def occupants(position_id: int) -> list[Employee]:
    """Whoever fills a position now: its acting officials while appointed, else its active
    holders (by id). Two queries at most."""
    acting = list(
        Employee.objects.filter(
            acting_in__position_id=position_id, acting_in__ended_at=None, active=True
        ).order_by("pk")
    )
    if acting:
        return acting
    return list(Employee.objects.filter(position_id=position_id, active=True).order_by("pk"))


def unit_head(unit: Unit) -> Employee | None:
    """The unit's head: the Plt/Plh of its head position, else its holder; ``None`` when the
    unit has no head position or it is vacant."""
    position = head_position(unit)
    if position is None:
        return None
    people = occupants(position.pk)
    return people[0] if people else None


def unit_leaders(unit: Unit | None, *, agency_head_position_id: int | None) -> list[Employee]:
    """Whoever leads ``unit``, climbing past headless units to their parents; at the top (or
    for no unit) the occupants of the agency's head position."""
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        position = head_position(unit)
        if position is not None:
            people = occupants(position.pk)
            if people:
                return people
        unit = unit.parent
    return occupants(agency_head_position_id) if agency_head_position_id else []


def units_headed_by_those_rated(rater_id: int, chains: Iterable[RaterChain]) -> list[Unit]:
    """The units whose head is rated by ``rater_id``, from the rater's chains (their
    ``employee__position__reports_to`` and ``employee__position__unit`` loaded)."""
    units: dict[int, Unit] = {}
    for chain in chains:
        position = chain.employee.position
        if chain.rater_id == rater_id and position is not None and leads_its_unit(position):
            units[position.unit_id] = position.unit
    return sorted(units.values(), key=lambda u: u.code)
