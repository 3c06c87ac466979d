"""Fixtures shared by the organisational-performance tests: the workbook's performance data,
the LKjIP table and planted formulas; the API's tokens, clients and indicators; a stream with a
year of cases; indicators, a plan and a goal of the service tests. A module's own fixture of the
same name wins over these."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Agency
from kinerja.strategy import report, services
from kinerja.strategy.models import Indicator, Realisation

from . import stream_support
from .api_support import URL, _names, enter, make_indicator, new_indicator
from .support import PLANTED, agreement_indicator, save_plan
from .workbook_support import YEAR, build_performance

# --- The indicator workbook and the LKjIP report --------------------------------------------------


@pytest.fixture
def performance(cast):
    return build_performance(cast)


@pytest.fixture
def table(cast):
    build_performance(cast)
    return report.chapter_three(
        agency=cast.dinkes, year=YEAR, now=datetime(YEAR + 1, 1, 15, 2, 30, tzinfo=UTC)
    )


@pytest.fixture
def planted(cast):
    """DINKES' performance data with user text that begins like formulas."""
    performance = build_performance(cast)
    Indicator.objects.filter(pk=performance.response.pk).update(
        name=PLANTED, unit_of_measure="-menit"
    )
    Realisation.objects.filter(indicator=performance.response, month=1).update(
        note="@SUM(A1:A9)", hindering="+banjir"
    )
    Agency.objects.filter(pk=cast.dinkes.pk).update(name="=Dinas Kesehatan")
    return performance


# --- The API --------------------------------------------------------------------------------------


@pytest.fixture
def bearer():
    """``bearer(user)``: the Authorization header of a fresh personal token of ``user``."""

    def make(user) -> dict[str, str]:
        _, secret = token_create(name=f"indicators-{next(_names)}", user=user, by=SYSTEM)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def api_get(client, bearer):
    def get(user, path=URL, **query):
        return client.get(path, query, **bearer(user))

    return get


@pytest.fixture
def api_post_to(client, bearer):
    def post(user, path, body):
        return client.post(path, json.dumps(body), content_type="application/json", **bearer(user))

    return post


@pytest.fixture
def sasaran(cast):
    plan = services.plan_save(
        by=SYSTEM,
        region=cast.dinkes.region,
        title="RPJMD 2024–2028",
        start_year=2024,
        end_year=2028,
        vision="Kota sehat",
        missions=["Meningkatkan kualitas pelayanan publik"],
    )
    goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=plan.missions.get(),
        code="T1",
        text="Masyarakat sehat",
    )
    return services.strategic_target_save(
        by=SYSTEM, goal=goal, code="S1.1", text="Layanan gawat darurat"
    )


@pytest.fixture
def indicators(cast, sasaran):
    """Four DINKES indicators with known numbers for 2025 (and one of DUKCAPIL); every value
    verified but IKU-01's July (25), which waits for verification."""
    by = cast.pengelola
    higher = make_indicator(
        cast.dinkes,
        "IKU-01",
        name="Persentase puskesmas terakreditasi",
        aggregation="average",
        strategic_target=sasaran,
        owner_unit=cast.units["pkm"],
        owner_position=cast.positions["kapus"],
        target=D("20"),
        quarters=[D("20"), D("20"), None, D("20")],
    )
    for month, value in [(1, "10"), (2, "20"), (3, "20"), (7, "25")]:
        enter(higher, month, value, by)
    lower = make_indicator(
        cast.dinkes,
        "IKU-02",
        name="Waktu respon kegawatdaruratan",
        unit_of_measure="menit",
        polarity="lower_is_better",
        aggregation="average",
        target=D("15"),
        quarters=[D("15")] * 4,
    )
    enter(lower, 1, "12", by)
    enter(lower, 4, "18", by)
    ranged = make_indicator(
        cast.dinkes,
        "IKU-03",
        polarity="range",
        aggregation="last",
        period_type="quarterly",
        low=D("80"),
        high=D("90"),
        quarters=[(D("80"), D("90"))] * 4,
    )
    enter(ranged, 3, "72", by)
    enter(ranged, 6, "85", by)
    formula = make_indicator(
        cast.dinkes, "IKU-04", formula="{IKU-01} / 2", aggregation="average", target=D("10")
    )
    zero = make_indicator(cast.dinkes, "IKU-05", target=D("0"))
    enter(zero, 1, "5", by)
    foreign = make_indicator(cast.dukcapil, "IKU-01", target=D("8"))
    # Setup shortcut: every value verified (only verified values count) but IKU-01's July,
    # which waits for verification — shown, not counted.
    Realisation.objects.current().filter(indicator__agency=cast.dinkes).exclude(
        indicator=higher, month=7
    ).update(state="verified")
    return {
        "higher": higher,
        "lower": lower,
        "range": ranged,
        "formula": formula,
        "zero": zero,
        "foreign": foreign,
    }


@pytest.fixture
def iku(cast):
    """A DINKES indicator without an owning position: the agency head verifies it."""
    return new_indicator(cast.dinkes, "IKU-01")


@pytest.fixture
def owned(cast):
    """A DINKES indicator owned by the nurses' position: its holders enter, their rater
    verifies."""
    return new_indicator(cast.dinkes, "IKU-02", owner_position=cast.positions["perawat"])


# --- Stream-bound indicators ----------------------------------------------------------------------


@pytest.fixture
def stream(cast):
    return stream_support.stream_with_cases(cast, stream_support.YEAR)


# --- The services ---------------------------------------------------------------------------------


@pytest.fixture
def response_time(cast):
    return agreement_indicator(cast.dinkes)


@pytest.fixture
def plan(cast):
    return save_plan(cast.dinkes.region)


@pytest.fixture
def goal(cast, plan):
    return services.goal_save(
        by=SYSTEM, agency=cast.dinkes, mission=plan.missions.get(number=2), code="T1", text="Sehat"
    )
