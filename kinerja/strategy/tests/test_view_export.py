"""The export of an agency's year (``strategy:export``): for the agency's people and the
region's readers, in the same number of queries whatever the number of rows; a person of
another agency, an unknown agency or a year out of range gets 404."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kinerja.core.actors import SYSTEM

from .workbook_support import YEAR, export_url


@pytest.mark.parametrize("persona", ["employee", "head", "pengelola", "admin", "auditor"])
def test_the_agencys_people_and_the_regions_readers_export_its_year(
    client_for, cast, performance, persona
):
    response = client_for(getattr(cast, persona)).get(export_url())
    assert response.status_code == 200
    assert f'filename="indikator-DINKES-{YEAR}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    codes = [row[1] for row in workbook["Indikator"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["IKU-01", "IKU-02", "IKU-03", "IKU-04"]
    agencies = {row[0] for row in workbook["Realisasi"].iter_rows(min_row=2, values_only=True)}
    assert agencies == {"DINKES"}


def test_the_export_takes_the_same_number_of_queries_whatever_the_number_of_rows(
    client_for, cast, performance
):
    from kinerja.strategy.services import indicator_save, realisation_record

    client = client_for(cast.employee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(export_url()).status_code == 200
        return len(captured)

    client.get(export_url())  # the session and the scope, once
    before = queries()
    for n in range(4):
        ind = indicator_save(
            by=SYSTEM,
            agency=cast.dinkes,
            values={
                "code": f"IKU-6{n}",
                "name": f"Tambahan {n}",
                "unit_of_measure": "%",
                "polarity": "higher_is_better",
                "aggregation": "sum",
            },
        )
        realisation_record(by=SYSTEM, indicator=ind, year=YEAR, month=1, value=n)
    assert queries() == before


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_a_person_of_another_agency_gets_404_for_the_export(client_for, cast, performance, persona):
    assert client_for(getattr(cast, persona)).get(export_url()).status_code == 404


def test_an_unknown_agency_or_a_year_out_of_range_is_404_for_the_export(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(export_url(agency="NOPE")).status_code == 404
    assert client.get(export_url(year=1999)).status_code == 404
