"""The binding of an indicator to a stream metric when changing it
(``strategy:indicator_edit``): the stored binding shown, a wrong one refused with a precise
Indonesian error, a right change stored on the same row; who does not manage the agency cannot
open or rebind it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.core.models import AuditRecord
from kinerja.strategy.models import Aggregation, Indicator
from kinerja.streams.models import MetricBinding

from .stream_support import bound, form_data, indonesian

YEAR = timezone.localdate().year - 1  # a whole past year


def test_the_form_shows_the_stored_binding_when_changing(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, from_stage="berangkat", to_stage="tiba")
    response = client_for(cast.pengelola).get(reverse("strategy:indicator_edit", args=[ind.pk]))
    form = response.context["form"]
    assert form.initial["binding_stream"] == stream.pk
    assert form.initial["binding_from_stage"] == "berangkat"
    assert form.initial["binding_duration_unit"] == "minutes"
    html = response.content.decode()
    assert 'id="id_binding_stream_helptext"' in html and 'id="id_binding_officer_helptext"' in html
    assert 'aria-describedby="id_binding_stream_helptext"' in html


def edit(indicator) -> str:
    return reverse("strategy:indicator_edit", args=[indicator.pk])


def stored(indicator) -> tuple[dict, dict]:
    indicator.refresh_from_db()
    binding = MetricBinding.objects.filter(pk=indicator.metric_binding_id).values().get()
    row = Indicator.objects.filter(pk=indicator.pk).values().get()
    return row, binding


@pytest.mark.parametrize(
    ("changes", "field", "message", "values"),
    [
        (
            {"binding_from_stage": "tiba", "binding_to_stage": "tiba"},
            "binding_to_stage",
            "Choose a later stage than the first one.",
            {},
        ),
        (
            {"binding_from_stage": "dicetak", "binding_to_stage": "tiba"},
            "binding_from_stage",
            "%(stage)s is not a stage of %(stream)s (%(stages)s).",
            {"stage": "dicetak", "stream": "gawat-darurat", "stages": "diterima, berangkat, tiba"},
        ),
        (
            {"binding_metric": "cases_completed", "binding_duration_unit": "minutes"},
            "binding_duration_unit",
            "Only a duration has a unit of time.",
            {},
        ),
        (
            {"binding_metric": "cases_completed", "binding_duration_unit": ""},
            "aggregation",
            "A stream metric is computed over each whole quarter and year; for this metric that "
            "means: %(how)s.",
            {"how": "SUM"},
        ),
    ],
)
def test_a_wrong_binding_gets_a_precise_indonesian_error_and_changes_nothing(
    cast, client_for, stream, changes, field, message, values
):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    before, records = stored(ind), AuditRecord.objects.count()
    data = form_data(stream, code="IKU-01", name="Nama yang berubah", **changes)
    response = client_for(cast.pengelola).post(edit(ind), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if values.get("how") == "SUM":
        with translation.override("id"):
            values["how"] = str(Aggregation.SUM.label)
    expected = indonesian(message, **values)
    assert errors[field] == [expected]
    assert expected in response.content.decode()
    assert stored(ind) == before  # neither the indicator nor its binding changed
    assert AuditRecord.objects.count() == records


def test_a_right_change_of_the_binding_is_stored_on_the_same_row(cast, client_for, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"])
    binding_id = ind.metric_binding_id
    data = form_data(
        stream, code="IKU-01", binding_metric="duration_p90", binding_duration_unit="hours"
    )
    response = client_for(cast.pengelola).post(edit(ind), data)
    assert response.status_code == 302
    ind.refresh_from_db()
    b = ind.metric_binding
    assert (b.pk, b.metric, b.duration_unit, b.unit) == (binding_id, "duration_p90", "hours", None)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("other_head", 404), ("employee", 403), ("head", 403), ("auditor", 403)],
)
def test_who_does_not_manage_the_agency_cannot_open_or_rebind_a_bound_indicator(
    cast, client_for, stream, persona, status
):
    ind = bound(cast.dinkes, "IKU-01", stream)
    before = stored(ind)
    client = client_for(cast.users[persona])
    assert client.get(edit(ind)).status_code == status
    data = form_data(stream, code="IKU-01", binding_metric="duration_p90")
    assert client.post(edit(ind), data).status_code == status
    assert stored(ind) == before
