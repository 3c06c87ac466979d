"""Who rates whom: the rule of domain.md §3 as one pure function.

The rater of an employee is the holder of the position their position reports to. Exceptions,
in order: a recorded override for the employee; an acting official (Plt/Plh) in a position
without a holder; a vacant position, skipped upwards to the next official ("escalated"); the
top of the tree, whose rater is the head of region (not an employee). The rater's superior is
the rater's own rater. Nobody rates themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .models import RaterBasis


@dataclass(frozen=True)
class Link:
    rater_id: int | None
    rater_basis: str
    superior_id: int | None
    superior_basis: str


@dataclass(frozen=True)
class OrgGraph:
    """The facts the rule needs, as plain maps (so that it is cheap to build and to test)."""

    reports_to: Mapping[int, int | None]  # position → the position it reports to
    holders: Mapping[int, list[int]]  # position → active employees holding it, by id
    acting: Mapping[int, int]  # position → active acting official
    position_of: Mapping[int, int | None]  # active employee → position
    overrides: Mapping[int, int]  # employee → rater chosen by a recorded override


def _official(graph: OrgGraph, position_id: int | None, me: int) -> tuple[int | None, str]:
    basis = RaterBasis.TREE
    seen: set[int] = set()
    current = position_id
    while current is not None and current not in seen:
        seen.add(current)
        holders = [h for h in graph.holders.get(current, ()) if h != me]
        if holders:
            return min(holders), basis
        acting = graph.acting.get(current)
        if acting is not None and acting != me:
            return acting, RaterBasis.ACTING if basis == RaterBasis.TREE else basis
        basis = RaterBasis.ESCALATED
        current = graph.reports_to.get(current)
    return None, RaterBasis.REGION_HEAD


def rater_of(graph: OrgGraph, employee_id: int) -> tuple[int | None, str]:
    override = graph.overrides.get(employee_id)
    if override is not None and override != employee_id and override in graph.position_of:
        return override, RaterBasis.OVERRIDE
    position = graph.position_of.get(employee_id)
    if position is None:
        return None, RaterBasis.NONE
    return _official(graph, graph.reports_to.get(position), employee_id)


def resolve(graph: OrgGraph) -> dict[int, Link]:
    raters = {emp: rater_of(graph, emp) for emp in graph.position_of}
    links = {}
    for emp, (rater, basis) in raters.items():
        if rater is None:
            links[emp] = Link(None, basis, None, RaterBasis.NONE)
            continue
        superior, superior_basis = raters.get(rater, (None, RaterBasis.NONE))
        if superior == emp:
            # Two people who rate each other (only possible through overrides): stop there.
            superior, superior_basis = None, RaterBasis.NONE
        links[emp] = Link(rater, basis, superior, superior_basis)
    return links
