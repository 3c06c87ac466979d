"""Coaching when a measure slips, in the demo: after the year's story, the raters get a
coaching item for each indicator whose value in the rated quarter is below expectation (e.g.
dr. Nyimas Farida Hanum for her nurses who slipped), and dr. Rizky Pratama one about dr. Nyimas
from the breached emergency-response alert at Puskesmas Plaju — through the evaluations'
operations, as the installation (``SYSTEM``), as the daily ``kinerja evaluations coaching``
would. Called before the story's notices are cleared: the raters find the items in their
worklist (``evaluations.selectors.coaching_items_to_act``) and on each item's page."""

from __future__ import annotations

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import Period
from kinerja.evaluations import services

from .year import Year


def load_coaching(year: Year) -> None:
    period = Period.of_quarter(year.year, year.quarter)
    if period.end < year.today:  # the rated quarter has ended (from April on)
        services.coaching_refresh(period=period, by=SYSTEM)
    services.coaching_from_open_breaches(by=SYSTEM)
