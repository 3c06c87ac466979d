"""What the API tests of organisational performance share (no tests here): indicators with
targets and values made through the operations, the expected shape of a quarter, bodies, and
the fields a 422 names. The token fixtures (``bearer``, ``api_get``, ``api_post``): conftest.py."""

from decimal import Decimal as D
from itertools import count

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import DataSource

URL = "/api/v1/indicators"


YEAR = 2025


_names = count(1)


def make_indicator(agency, code, *, target=None, low=None, high=None, quarters=None, **values):
    values = {
        "code": code,
        "name": f"Indicator {code}",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "sum",
        **values,
    }
    if values.get("formula"):
        values["data_source"] = DataSource.FORMULA
    indicator = services.indicator_save(by=SYSTEM, agency=agency, values=values)
    if target is not None or low is not None:
        services.target_set(
            by=SYSTEM,
            indicator=indicator,
            year=YEAR,
            value=target,
            low=low,
            high=high,
            quarters=quarters,
        )
    return indicator


def enter(indicator, month, value, by):
    return services.realisation_record(
        indicator=indicator, year=YEAR, month=month, value=D(value), by=by
    )


def detail(api_get, user, indicator, year=YEAR):
    response = api_get(user, f"{URL}/{indicator.pk}", year=year)
    assert response.status_code == 200, response.content
    return response.json()


def fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["errors"]]


def new_indicator(agency, code, **values):
    values = {
        "code": code,
        "name": f"Indicator {code}",
        "unit_of_measure": "menit",
        "polarity": "lower_is_better",
        "aggregation": "average",
        **values,
    }
    if values.get("formula"):
        values["data_source"] = DataSource.FORMULA
    return services.indicator_save(by=SYSTEM, agency=agency, values=values)


def entry_url(indicator) -> str:
    return f"/api/v1/indicators/{indicator.pk}/realisations"
