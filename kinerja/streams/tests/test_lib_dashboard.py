"""The dashboard's data (kinerja/streams/dashboard.py): exact figures from the Case rows, the
same as the contract's metrics, with individual data only for whom the viewer may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kinerja.streams.access import officers_visible_to
from kinerja.streams.dashboard import (
    BREACHED_SHOWN,
    DashboardFilter,
    FilterRefused,
    dashboard_data,
    duration_label,
    parse_filters,
    units_for_filter,
)
from kinerja.streams.ingest import catch_up
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import Case

from .support import case, dashboard_stream, send

WIB = ZoneInfo("Asia/Jakarta")
# A Wednesday afternoon without public holidays nearby.
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=WIB)
TODAY = NOW.date()


def data_for(stream, filters=None, officer_names=None, now=NOW):
    return dashboard_data(
        stream=stream,
        filters=filters or DashboardFilter(),
        officer_names=officer_names or {},
        now=now,
    )


@pytest.fixture
def stream(cast):
    return dashboard_stream(cast.dinkes)


def test_the_headline_is_the_contracts_metrics_for_today_and_the_last_30_days(cast, stream):
    minutes = timedelta(minutes=1)
    send(
        stream,
        case("T1", NOW - 60 * minutes, NOW - 50 * minutes),  # today, 10 min: within
        case("T2", NOW - 40 * minutes, NOW - 10 * minutes),  # today, 30 min: breached
        case("T3", NOW - 5 * minutes),  # today, open
        case("T4", NOW - 30 * minutes, NOW - 45 * minutes),  # today, inconsistent
        case("D1", NOW - timedelta(days=3), NOW - timedelta(days=3) + 12 * minutes),
        case("D2", NOW - timedelta(days=40), NOW - timedelta(days=40) + 3 * minutes),  # too old
        case("O1", NOW - timedelta(days=2)),  # open since two days ago
    )
    data = data_for(stream)
    today = compute(MetricsQuery(stream=stream, start=TODAY, end=TODAY))
    period = compute(MetricsQuery(stream=stream, start=TODAY - timedelta(days=29), end=TODAY))
    headline = data["headline"]
    assert headline["cases_today"] == today["cases_started"] == 4
    assert headline["completed_today"] == today["cases_completed"] == 2
    assert headline["open_now"] == today["open_cases_at_end"] == 2
    assert headline["cases_started"] == period["cases_started"] == 6
    assert headline["cases_completed"] == period["cases_completed"] == 3
    assert headline["median_seconds"] == period["duration_seconds"]["median"] == 720.0
    assert headline["p90_seconds"] == period["duration_seconds"]["p90"]
    assert headline["within_sla_pct"] == period["within_sla_pct"] == pytest.approx(66.67)
    assert headline["inconsistent_cases"] == 1
    assert headline["median_label"] == duration_label(720_000)
    assert data["period"] == {
        "start": (TODAY - timedelta(days=29)).isoformat(),
        "end": TODAY.isoformat(),
        "days": 30,
    }


def test_events_stored_a_moment_ago_are_in_the_figures_because_it_catches_up_first(cast, stream):
    send(stream, case("A", NOW - timedelta(minutes=3)), case("B", NOW - timedelta(minutes=2)))
    # In a test transaction the catch-up after the commit never runs: nothing merged yet.
    assert not Case.objects.filter(stream=stream).exists()
    assert data_for(stream)["headline"]["cases_today"] == 2


def test_cases_per_day_count_each_case_on_its_local_start_and_completion_day(cast, stream):
    yesterday_late = datetime(2026, 3, 10, 23, 55, tzinfo=WIB)  # 16:55 UTC on the 10th
    send(
        stream,
        case("night", yesterday_late, yesterday_late + timedelta(minutes=20)),
        case("noon", NOW - timedelta(hours=3), NOW - timedelta(hours=3, minutes=-5)),
        case("bad", NOW - timedelta(hours=1), NOW - timedelta(hours=2)),  # inconsistent
    )
    days = {d["day"]: d for d in data_for(stream)["per_day"]}
    assert len(days) == 30
    assert min(days) == (TODAY - timedelta(days=29)).isoformat()
    assert days["2026-03-10"] | {"label": "x"} == {
        "day": "2026-03-10",
        "label": "x",
        "started": 1,
        "completed": 0,
        "breached": 0,
        "within_sla_pct": None,
    }
    today = days["2026-03-11"]
    assert (today["started"], today["completed"], today["breached"]) == (2, 2, 1)
    assert today["within_sla_pct"] == 50.0
    assert today["label"] == "11/03"


def test_the_histogram_bins_quarters_of_the_sla_limit_and_keeps_the_limit_inside(cast, stream):
    start = NOW - timedelta(hours=5)
    send(
        stream,
        case("a", start, start + timedelta(minutes=1)),
        case("b", start, start + timedelta(minutes=15)),  # exactly the limit: within
        case("c", start, start + timedelta(minutes=15, seconds=1)),
        case("d", start, start + timedelta(minutes=50)),  # beyond three times the limit
    )
    durations = data_for(stream)["durations"]
    assert durations["measure"] == "elapsed"
    assert durations["sla_seconds"] == 900.0
    assert durations["cases"] == 4
    bins = durations["bins"]
    assert len(bins) == 13
    assert bins[0] == {"from_seconds": 0.0, "to_seconds": 225.0, "cases": 1}
    assert [b["cases"] for b in bins[3:5]] == [1, 1]  # (675, 900] and (900, 1125]
    assert bins[-1] | {"label": None} == {
        "from_seconds": 2700.0,
        "to_seconds": None,
        "cases": 1,
        "label": None,
    }
    assert bins[-1]["label"].startswith("> ")
    assert [t["seconds"] for t in durations["ticks"]] == [0.0, 900.0, 1800.0]


def test_a_working_hours_stream_bins_by_working_time_as_its_sla_counts(cast):
    stream = dashboard_stream(
        cast.dinkes, code="ktp", sla_limit=Decimal(8), sla_unit="working_hours"
    )
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=WIB)
    monday = datetime(2026, 3, 9, 9, 0, tzinfo=WIB)  # 66 hours later, 2 working hours
    send(stream, case("K1", friday, monday))
    data = data_for(stream)
    assert data["sla"]["working_time"] is True
    assert data["durations"]["measure"] == "working_time"
    assert data["durations"]["bins"][0]["cases"] == 1  # (0, 2 h]
    assert data["headline"]["within_sla_pct"] == 100.0
    assert data["headline"]["median_seconds"] == 66 * 3600.0  # the contract's elapsed time


@pytest.mark.parametrize(
    ("sla_unit", "sla_limit", "expected"),
    [
        (
            "minutes",
            15,
            [("lt_15m", 1, False), ("15m_1h", 1, True), ("1h_8h", 1, True),
             ("8h_1d", 1, True), ("gt_1d", 1, True)],
        ),
        (
            "hours",
            8,
            [("lt_1h", 2, False), ("1h_8h", 1, False), ("8h_1d", 1, True),
             ("1d_3d", 1, True), ("gt_3d", 0, True)],
        ),
        (
            "working_hours",
            8,
            [("lt_1h", 2, False), ("1h_8h", 1, False), ("8h_1d", 1, False),
             ("1d_3d", 1, False), ("gt_3d", 0, False)],
        ),
    ],
)  # fmt: skip
def test_open_cases_are_counted_by_age_and_add_up_to_open_now(cast, sla_unit, sla_limit, expected):
    stream = dashboard_stream(cast.dinkes, sla_unit=sla_unit, sla_limit=Decimal(sla_limit))
    ages = [timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2)]
    ages += [timedelta(hours=10), timedelta(days=2)]
    send(
        stream,
        *[case(f"open-{i}", NOW - age) for i, age in enumerate(ages)],
        case("done", NOW - timedelta(hours=3), NOW - timedelta(hours=2)),
        case("odd", NOW - timedelta(hours=3), NOW - timedelta(hours=4)),  # inconsistent
    )
    data = data_for(stream)
    buckets = [(b["key"], b["cases"], b["past_sla"]) for b in data["open_by_age"]]
    assert buckets == expected
    assert sum(b["cases"] for b in data["open_by_age"]) == data["headline"]["open_now"] == 5


def test_breached_cases_come_most_recent_first_and_name_only_officers_the_viewer_may_see(
    cast, stream
):
    mine = cast.employees["employee"].nip
    other = cast.employees["colleague"].nip
    unit = cast.units["pkm"].code
    start = NOW - timedelta(hours=6)
    send(
        stream,
        case("early", start, start + timedelta(hours=1), unit=unit, officer=mine),
        case("late", start, start + timedelta(hours=2), unit=unit, officer=other),
        case("fine", start, start + timedelta(minutes=5), unit=unit, officer=mine),
    )
    breached = data_for(stream, officer_names={mine: "Siti"})["breached"]
    assert breached["total"] == 2
    rows = breached["cases"]
    assert [r["case"] for r in rows] == ["late", "early"]
    assert (rows[0]["officer"], rows[0]["officer_name"]) == (None, None)
    assert (rows[1]["officer"], rows[1]["officer_name"]) == (mine, "Siti")
    assert rows[1]["unit"] == unit
    assert rows[1]["duration_seconds"] == rows[1]["sla_duration_seconds"] == 3600.0
    assert rows[1]["completed_label"] == "11/03 10.00"


def test_the_breached_list_is_bounded_but_its_total_is_not(cast, stream):
    start = NOW - timedelta(hours=8)
    send(
        stream,
        *[case(f"late-{i}", start, start + timedelta(minutes=20 + i)) for i in range(25)],
    )
    breached = data_for(stream)["breached"]
    assert breached["total"] == 25
    assert breached["shown"] == len(breached["cases"]) == BREACHED_SHOWN


def test_a_unit_or_officer_filter_narrows_every_panel(cast, stream):
    pkm = cast.units["pkm"]
    nip = cast.employees["employee"].nip
    start = NOW - timedelta(hours=2)
    send(
        stream,
        case("p1", start, start + timedelta(hours=1), unit=pkm.code, officer=nip),
        case("p2", start, unit=pkm.code),
        case("y1", start, start + timedelta(hours=1), unit=cast.units["yankes"].code),
        case("y2", start),
    )
    whole = data_for(stream)
    unit = data_for(stream, DashboardFilter(unit_id=pkm.pk, unit_code=pkm.code))
    officer = data_for(stream, DashboardFilter(officer=nip))
    assert [d["headline"]["cases_today"] for d in (whole, unit, officer)] == [4, 2, 1]
    assert [d["headline"]["open_now"] for d in (whole, unit, officer)] == [2, 1, 0]
    assert [d["breached"]["total"] for d in (whole, unit, officer)] == [2, 1, 1]
    assert [d["durations"]["cases"] for d in (whole, unit, officer)] == [2, 1, 1]
    assert unit["filters"] == {"unit": pkm.code, "officer": None}


@pytest.mark.parametrize(
    ("params", "outcome"),
    [
        ({}, (None, None)),
        ({"unit": "DINKES-PKM-PLAJU"}, ("DINKES-PKM-PLAJU", None)),
        ({"unit": " dinkes-pkm-plaju "}, ("DINKES-PKM-PLAJU", None)),
        ({"unit": "DUKCAPIL"}, 400),  # a unit of another agency
        ({"unit": "NO-SUCH-UNIT"}, 400),
        ({"officer": "12345"}, 400),
        ({"officer": "colleague"}, 403),
        ({"officer": "employee"}, (None, "employee")),
        ({"officer": "employee spaced"}, (None, "employee")),
    ],
)
def test_filters_are_checked_against_what_the_viewer_may_choose(cast, stream, params, outcome):
    nips = {key: cast.employees[key].nip for key in ("employee", "colleague")}

    def nip_of(value):
        if value == "employee spaced":
            nip = nips["employee"]
            return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        return nips.get(value, value)

    params = {k: nip_of(v) if k == "officer" else v for k, v in params.items()}
    viewer = cast.employee
    units = units_for_filter(stream=stream, viewer=viewer)
    officers = officers_visible_to(viewer)
    if isinstance(outcome, int):
        with pytest.raises(FilterRefused) as refused:
            parse_filters(params=params, units=units, officers=officers)
        assert refused.value.status == outcome
        return
    chosen = parse_filters(params=params, units=units, officers=officers)
    unit_code, officer = outcome
    assert chosen.unit_code == unit_code
    assert chosen.officer == (nips[officer] if officer else None)
    assert (chosen.unit_id is None) == (unit_code is None)


def test_the_unit_filter_offers_the_units_of_the_streams_agency_only(cast, stream):
    codes = [u.code for u in units_for_filter(stream=stream, viewer=cast.auditor)]
    assert codes == ["DINKES", "DINKES-PKM-PLAJU", "DINKES-YANKES"]


@pytest.mark.parametrize(
    ("ms", "label"),
    [
        (None, None),
        (0, "0 s"),
        (59_400, "59 s"),
        (12 * 60_000, "12 min"),
        (3 * 3_600_000 + 5 * 60_000, "3 h 05 min"),
        (50 * 3_600_000, "2 d 2 h"),
    ],
)
def test_durations_read_as_short_words(ms, label):
    from django.utils import translation

    with translation.override("en"):
        assert duration_label(ms) == label


def test_the_target_share_is_a_setting_with_a_default_of_90(cast, stream, settings):
    assert data_for(stream)["sla"]["target_pct"] == 90.0
    settings.KINERJA_STREAM_SLA_TARGET_PCT = 95
    assert data_for(stream)["sla"] == {
        "limit": 15.0,
        "unit": "minutes",
        "limit_seconds": 900.0,
        "working_time": False,
        "target_pct": 95.0,
    }


def test_the_update_time_is_shown_in_the_regions_time_zone(cast, stream):
    data = data_for(stream, now=datetime(2026, 3, 11, 7, 5, 9, tzinfo=ZoneInfo("UTC")))
    assert data["updated_label"] == "14.05.09 WIB"
    assert data["computed_at"] == "2026-03-11T14:05:09+07:00"


def test_an_empty_stream_has_zeros_and_no_durations(cast, stream):
    catch_up(stream)
    data = data_for(stream)
    assert data["headline"]["cases_today"] == 0
    assert data["headline"]["median_seconds"] is None
    assert data["headline"]["within_sla_pct"] is None
    assert data["breached"] == {"total": 0, "shown": 0, "cases": []}
    assert all(b["cases"] == 0 for b in data["durations"]["bins"])
