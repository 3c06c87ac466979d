"""GET /api/v1/indicators/{id} (and the list) of a stream-bound indicator: the values computed
from the stream and a ``provenance`` object — stream, metric, filter, period, cases, when
computed; an officer's own figures only for the officer and their raters; no ``provenance`` for
other indicators."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams.bindings import metric_value
from kinerja.streams.metrics import MetricsQuery, compute

from .stream_support import bound, stream_with_cases
from .support import build_sample

URL = "/api/v1/indicators"
YEAR = timezone.localdate().year - 1
_names = itertools.count()


@pytest.fixture
def api_get(client):
    def get(user, path, **query):
        _, secret = token_create(name=f"provenance-{next(_names)}", user=user, by=SYSTEM)
        return client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


@pytest.fixture
def stream(cast):
    return stream_with_cases(cast, YEAR)


def test_a_bound_indicator_carries_its_provenance_and_the_streams_values(cast, api_get, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, "duration_p90", unit=cast.units["pkm"])
    response = api_get(cast.head, f"{URL}/{ind.pk}", year=YEAR)
    assert response.status_code == 200
    data = response.json()
    provenance = data["provenance"]
    year = compute(
        MetricsQuery(
            stream=stream,
            start=date(YEAR, 1, 1),
            end=date(YEAR, 12, 31),
            unit_id=cast.units["pkm"].pk,
            unit_code="DINKES-PKM-PLAJU",
        )
    )
    assert provenance["stream"] == {"code": "gawat-darurat", "name": "Penanganan kegawatdaruratan"}
    assert provenance["metric"] == "duration_p90"
    assert provenance["unit"] == "DINKES-PKM-PLAJU"
    assert provenance["officer"] is None and provenance["individual"] is False
    assert provenance["duration_unit"] == "minutes"
    assert (provenance["start"], provenance["end"]) == (f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert provenance["visible"] is True
    assert provenance["cases"] == year["cases_completed"]
    computed = datetime.fromisoformat(provenance["computed_at"])
    assert computed.utcoffset().total_seconds() == 7 * 3600  # WIB
    periods = {p["period"]: p for p in provenance["periods"]}
    assert len(periods) == 12 + 4 + 1
    assert periods[f"{YEAR}-Q2"]["start"] == f"{YEAR}-04-01"
    assert periods[str(YEAR)]["cases"] == year["cases_completed"]
    expected = float(metric_value(year, ind.metric_binding).quantize(Decimal("0.0001")))
    assert data["realisation"] == pytest.approx(expected)
    assert data["data_source"] == "stream"


@pytest.mark.parametrize(
    ("persona", "visible"),
    [("employee", True), ("rater", True), ("colleague", False), ("head", False), ("admin", False)],
)
def test_an_officers_own_figures_go_only_to_the_officer_and_their_raters(
    cast, api_get, stream, persona, visible
):
    nip = cast.employees["employee"].nip
    ind = bound(
        cast.dinkes,
        "IKU-01",
        stream,
        "cases_completed",
        officer=nip,
        values__aggregation="sum",
        values__owner_position=cast.positions["perawat"],
    )
    data = api_get(getattr(cast, persona), f"{URL}/{ind.pk}", year=YEAR).json()
    provenance = data["provenance"]
    assert provenance["visible"] is visible and provenance["individual"] is True
    if visible:
        assert provenance["officer"] == nip and provenance["cases"] > 0
        assert data["realisation"] > 0
    else:
        assert provenance["officer"] is None and provenance["cases"] is None
        assert provenance["computed_at"] is None and provenance["periods"] == []
        assert data["realisation"] is None
        assert all(month["realisation"] is None for month in data["months"])
        assert all(q["realisation"] is None for q in data["quarters"])
        assert nip not in str(data)


def test_the_list_hides_them_the_same_way(cast, api_get, stream):
    bound(
        cast.dinkes,
        "IKU-01",
        stream,
        "cases_completed",
        officer=cast.employees["employee"].nip,
        values__aggregation="sum",
        values__owner_position=cast.positions["perawat"],
    )
    rows = api_get(cast.head, URL, year=YEAR, agency="DINKES").json()
    assert [r["provenance"]["visible"] for r in rows] == [False]
    assert rows[0]["realisation"] is None


def test_an_indicator_that_is_not_bound_has_no_provenance(cast, api_get):
    sample = build_sample(cast)
    data = api_get(cast.head, f"{URL}/{sample.response.pk}", year=sample.year).json()
    assert "provenance" not in data


def test_an_outsider_gets_404_for_a_bound_indicator(cast, api_get, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    assert api_get(cast.outsider, f"{URL}/{ind.pk}", year=YEAR).status_code == 404
