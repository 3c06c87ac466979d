"""The performance agreement (PK) page (``strategy:agreement``): targets per indicator (yearly
and TW I–IV), drafted by those who manage the agency, agreed or returned by its head, reopened
for revision, with the full history kept; the refusals of ``services.targets_set`` shown on the
row they concern (its first yearly or first quarterly field), and a frozen agreement above the
form; another agency's agreement and a year out of range are 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import IndicatorTarget, PerformanceAgreement

from .support import build_sample


def url(year: int, agency: str = "DINKES") -> str:
    return reverse("strategy:agreement", args=[agency, year])


def target_of(indicator, year) -> IndicatorTarget | None:
    return IndicatorTarget.objects.filter(indicator=indicator, year=year).first()


def quarters_of(indicator, year) -> list:
    target = target_of(indicator, year)
    return [(q.quarter, q.value, q.low, q.high) for q in target.quarters.order_by("quarter")]


def targets_post(sample, **cells) -> dict:
    """The target form with every field empty, plus ``cells`` (e.g. t5_value="10")."""
    data = {"action": "save"}
    for ind in (sample.response, sample.visits, sample.share, sample.occupancy):
        for suffix in ["", "_q1", "_q2", "_q3", "_q4"]:
            for part in ("low", "high") if ind.is_range else ("value",):
                data[f"t{ind.pk}{suffix}_{part}"] = ""
    data.update(cells)
    return data


def test_the_page_shows_each_indicators_yearly_and_quarterly_targets(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.employee).get(url(sample.year))
    assert response.status_code == 200
    results = {r.indicator.code: r for r in response.context["results"]}
    assert results["IKU-04"].target.low == Decimal(70)
    assert [q.target.value for q in results["IKU-02"].quarters] == [Decimal(300)] * 4
    html = response.content.decode()
    assert f'id="target-row-{sample.occupancy.pk}"' in html
    assert 'id="targets-form"' not in html  # a reader gets no form
    assert 'id="agreement-actions"' not in html


def test_a_manager_sets_targets_with_a_range_as_low_and_high(cast, client_for):
    sample = build_sample(cast)
    year = sample.year + 1
    r, v, o = sample.response.pk, sample.visits.pk, sample.occupancy.pk
    cells = {
        f"t{r}_value": "8,5",
        f"t{r}_q1_value": "9",
        f"t{r}_q4_value": "8",
        f"t{o}_low": "75",
        f"t{o}_high": "85",
        f"t{o}_q2_low": "70",
        f"t{o}_q2_high": "80",
    }
    client = client_for(cast.pengelola)
    form = client.get(url(year)).context["targets_form"]
    assert f"t{o}_low" in form.fields and f"t{o}_value" not in form.fields
    response = client.post(url(year), targets_post(sample, **cells))
    assert response.status_code == 302
    assert target_of(sample.response, year).value == Decimal("8.5")
    assert quarters_of(sample.response, year) == [
        (1, Decimal(9), None, None),
        (4, Decimal(8), None, None),
    ]
    occupancy = target_of(sample.occupancy, year)
    assert (occupancy.low, occupancy.high, occupancy.value) == (Decimal(75), Decimal(85), None)
    assert quarters_of(sample.occupancy, year) == [(2, None, Decimal(70), Decimal(80))]
    assert target_of(sample.visits, year) is None  # an untouched row sets nothing
    assert f"t{v}_value" in form.fields


def test_the_form_is_filled_with_the_current_targets(cast, client_for):
    sample = build_sample(cast)
    form = client_for(cast.pengelola).get(url(sample.year)).context["targets_form"]
    assert (
        form[f"t{sample.visits.pk}_value"].value() == "1.200"
    )  # as the user writes it back (Indonesian grouping)
    assert form[f"t{sample.occupancy.pk}_q3_high"].value() == "85"


@pytest.mark.parametrize(
    "cells",
    [
        lambda s: {f"t{s.response.pk}_value": "abc"},  # not a number
        lambda s: {f"t{s.response.pk}_value": "8", f"t{s.occupancy.pk}_low": "90",
                   f"t{s.occupancy.pk}_high": "80"},  # low above high
        lambda s: {f"t{s.response.pk}_value": "8", f"t{s.occupancy.pk}_low": "70"},  # one bound
        lambda s: {f"t{s.response.pk}_value": "8", f"t{s.visits.pk}_q1_value": "300"},  # no year
    ],
)  # fmt: skip
def test_one_bad_row_changes_nothing_at_all(cast, client_for, cells):
    sample = build_sample(cast)
    year = sample.year + 1
    response = client_for(cast.pengelola).post(url(year), targets_post(sample, **cells(sample)))
    assert response.status_code == 200
    assert any(row.errors for row in response.context["target_rows"])
    assert not IndicatorTarget.objects.filter(year=year).exists()


def test_the_pk_goes_from_draft_to_submitted_to_agreed_and_is_reopened(cast, client_for):
    sample = build_sample(cast)
    year = sample.year
    pengelola, head = client_for(cast.pengelola), None
    assert pengelola.post(url(year), {"action": "submit"}).status_code == 302
    agreement = PerformanceAgreement.objects.get(agency=cast.dinkes, year=year)
    assert agreement.state == "submitted"

    from django.test import Client

    head = Client()
    head.force_login(cast.head, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    html = head.get(url(year)).content.decode()
    assert 'id="action-agree"' in html and 'id="action-return"' in html
    assert head.post(url(year), {"action": "agree"}).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.state, agreement.agreed_by) == ("agreed", cast.head)

    # Agreed: no target form; reopening needs a reason and keeps the agreed step in the history.
    assert pengelola.get(url(year)).context["targets_form"] is None
    response = pengelola.post(url(year), {"action": "reopen"})
    assert response.context["action_form"].errors["note"]
    assert (
        pengelola.post(url(year), {"action": "reopen", "note": "Revisi TW III"}).status_code == 302
    )
    agreement.refresh_from_db()
    assert agreement.state == "draft"
    steps = [(e.from_state, e.to_state) for e in agreement.events.all()]
    assert steps == [("draft", "submitted"), ("submitted", "agreed"), ("agreed", "draft")]
    response = pengelola.get(url(year))
    assert response.context["targets_form"] is not None
    html = response.content.decode()
    assert "Revisi TW III" in html
    assert html.count('data-to="agreed"') == 1


def test_the_head_returns_with_a_note(cast, client_for):
    sample = build_sample(cast)
    services.agreement_transition(
        agreement=services.agreement_for(cast.dinkes, sample.year),
        action="submit",
        by=cast.pengelola,
    )
    client = client_for(cast.head)
    response = client.post(url(sample.year), {"action": "return"})
    assert response.status_code == 200
    assert response.context["action_form"].errors["note"]
    assert (
        client.post(
            url(sample.year), {"action": "return", "note": "TW II terlalu rendah"}
        ).status_code
        == 302
    )
    assert PerformanceAgreement.objects.get(agency=cast.dinkes).state == "returned"


def test_a_wrong_step_is_an_error_not_a_change(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(url(sample.year), {"action": "reopen", "note": "x"})
    assert response.status_code == 200
    assert response.context["action_form"].non_field_errors()
    assert PerformanceAgreement.objects.get(agency=cast.dinkes).state == "draft"


def test_submitting_without_any_target_is_refused(cast, client_for):
    build_sample(cast)
    response = client_for(cast.pengelola).post(url(2001), {"action": "submit"})
    assert response.status_code == 200
    assert response.context["action_form"].non_field_errors()
    assert not PerformanceAgreement.objects.filter(year=2001).exists()


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("head", "save"),  # the head agrees, and does not draft
        ("employee", "save"),
        ("auditor", "save"),
        ("employee", "submit"),
        ("head", "submit"),
        ("pengelola", "agree"),  # the drafter does not agree their own draft
        ("admin", "agree"),
        ("pengelola", "return"),
        ("rater", "agree"),
    ],
)
def test_each_step_belongs_to_its_role(cast, client_for, persona, action):
    sample = build_sample(cast)
    agreement = services.agreement_for(cast.dinkes, sample.year)
    if action in {"agree", "return"}:
        services.agreement_transition(agreement=agreement, action="submit", by=cast.pengelola)
    agreement.refresh_from_db()
    state = agreement.state
    data = targets_post(sample, **{f"t{sample.response.pk}_value": "1"}) if action == "save" else {}
    data.update({"action": action, "note": "x"})
    assert client_for(cast.users[persona]).post(url(sample.year), data).status_code == 403
    agreement.refresh_from_db()
    assert agreement.state == state
    assert target_of(sample.response, sample.year).value == Decimal(10)


@pytest.mark.parametrize("persona", ["outsider", "employee", "head", "pengelola"])
def test_another_agencys_agreement_is_404(cast, client_for, persona):
    sample = build_sample(cast)
    other = "DINKES" if persona == "outsider" else "DUKCAPIL"
    client = client_for(cast.users[persona])
    assert client.get(url(sample.year, other)).status_code == 404
    assert client.post(url(sample.year, other), {"action": "submit"}).status_code == 404
    assert not PerformanceAgreement.objects.filter(state="submitted").exists()


def test_an_unknown_action_is_a_bad_request(cast, client_for):
    build_sample(cast)
    assert client_for(cast.pengelola).post(url(2025), {"action": "burn"}).status_code == 400


def test_a_year_out_of_range_is_404(cast, client_for):
    assert client_for(cast.pengelola).get(url(1999)).status_code == 404


def test_the_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    sample = build_sample(cast)
    for n in range(20):
        indicator = services.indicator_save(
            by=SYSTEM,
            agency=cast.dinkes,
            values={
                "code": f"IKU-X{n}",
                "name": "Indikator",
                "unit_of_measure": "%",
                "polarity": "range" if n % 2 else "higher_is_better",
                "aggregation": "average",
            },
        )
        if n % 2:
            services.target_set(
                by=SYSTEM,
                indicator=indicator,
                year=sample.year,
                low=1,
                high=2,
                quarters=[(1, 2)] * 4,
            )
        else:
            services.target_set(
                by=SYSTEM, indicator=indicator, year=sample.year, value=5, quarters=[5] * 4
            )
    agreement = services.agreement_for(cast.dinkes, sample.year)
    for action, by in [("submit", cast.pengelola), ("return", cast.head)] * 3:
        services.agreement_transition(agreement=agreement, action=action, by=by, note="n")
    client = client_for(cast.pengelola)
    with django_assert_max_num_queries(30):
        response = client.get(url(sample.year))
    assert len(response.context["target_rows"]) == 24
    assert len(response.context["events"]) == 6


def test_a_refused_range_shows_on_the_rows_first_yearly_field(cast, client_for):
    sample = build_sample(cast)
    year = sample.year + 1
    o = sample.occupancy.pk

    response = client_for(cast.pengelola).post(
        url(year), targets_post(sample, **{f"t{o}_low": "90", f"t{o}_high": "80"})
    )

    form = response.context["targets_form"]
    assert form.errors[f"t{o}_low"]
    assert set(form.errors) == {f"t{o}_low"}
    assert not IndicatorTarget.objects.filter(year=year).exists()


def test_quarters_without_a_yearly_target_show_on_the_rows_yearly_field(cast, client_for):
    sample = build_sample(cast)
    year = sample.year + 1
    r = sample.response.pk

    response = client_for(cast.pengelola).post(
        url(year), targets_post(sample, **{f"t{r}_q2_value": "9"})
    )

    assert set(response.context["targets_form"].errors) == {f"t{r}_value"}
    assert not IndicatorTarget.objects.filter(year=year).exists()


def test_a_refused_quarter_shows_on_the_rows_first_quarterly_field(cast, client_for):
    sample = build_sample(cast)
    year = sample.year + 1
    o = sample.occupancy.pk
    cells = {f"t{o}_low": "70", f"t{o}_high": "85", f"t{o}_q3_low": "90", f"t{o}_q3_high": "80"}

    response = client_for(cast.pengelola).post(url(year), targets_post(sample, **cells))

    assert set(response.context["targets_form"].errors) == {f"t{o}_q1_low"}
    assert not IndicatorTarget.objects.filter(year=year).exists()


def test_a_submitted_agreement_refuses_the_targets_above_the_form(cast, client_for):
    sample = build_sample(cast)
    PerformanceAgreement.objects.filter(agency=cast.dinkes, year=sample.year).update(
        state="submitted"
    )
    r = sample.response.pk

    response = client_for(cast.pengelola).post(
        url(sample.year), targets_post(sample, **{f"t{r}_value": "1"})
    )

    assert response.status_code == 200
    assert response.context["targets_form"].non_field_errors()
    assert IndicatorTarget.objects.get(indicator=sample.response, year=sample.year).value == 10
