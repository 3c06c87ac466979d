"""The year's edges in the demo (``data/story.yaml``, ``edges``): a mid-year entrant whose plan
starts on the TMT of his position, and one functional employee's credit-point ledger — her
earlier quarters rated, the last of them corrected on record, and her last PAK as its base.

Every step goes through the operations with the moment it happened (``now=``), so the periods'
life (:mod:`kinerja.evaluations.lifecycle`) holds as it would for real users."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kinerja.core.periods import QUARTER, Period
from kinerja.evaluations import services
from kinerja.evaluations.lifecycle import period_window

from . import common, organisation
from .year import STORY, Year, month_end

EDGES: dict = STORY["edges"]
ENTRANT: dict = EDGES["entrant"]
LEDGER: dict = EDGES["ledger"]


def entrant_start(year: Year, employee) -> dict[str, Any]:
    """The arguments of ``skp_create`` for the story's entrant: his TMT (the first day of the
    rated quarter, from the second quarter on), the SK number, recorded by the region's
    administrator. Empty for everyone else, and while the first quarter is the rated one."""
    if year.name(employee) != ENTRANT["person"] or year.quarter < 2:
        return {}
    return {"start": date(year.year, year.quarter * 3 - 2, 1), "sk_number": ENTRANT["sk_number"]}


def counts_quarter(skp, quarter: int) -> bool:
    """Whether the plan has begun by the end of ``quarter`` (an entrant's earlier quarters have
    no realisations)."""
    return skp.starts_on <= month_end(skp.year, quarter * 3)


def quarter_open(year: Year, skp) -> bool:
    """Whether the rated quarter may be rated on the day of loading (from 1 April on)."""
    return not period_window(skp, Period(year.year, QUARTER, year.quarter), year.today).upcoming


def earlier_quarters(year: Year) -> None:
    """The story's functional employee: each quarter before the rated one rated on the 3rd of
    the month after it; the last corrected two days later; her last PAK recorded."""
    employee = year.by_name.get(LEDGER["person"])
    skp = year.plans.get(employee.pk) if employee else None
    if skp is None or skp.rater_id is None:
        return
    rater = year.user(skp.rater_id)
    evaluation = None
    for quarter, (results, behaviour) in enumerate(LEDGER["ratings"][: year.quarter - 1], 1):
        moment = common.at(month_end(year.year, quarter * 3) + timedelta(days=3))
        evaluation = services.evaluation_rate(
            skp=skp, by=rater, period=f"{year.year}-Q{quarter}", results_rating=results,
            behaviour_rating=behaviour, now=moment,
        )  # fmt: skip
        year.counts["evaluations"] += 1
    if evaluation is not None:
        fix = LEDGER["correction"]
        services.evaluation_correct(
            evaluation=evaluation, by=rater, results_rating=fix["results"],
            behaviour_rating=fix["behaviour"], reason=fix["reason"],
            now=evaluation.rated_at + timedelta(days=1),
        )  # fmt: skip
    _pak(year, employee)


def _pak(year: Year, employee) -> None:
    pak = LEDGER["pak"]
    who = year.by_name[organisation.person(pak["by"]).name]
    services.credit_base_set(
        employee=employee, by=year.user(who.pk), amount=pak["amount"],
        pak_number=pak["number"], pak_date=date(year.year - 1, 12, 31), today=year.today,
    )  # fmt: skip
