"""The loader of the Plaju demo: reads ``kinerja/demo/data/*.yaml`` and calls the operations.

The parts, in the order they load (each adds only what is missing, so loading again changes
nothing):

* :mod:`.organisation` — the region, agencies, units, positions, employees, accounts, roles,
  one Plt and one rater override;
* :mod:`.strategy` — the RPJMD, the agencies' goals, indicators, targets, agreements,
  realisations and evidence;
* :mod:`.streams` — two streams of service data with a year of generated events, and their
  alert rules;
* :mod:`.plans` (with :mod:`.year` and :mod:`.ratings`) — every employee's plan for the year
  and the year's story: realisations, feedback, ratings, a development plan, an objection;
  then :mod:`.coaching` — coaching items for the rated quarter's slipping indicators and the
  breached alert.

The loader only reads the data, calls the operations and counts: every write goes through an
operation of the app that owns the data, inside one transaction and the demo's audit door (the
audit trail shows the changes as the ``demo`` through the command door). Where a step is the
act of a person (an employee submits, a rater rates), that person's account acts; the rest is
done by :data:`~kinerja.core.actors.SYSTEM`. Every day of loading gives the same demo relative
to that day (``common.REFERENCE_DAY`` fixes the day for tests).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import Channel

from ..permissions import may_load_demo
from .common import DemoError, LoadResult
from .organisation import load_organisation
from .plans import load_plans
from .strategy import load_strategy
from .streams import load_streams

__all__ = ["DemoError", "LoadResult", "load"]


def load() -> LoadResult:
    """Load the Plaju demo (demo mode only). Safe to run again: what is in place stays."""
    if not may_load_demo(SYSTEM):
        raise DemoError(
            _(
                "The demo can be loaded in demo mode only (set KINERJA_DEMO=1): it gives every "
                "account a known password."
            )
        )
    try:
        with transaction.atomic(), audit.door(Channel.COMMAND, None, label="demo"):
            result = LoadResult()
            load_organisation(result)
            result.strategy = load_strategy()
            result.streams = load_streams()
            result.skp = load_plans()
            return result
    except PermissionDenied as refused:
        raise DemoError(str(refused)) from None
