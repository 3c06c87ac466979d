"""Import of a real export: 1,000 requests to New York City's 311 line (shared/data/real),
one row per case with a creation and a closing time, through ``kinerja events import``; the
metrics API must give exactly the figures computed here, independently, straight from the CSV.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams.models import Case, Event, Stream
from kinerja.testing.factories import AgencyFactory, UnitFactory

NAME = "nyc311-2024-05-27.csv"
FILE_ZONE = ZoneInfo("Asia/Jakarta")  # the README: naive times are local times of the region
SLA_SECONDS = 3600  # one hour: a share that is neither 0 nor 100 %
FIRST, LAST = date(2024, 5, 26), date(2024, 5, 27)


# A copy of ../shared/data/real/nyc311-2024-05-27.csv (public NYC Open Data, see data/README.md)
# kept with the tests, so that the test runs wherever the repository is checked out.
EXPORT = Path(__file__).resolve().parent / "data" / NAME


# --- The figures, straight from the CSV ---------------------------------------------------------


def read_cases() -> list[dict]:
    """One dict per request: key, agency, local start and completion (aware)."""
    cases = []
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            created = datetime.fromisoformat(row["created_date"]).replace(tzinfo=FILE_ZONE)
            closed = row["closed_date"]
            cases.append(
                {
                    "key": row["unique_key"],
                    "agency": row["agency"],
                    "created": created,
                    "closed": (
                        datetime.fromisoformat(closed).replace(tzinfo=FILE_ZONE) if closed else None
                    ),
                }
            )
    return cases


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def interpolate(values: list[int], fraction: float) -> float:
    """NumPy's default percentile: linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def expected(cases: list[dict], first: date, last: date) -> dict:
    def inconsistent(c):
        return c["closed"] is not None and c["closed"] < c["created"]

    started = [c for c in cases if first <= local_day(c["created"]) <= last]
    completed = [
        c
        for c in cases
        if c["closed"] and not inconsistent(c) and first <= local_day(c["closed"]) <= last
    ]
    still_open = [
        c
        for c in cases
        if not inconsistent(c)
        and local_day(c["created"]) <= last
        and (c["closed"] is None or local_day(c["closed"]) > last)
    ]
    durations_ms = [
        int((c["closed"] - c["created"]) / timedelta(milliseconds=1)) for c in completed
    ]
    within = sum(1 for ms in durations_ms if ms <= SLA_SECONDS * 1000)

    def seconds(ms: float) -> float:
        return round(ms / 1000, 3)

    durations = None
    if durations_ms:
        mean = Decimal(sum(durations_ms)) / len(durations_ms) / 1000
        durations = {
            "median": seconds(interpolate(durations_ms, 0.5)),
            "p90": seconds(interpolate(durations_ms, 0.9)),
            "mean": float(mean.quantize(Decimal("0.001"), ROUND_HALF_UP)),
        }
    pct = None
    if completed:
        pct = float(
            (Decimal(within) * 100 / len(completed)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
    return {
        "cases_started": len(started),
        "cases_completed": len(completed),
        "open_cases_at_end": len(still_open),
        "duration_seconds": durations,
        "within_sla_pct": pct,
        "excluded_cases": 0,
        "inconsistent_cases": sum(1 for c in started if inconsistent(c)),
    }


def figures_of(answer: dict) -> dict:
    keys = (
        "cases_started", "cases_completed", "open_cases_at_end", "duration_seconds",
        "within_sla_pct", "excluded_cases", "inconsistent_cases",
    )  # fmt: skip
    return {k: answer[k] for k in keys}


# --- The import and the API -----------------------------------------------------------------------


@pytest.fixture
def nyc(db):
    agency = AgencyFactory(code="NYC311")
    return agency


def make_stream(agency, code: str) -> Stream:
    return Stream.objects.create(
        code=code,
        name="NYC 311",
        agency=agency,
        stages=["diajukan", "selesai"],
        start_stage="diajukan",
        end_stage="selesai",
        sla_limit=SLA_SECONDS // 3600,
        sla_unit="hours",
    )


def import_export(stream: Stream, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "events", "import", "--stream", stream.code, str(EXPORT),
        "--case-column", "unique_key",
        "--stage", "diajukan=created_date",
        "--stage", "selesai=closed_date",
        "--unit-column", "agency",
        "--assume-time-zone", "Asia/Jakarta",
        "--attribute-columns", "complaint_type,borough",
        *extra,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def reader(client, stream: Stream):
    """``read(**params)``: the metrics API's answer, read with a token of the stream."""
    _token, secret = token_create(
        name=f"reader-{stream.code}", user=None, streams=[stream], by=SYSTEM
    )

    def read(**params) -> dict:
        response = client.get(
            f"/api/v1/streams/{stream.code}/metrics",
            params,
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 200, response.content
        return response.json()

    return read


def test_the_export_holds_what_its_readme_says():
    cases = read_cases()
    assert len(cases) == 1000
    assert sum(1 for c in cases if c["closed"]) == 677
    # None closes before it was created: no inconsistent case (the figures would say so).
    assert [c["key"] for c in cases if c["closed"] and c["closed"] < c["created"]] == []


def test_importing_the_nyc311_export_gives_exactly_the_figures_computed_from_the_csv(nyc, client):
    cases = read_cases()
    agencies = Counter(c["agency"] for c in cases)
    for code in agencies:
        UnitFactory(agency=nyc, code=code)
    stream = make_stream(nyc, "nyc311")

    out = import_export(stream)
    assert "Accepted 1677 events, of which 0 duplicates" in out
    assert Event.objects.filter(stream=stream).count() == 1000 + 677
    assert Event.objects.get(event_id=f"{cases[0]['key']}:diajukan").attributes == {
        "complaint_type": "Street Condition",
        "borough": "MANHATTAN",
    }

    metrics = reader(client, stream)
    answer = metrics(start=FIRST, end=LAST, group="day")
    assert figures_of(answer) == expected(cases, FIRST, LAST)
    assert answer["cases_started"] == 1000
    assert answer["cases_completed"] == 677
    assert answer["open_cases_at_end"] == 323
    for period in answer["series"]:
        day = date.fromisoformat(period["period"])
        assert figures_of(period) == expected(cases, day, day), day

    # The first night alone: cases opened on the 26th and still open at its end.
    first_day = metrics(start=FIRST, end=FIRST)
    assert figures_of(first_day) == expected(cases, FIRST, FIRST)

    # Units (the agency column): the busiest; one with a single closed request; one with none
    # closed (no durations, no SLA share: null).
    for code in ("NYPD", "DPR", "HPD"):
        own = [c for c in cases if c["agency"] == code]
        answer = metrics(start=FIRST, end=LAST, unit=code)
        assert figures_of(answer) == expected(own, FIRST, LAST), code
        assert answer["cases_started"] == agencies[code]

    # Importing the same export again stores nothing twice.
    assert "Accepted 1677 events, of which 1677 duplicates" in import_export(stream)
    assert figures_of(metrics(start=FIRST, end=LAST)) == expected(cases, FIRST, LAST)


def test_the_export_imported_without_its_units_keeps_every_case(nyc, client):
    stream = make_stream(nyc, "nyc311-no-units")
    out = import_export(stream, "--unknown-units", "ignore")
    assert "NYPD (1609)" in out  # 935 requests, 674 of them closed: 1,609 events
    assert not Case.objects.filter(stream=stream, unit__isnull=False).exists()
    cases = read_cases()
    answer = reader(client, stream)(start=FIRST, end=LAST)
    assert figures_of(answer) == expected(cases, FIRST, LAST)
