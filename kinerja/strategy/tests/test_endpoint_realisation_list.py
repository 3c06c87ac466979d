"""GET /api/v1/indicators/{id}/realisations (``realisation_list``): the history of an
indicator's values — a correction supersedes and keeps the earlier value; another year's history
is separate."""

from decimal import Decimal as D

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services

from .api_support import entry_url

YEAR = 2025


def test_a_correction_supersedes_and_keeps_the_earlier_value(cast, api_post_to, api_get, iku):
    first = api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": 9})
    second = api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": 8})
    third = api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": "7.5"})
    other = api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": 10})

    assert [r.status_code for r in (first, second, third, other)] == [201] * 4
    ids = [r.json()["id"] for r in (first, second, third, other)]
    assert second.json()["corrects"] == ids[0]
    assert third.json()["corrects"] == ids[1]
    history = api_get(cast.employee, entry_url(iku), year=YEAR)
    assert history.status_code == 200
    rows = history.json()
    # by month, newest first within the month
    assert [(r["period"], r["id"]) for r in rows] == [
        (f"{YEAR}-01", ids[3]),
        (f"{YEAR}-02", ids[2]),
        (f"{YEAR}-02", ids[1]),
        (f"{YEAR}-02", ids[0]),
    ]
    assert [r["value"] for r in rows] == [10, 7.5, 8, 9]
    assert [r["corrects"] for r in rows] == [None, ids[1], ids[0], None]
    assert rows[1]["superseded_at"] is None
    assert rows[2]["superseded_at"] is not None
    assert rows[3]["superseded_at"] is not None
    assert history["X-Total-Count"] == "4"


def test_the_history_of_another_year_is_separate(cast, api_post_to, api_get, iku):
    services.realisation_record(by=SYSTEM, indicator=iku, year=YEAR - 1, month=5, value=D("3"))
    api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-05", "value": 4})

    rows = api_get(cast.head, entry_url(iku), year=YEAR - 1).json()

    assert [(r["period"], r["value"]) for r in rows] == [(f"{YEAR - 1}-05", 3)]
