"""What every part of the loader shares: the data files, the day of loading, the refusal and
the counts the command reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The day the demo is loaded as; ``None``: today. Tests fix it, so that what they check does
#: not depend on the day they run (any day up to today is allowed: nothing lies in the future).
REFERENCE_DAY: date | None = None


@cache
def read(name: str) -> dict:
    """The data file ``data/<name>.yaml``, parsed (safely: plain data only)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class DemoError(Exception):
    """The demo cannot be loaded (not in demo mode, or the stored data contradicts it)."""


def today() -> date:
    return REFERENCE_DAY or timezone.localdate()


def now() -> datetime:
    """The moment of loading: ``REFERENCE_DAY`` at 09:00 (region time) in tests."""
    if REFERENCE_DAY is None:
        return timezone.now()
    return at(REFERENCE_DAY, 9)


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock of ``day`` in the region's time zone."""
    return datetime.combine(day, time(hour), ZoneInfo(settings.TIME_ZONE))


@dataclass
class LoadResult:
    """What a load created, part by part (the command reports it)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    accounts_created: int = 0
    roles_assigned: int = 0
    acting_started: bool = False
    override_started: bool = False
    #: the performance part (loader.strategy)
    strategy: dict[str, int] = field(default_factory=dict)
    #: the service data (loader.streams)
    streams: dict[str, int] = field(default_factory=dict)
    #: the plans and the year's story (loader.plans)
    skp: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        created_or_updated = sum(
            c.get("created", 0) + c.get("updated", 0) for c in self.counts.values()
        )
        return bool(
            created_or_updated
            or self.accounts_created
            or self.roles_assigned
            or self.acting_started
            or self.override_started
            or any(self.strategy.values())
            or self.streams.get("events", 0)
            or self.streams.get("alert_rules", 0)
            or any(self.skp.values())
        )
