"""An indicator (IKI) filled from service data: the employee binds it to a stream metric —
their own cases or the whole unit's — on its own page while the plan is a draft or returned;
the plan page shows the binding; once approved, the realisations of that indicator show the
figure of the stream with its provenance on "Kinerja saya" and the realisation page. Bad
input gets a precise error and stores nothing; only the employee and the agency's
performance administrator may change it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.core.models import AuditRecord
from kinerja.skp import services
from kinerja.skp.models import Iki, SkpState
from kinerja.streams.models import MetricBinding
from kinerja.streams.tests.service_data import case_events, make_stream, send

from .support import approved, detail_url, draft, english, submitted, this_year

pytestmark = pytest.mark.django_db


def binding_url(iki: Iki) -> str:
    return reverse("skp:iki_binding", args=[iki.rhk.skp_id, iki.pk])


def first_iki(skp) -> Iki:
    return Iki.objects.select_related("rhk").get(rhk__skp=skp, rhk__number=1, number=1)


def form_data(stream=None, **extra) -> dict:
    data = {
        "stream": stream.pk if stream is not None else "",
        "metric": "cases_completed",
        "scope": "own",
        "from_stage": "",
        "to_stage": "",
        "duration_unit": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def stream(cast):
    """A stream of Dinas Kesehatan, the employee's agency (stages diterima, berangkat, tiba)."""
    return make_stream(cast.dinkes)


@pytest.fixture
def other_stream(cast):
    return make_stream(cast.dukcapil, "ktp-el")


def event_day() -> date:
    """A day of this year that has passed (or today on the first of January)."""
    today = timezone.localdate()
    return max(date(today.year, 1, 1), today - timedelta(days=1))


def cases(stream, officer: str, n: int, prefix: str, *, unit: str = "DINKES-PKM-PLAJU") -> list:
    from kinerja.streams.tests.service_data import local

    events = []
    for i in range(n):
        start = local(event_day(), 0, 5 + i)
        events += case_events(f"{prefix}{i}", start, 10, unit=unit, officer=officer)
    return events


# --- The page ---------------------------------------------------------------------------------


def test_the_page_offers_only_the_streams_the_employee_may_see(
    cast, client_for, stream, other_stream
):
    iki = first_iki(draft(cast))
    response = client_for(cast.employee).get(binding_url(iki))
    assert response.status_code == 200
    assert list(response.context["form"].fields["stream"].queryset) == [stream]
    html = response.content.decode()
    assert 'id="binding-form"' in html and 'id="binding-none"' in html
    assert "diterima → berangkat → tiba" in html
    assert cast.employees["employee"].nip in html  # "only my own cases" names the NIP
    assert "DINKES-PKM-PLAJU" in html  # "the whole unit" names the plan's unit


def test_the_employee_binds_an_indicator_to_their_own_cases(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    response = client_for(cast.employee).post(binding_url(iki), form_data(stream))
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(skp)}#iki-{iki.pk}"
    iki.refresh_from_db()
    binding = iki.binding
    assert (binding.stream, binding.metric) == (stream, "cases_completed")
    assert (binding.officer, binding.unit) == (cast.employees["employee"].nip, None)
    record = AuditRecord.objects.filter(action="bind").latest("pk")
    assert record.after["binding"]["stream"] == "gawat-darurat"
    assert record.after["binding"]["officer"] == cast.employees["employee"].nip


