"""The agreement page shows the refusals of ``services.targets_set`` on the row they concern
(its first yearly or first quarterly field), and a frozen agreement above the form."""

from django.urls import reverse

from kinerja.strategy.models import IndicatorTarget, PerformanceAgreement

from .test_views_agreement import targets_post
from .test_views_support import build_sample


def url(year: int) -> str:
    return reverse("strategy:agreement", args=["DINKES", year])


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
