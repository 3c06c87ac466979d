"""Helpers shared by several test modules of streams (the data that other apps' tests use too is
in service_data.py): the pages' addresses, the alert form, the simulator's test stream, the
dashboard's stream and cases, and stream definitions as a file holds them."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.urls import reverse

from kinerja.streams.ingest import Validator, store
from kinerja.streams.models import Stream

# --- The pages (test_view_*.py) -----------------------------------------------------------------

#: The code of the ``stream`` fixture of conftest.py.
CODE = "gawat-darurat"


def url(name: str, *args) -> str:
    return reverse(f"streams:{name}", args=args)


#: A valid alert rule as the form posts it.
FORM = {
    "name": "Kepatuhan SLA minggu ini",
    "metric": "within_sla_pct",
    "comparison": "below",
    "threshold": "90",
    "window": "week",
    "consecutive": "1",
    "unit": "",
    "active": "on",
}


# --- The simulator's stream (test_lib_simulator.py, test_command_simulate.py) --------------------

SIMULATOR_STAGES = ["panggilan", "berangkat", "tiba", "diserahkan"]


def simulator_stream(agency, code="igd", sla=15, unit="minutes") -> Stream:
    """An emergency stream of ``agency`` with the simulator's four stages."""
    return Stream.objects.create(
        code=code,
        name="Gawat darurat",
        agency=agency,
        stages=SIMULATOR_STAGES,
        start_stage="panggilan",
        end_stage="tiba",
        sla_limit=Decimal(sla),
        sla_unit=unit,
    )


# --- The dashboard's stream and cases (test_lib_dashboard.py, test_view_dashboard*.py, ...) -----


def dashboard_stream(agency, **overrides) -> Stream:
    """An emergency stream of ``agency`` (code "igd", 15 minutes), with ``overrides``."""
    fields = {
        "code": "igd",
        "name": "Gawat darurat",
        "agency": agency,
        "stages": ["panggilan", "berangkat", "tiba"],
        "start_stage": "panggilan",
        "end_stage": "tiba",
        "sla_limit": Decimal(15),
        "sla_unit": "minutes",
    }
    fields.update(overrides)
    return Stream.objects.create(**fields)


def case(key, start, end=None, *, unit=None, officer=None, stages=("panggilan", "tiba")):
    """The raw events of one case: its start and, when given, its completion."""
    events = [{"id": f"{key}-1", "case": key, "stage": stages[0], "at": start.isoformat()}]
    if end is not None:
        events.append({"id": f"{key}-2", "case": key, "stage": stages[1], "at": end.isoformat()})
    for event in events:
        if unit:
            event["unit"] = unit
        if officer:
            event["officer"] = officer
    return events


def send(stream, *cases) -> None:
    """Store events as the API does; the cases follow on the next catch-up."""
    store(stream, Validator(stream).clean_all([e for c in cases for e in c]))


def page_url(stream, **params):
    url = reverse("streams:dashboard", args=[stream.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def data_url(stream, **params):
    url = reverse("streams:dashboard_data", args=[stream.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --- Stream definitions (test_lib_definitions.py, test_service_streams_load.py) ------------------

BASE = {
    "code": "ktp-el",
    "name": "Penerbitan KTP-el",
    "agency": "DINKES",
    "stages": ["diajukan", "diverifikasi", "dicetak", "diserahkan"],
    "start": "diajukan",
    "end": "diserahkan",
    "sla": {"limit": 8, "unit": "working_hours"},
}


def a_file(*streams: dict) -> dict:
    return {"streams": [copy.deepcopy(s) for s in streams]}


def with_(changes: dict, base: dict = BASE) -> dict:
    stream = copy.deepcopy(base)
    for key, value in changes.items():
        if value is KeyError:
            stream.pop(key, None)
        else:
            stream[key] = value
    return stream
