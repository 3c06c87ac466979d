"""Binding a new indicator to a stream metric on its form (``strategy:indicator_create``): a
wrong binding shown on its field; another agency's stream not offered to a Pengelola Kinerja."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.strategy.models import Indicator

from .stream_support import form_data

YEAR = timezone.localdate().year - 1  # a whole past year


def test_the_form_binds_an_indicator_to_a_stream_metric(cast, client_for, stream):
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]),
        form_data(stream, binding_unit=cast.units["pkm"].pk),
    )
    assert response.status_code == 302
    ind = Indicator.objects.get(code="IKU-20")
    assert ind.data_source == "stream"
    assert (ind.metric_binding.stream, ind.metric_binding.unit) == (stream, cast.units["pkm"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"binding_stream": ""}, "binding_stream"),
        ({"binding_metric": ""}, "binding_metric"),
        ({"binding_duration_unit": ""}, "binding_duration_unit"),
        ({"binding_from_stage": "dicetak", "binding_to_stage": "tiba"}, "binding_from_stage"),
        ({"binding_from_stage": "diterima"}, "binding_to_stage"),
        ({"binding_officer": "198503122010011002"}, "binding_officer"),  # no owning position
        ({"aggregation": "sum"}, "aggregation"),
    ],
)
def test_a_wrong_binding_is_shown_on_its_field(cast, client_for, stream, changes, field):
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]), form_data(stream, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Indicator.objects.filter(code="IKU-20").exists()


def test_another_agencys_stream_is_not_offered_to_a_pengelola(cast, client_for, stream):
    from kinerja.streams.tests.service_data import make_stream

    other = make_stream(cast.dukcapil, "ktp-el")
    response = client_for(cast.pengelola).post(
        reverse("strategy:indicator_create", args=["DINKES"]), form_data(other)
    )
    assert response.status_code == 200
    assert "binding_stream" in response.context["form"].errors