def test_the_whole_unit_is_the_plans_unit(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    data = form_data(
        stream,
        scope="unit",
        metric="duration_median",
        from_stage="diterima",
        to_stage="berangkat",
        duration_unit="minutes",
    )
    assert client_for(cast.employee).post(binding_url(iki), data).status_code == 302
    binding = MetricBinding.objects.get(pk=Iki.objects.get(pk=iki.pk).binding_id)
    assert (binding.unit, binding.officer) == (cast.units["pkm"], "")
    assert (binding.from_stage, binding.to_stage, binding.duration_unit) == (
        "diterima",
        "berangkat",
        "minutes",
    )


def test_the_plan_page_shows_the_binding_and_the_link_to_change_it(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    client = english(client_for(cast.employee))
    client.post(binding_url(iki), form_data(stream))
    html = client.get(detail_url(skp)).content.decode()
    row = html[html.index(f'id="iki-{iki.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<code>gawat-darurat</code>" in row and "cases completed" in row
    assert f"own cases only (NIP {cast.employees['employee'].nip})" in row
    assert binding_url(iki) in row and "Change the service data" in row
    other = first_iki(skp).rhk.indicators.exclude(pk=iki.pk).get()
    assert binding_url(other) in html and "Fill from service data" in html


def test_the_page_shows_the_current_binding_and_fills_the_form_with_it(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    services.iki_bind(
        iki=iki,
        by=cast.employee,
        binding={"stream": stream, "metric": "within_sla_pct", "unit": cast.units["pkm"]},
    )
    response = english(client_for(cast.employee)).get(binding_url(iki))
    html = response.content.decode()
    assert 'id="binding-stop"' in html and "cases of unit DINKES-PKM-PLAJU" in html
    form = response.context["form"]
    assert (form["stream"].value(), form["metric"].value(), form["scope"].value()) == (
        stream.pk,
        "within_sla_pct",
        "unit",
    )


def test_stop_unbinds_the_indicator(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    services.iki_bind(
        iki=iki, by=cast.employee, binding={"stream": stream, "metric": "cases_started"}
    )
    response = client_for(cast.employee).post(binding_url(iki), {"stop": "1"})
    assert response.status_code == 302
    assert Iki.objects.get(pk=iki.pk).binding_id is None
    assert not MetricBinding.objects.exists()


def test_the_administrator_binds_the_employees_own_cases(cast, client_for, stream):
    skp = draft(cast)
    iki = first_iki(skp)
    assert client_for(cast.pengelola).post(binding_url(iki), form_data(stream)).status_code == 302
    assert Iki.objects.get(pk=iki.pk).binding.officer == cast.employees["employee"].nip


def test_a_returned_plan_may_be_bound(cast, client_for, stream):
    skp = submitted(cast)
    services.skp_return(skp=skp, by=cast.rater, reason="Ikat IKI ke data layanan")
    iki = first_iki(skp)
    assert client_for(cast.employee).post(binding_url(iki), form_data(stream)).status_code == 302
    assert Iki.objects.get(pk=iki.pk).binding_id is not None


# --- The values, with their provenance ----------------------------------------------------------


def test_an_approved_bound_indicator_shows_its_stream_values_with_provenance(
    cast, client_for, stream
):
    skp = draft(cast)
    iki = first_iki(skp)
    client_for(cast.employee).post(binding_url(iki), form_data(stream))
    services.skp_submit(skp=skp, by=cast.employee)
    services.skp_approve(skp=skp, by=cast.rater)
    employee_nip = cast.employees["employee"].nip
    send(
        stream,
        cases(stream, employee_nip, 3, "E")
        + cases(stream, cast.employees["colleague"].nip, 2, "C"),
    )
    day = event_day()

    def cell_of(rows):
        row = next(r for r in rows if r.iki.pk == iki.pk)
        return next(c for c in row.cells if c.period.start <= day <= c.period.end)

    client = english(client_for(cast.employee))
    mine = client.get(reverse("evaluations:mine"), {"year": this_year()})
    cell = cell_of(mine.context["plans"][0].rows)
    assert (cell.value.source, cell.value.value, cell.value.cases) == ("stream", 3, 3)
    html = mine.content.decode()
    table_row = html[html.index(f'data-iki="{iki.pk}"') :]
    table_row = table_row[: table_row.index("</tr>")]
    assert "provenance-stream" in table_row and "<code>gawat-darurat</code>" in table_row
    assert "cases completed" in table_row and "3 cases" in table_row

    page = client.get(reverse("skp:realisation", args=[skp.pk]))
    assert cell_of(page.context["rows"]).value.value == 3
    assert "provenance-stream" in page.content.decode()

    # The rater sees the officer's figure; the agency head (not in the chain) does not.
    rater_page = client_for(cast.rater).get(reverse("skp:realisation", args=[skp.pk]))
    assert cell_of(rater_page.context["rows"]).value.value == 3
    head_page = client_for(cast.head).get(reverse("skp:realisation", args=[skp.pk]))
    assert cell_of(head_page.context["rows"]).value.hidden is True


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"stream": ""}, "stream", "Choose the stream, e.g. ktp-el."),
        ({"stream": "OTHER"}, "stream", "Choose one of the streams listed"),
        ({"stream": "999999"}, "stream", "Choose one of the streams listed"),
        ({"metric": ""}, "metric", "Choose one of the metrics"),
        ({"metric": "median"}, "metric", "Choose one of the metrics"),
        ({"scope": ""}, "scope", "Choose whose cases count"),
        ({"scope": "everyone"}, "scope", "Choose whose cases count"),
        (
            {"metric": "duration_median", "from_stage": "dicetak", "to_stage": "tiba"},
            "from_stage",
            "dicetak is not a stage of gawat-darurat (diterima, berangkat, tiba).",
        ),
        (
            {"from_stage": "diterima", "to_stage": "tiba"},
            "from_stage",
            "Only a duration is measured between two stages.",
        ),
        (
            {"metric": "duration_p90", "from_stage": "diterima", "duration_unit": "hours"},
            "to_stage",
            "Give both stages, or neither for the whole case.",
        ),
        (
            {"metric": "duration_p90", "from_stage": "tiba", "to_stage": "tiba"},
            "to_stage",
            "Choose a later stage than the first one.",
        ),
        ({"metric": "duration_mean"}, "duration_unit", "Say in which unit the duration"),
        ({"duration_unit": "hours"}, "duration_unit", "Only a duration has a unit of time."),
        ({"duration_unit": "weeks"}, "duration_unit", "Choose minutes, hours or days."),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(
    cast, client_for, stream, other_stream, change, field, message
):
    iki = first_iki(draft(cast))
    if change.get("stream") == "OTHER":
        change = {**change, "stream": other_stream.pk}  # another agency's: not offered
    data = {**form_data(stream), **change}
    response = english(client_for(cast.employee)).post(binding_url(iki), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Iki.objects.get(pk=iki.pk).binding_id is None
    assert not MetricBinding.objects.exists()
    assert not AuditRecord.objects.filter(action="bind").exists()


def test_a_unit_outside_the_streams_agency_is_refused_on_whose_cases(
    cast, client_for, other_stream
):
    """The region's administrator sees every stream, but the plan's unit is not one of the
    stream's agency: its cases would never match."""
    iki = first_iki(draft(cast))
    response = english(client_for(cast.admin)).post(
        binding_url(iki), form_data(other_stream, scope="unit")
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["scope"])
    assert "DINKES-PKM-PLAJU is not a unit of Dinas Kependudukan" in errors
    assert not MetricBinding.objects.exists()


def test_a_bad_binding_leaves_the_current_one_as_it_was(cast, client_for, stream):
    iki = first_iki(draft(cast))
    own = {"stream": stream, "metric": "cases_started", "officer": cast.employees["employee"].nip}
    services.iki_bind(iki=iki, by=cast.employee, binding=own)
    response = client_for(cast.employee).post(
        binding_url(iki), form_data(stream, metric="duration_median")
    )
    assert response.status_code == 400
    binding = Iki.objects.get(pk=iki.pk).binding
    assert (binding.metric, binding.duration_unit) == ("cases_started", "")


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("colleague", 404),
        ("other_head", 404),
        ("rater", 403),
        ("rater_superior", 403),
        ("head", 403),
        ("auditor", 403),
    ],
)
def test_only_the_employee_and_the_administrator_may_bind(
    cast, client_for, stream, persona, status
):
    iki = first_iki(draft(cast))
    client = client_for(cast.users[persona])
    assert client.get(binding_url(iki)).status_code == status
    assert client.post(binding_url(iki), form_data(stream)).status_code == status
    assert client.post(binding_url(iki), {"stop": "1"}).status_code == status
    assert not MetricBinding.objects.exists()


def test_an_indicator_of_another_plan_is_not_found(cast, client_for, stream):
    skp = draft(cast)
    peer_iki = first_iki(draft(cast, "colleague"))
    url = reverse("skp:iki_binding", args=[skp.pk, peer_iki.pk])
    assert client_for(cast.employee).get(url).status_code == 404
    assert client_for(cast.employee).post(url, form_data(stream)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client, stream):
    iki = first_iki(draft(cast))
    response = client.get(binding_url(iki))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize("make", [submitted, approved])
def test_a_plan_beyond_draft_is_not_bound_and_the_employee_is_told(cast, client_for, stream, make):
    skp = make(cast)
    iki = first_iki(skp)
    client = english(client_for(cast.employee))
    response = client.get(binding_url(iki), follow=True)
    assert any("only a draft or a returned plan" in str(m) for m in response.context["messages"])
    response = client.post(binding_url(iki), form_data(stream))
    assert response.status_code == 302 and response["Location"] == detail_url(skp)
    assert client.post(binding_url(iki), {"stop": "1"}).status_code == 302
    assert not MetricBinding.objects.exists()
    assert skp.state in {SkpState.SUBMITTED, SkpState.APPROVED}


@pytest.mark.parametrize("make", [submitted, approved])
def test_the_plan_page_offers_no_binding_link_once_submitted(cast, client_for, stream, make):
    skp = make(cast)
    html = client_for(cast.employee).get(detail_url(skp)).content.decode()
    assert "iki-binding-link" not in html


def test_the_rater_sees_no_binding_link_on_a_draft(cast, client_for, stream):
    skp = draft(cast)
    html = client_for(cast.rater).get(detail_url(skp)).content.decode()
    assert "iki-binding-link" not in html
