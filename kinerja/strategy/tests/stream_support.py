"""Stream-bound indicators for the strategy tests: a Dinas Kesehatan stream with a year of
cases, and indicators bound to its metrics through the service (as the form does)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import Indicator
from kinerja.streams.tests.service_data import make_stream, seeded_year

BASE = {
    "name": "Waktu respon gawat darurat",
    "unit_of_measure": "menit",
    "polarity": "lower_is_better",
    "aggregation": "average",
    "period_type": "monthly",
    "data_source": "stream",
}


def stream_with_cases(cast, year: int, *, n: int = 200):
    stream = make_stream(cast.dinkes)
    officers = [cast.employees["employee"].nip, cast.employees["colleague"].nip]
    seeded_year(stream, year, units=["DINKES-PKM-PLAJU", "DINKES-YANKES"], officers=officers, n=n)
    return stream


def bound(agency, code: str, stream, metric: str = "duration_median", **extra) -> Indicator:
    """An indicator of ``agency`` bound to ``metric`` of ``stream``; ``extra`` holds binding
    arguments (unit, officer, stages, duration_unit) and indicator fields (``values__*``)."""
    values = {**BASE, "code": code}
    for key in [k for k in extra if k.startswith("values__")]:
        values[key.removeprefix("values__")] = extra.pop(key)
    binding = {"stream": stream, "metric": metric, **extra}
    if metric.startswith("duration_"):
        binding.setdefault("duration_unit", "minutes")
    return services.indicator_save(by=SYSTEM, agency=agency, values=values, binding=binding)


YEAR = timezone.localdate().year - 1  # a whole past year


def indonesian(message: str, **values) -> str:
    """``message`` as the Indonesian page shows it; it must have a translation."""
    with translation.override("id"):
        text = gettext(message)
    assert text != message, f"no Indonesian translation of {message!r}"
    return text % values if values else text


# --- The form ------------------------------------------------------------------------------------


def form_data(stream, **changes) -> dict:
    return {
        "code": "iku-20",
        "name": "Median waktu respon",
        "unit_of_measure": "menit",
        "polarity": "lower_is_better",
        "aggregation": "average",
        "period_type": "monthly",
        "data_source": "stream",
        "lower_formula": "standard",
        "range_above": "penalize",
        "formula": "",
        "active": "on",
        "binding_stream": stream.pk,
        "binding_metric": "duration_median",
        "binding_unit": "",
        "binding_officer": "",
        "binding_from_stage": "",
        "binding_to_stage": "",
        "binding_duration_unit": "minutes",
        **changes,
    }
