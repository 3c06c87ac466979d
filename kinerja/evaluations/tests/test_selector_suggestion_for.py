"""The suggestion of a plan for a period (``selectors.suggestion_for``): the indicators' values
grouped into the plan's results (main first) and judged by the definitions; a value from
service data on fewer cases than the year's minimum (default 20) is not used and says so; a
unit head's suggestion is the organisation predicate's rating."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from kinerja.core.periods import parse_period
from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationSetting
from kinerja.evaluations.selectors import suggestion_for, suggestion_sentences
from kinerja.skp import services as skp_services
from kinerja.skp.models import Iki
from kinerja.skp.selectors import IkiValue

from .support import Q1, YEAR, plan

pytestmark = pytest.mark.django_db

PERIOD = parse_period(Q1)


@pytest.fixture(autouse=True)
def _english():
    """The msgids (the Indonesian catalogue follows them)."""
    with translation.override("en"):
        yield


def _plan(cast, kinds: list[str]):
    """A plan of the employee with one result per kind (one indicator each, target 100 %)."""
    skp = skp_services.skp_create(employee=cast.employees["employee"], year=YEAR, by=cast.employee)
    for n, kind in enumerate(kinds, 1):
        skp_services.rhk_add(
            skp=skp, by=cast.employee, kind=kind, text=f"Hasil {n}",
            indicators=[{"aspect": "kuantitas", "text": f"Indikator {n}", "target": "100",
                         "unit": "%"}],
        )  # fmt: skip
    return skp


def _values(skp, pcts: list[str | None], cases: dict[int, int] | None = None) -> list[IkiValue]:
    """Each indicator (in the order of its result's number) at ``pcts``; those in ``cases``
    from service data on that many cases."""
    cases = cases or {}
    indicators = Iki.objects.filter(rhk__skp=skp).select_related("rhk").order_by("rhk__pk")
    values = []
    for n, (iki, pct) in enumerate(zip(indicators, pcts, strict=True)):
        pct_value = D(pct) if pct is not None else None
        source = "stream" if n in cases else "manual"
        values.append(IkiValue(iki, pct_value, source, pct_value, cases=cases.get(n)))
    return values


# (what the row shows, the results' kinds, their achievements, the suggestion)
ISSUE = [
    ("four main at 120 and one main at 70: meets", ["utama"] * 5, ["120"] * 4 + ["70"], "meets"),
    ("two main at 100 and an additional at 0: meets", ["utama", "utama", "tambahan"],
     ["100", "100", "0"], "meets"),
    ("an additional above raises", ["utama", "utama", "tambahan"], ["120", "100", "120"],
     "above"),
    ("main results first, whatever the order added", ["tambahan", "utama"], ["0", "120"], "above"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kinds", "pcts", "rating"), [r[1:] for r in ISSUE], ids=[r[0] for r in ISSUE]
)
def test_the_plans_results_are_judged_by_the_definitions(cast, kinds, pcts, rating):
    skp = _plan(cast, kinds)
    suggestion = suggestion_for(skp, PERIOD, viewer=cast.rater, values=_values(skp, pcts))
    assert suggestion["rating"] == rating
    assert suggestion["basis"] == "achievement"
    assert [r["kind"] for r in suggestion["results"]] == sorted(kinds, reverse=True)
    assert suggestion_sentences(suggestion)


def test_the_results_are_named_by_number_and_text(cast):
    skp = _plan(cast, ["utama", "tambahan"])
    suggestion = suggestion_for(skp, PERIOD, viewer=cast.rater, values=_values(skp, ["100", "0"]))
    # each kind is numbered on its own
    assert [r["name"] for r in suggestion["results"]] == ["1. Hasil 1", "1. Hasil 2"]
    assert suggestion_sentences(suggestion)[-1] == (
        "The additional result '1. Hasil 2' is below expectation; an additional result never "
        "lowers the rating."
    )


def test_the_sentences_are_kept_in_the_regions_language_and_shown_in_the_readers(cast):
    skp = _plan(cast, ["utama", "tambahan"])
    suggestion = suggestion_for(skp, PERIOD, viewer=cast.rater, values=_values(skp, ["100", "0"]))
    kept = suggestion["reasons"]  # the record: Indonesian, whoever rated
    assert kept[0] == "Tidak ada hasil kerja utama yang di bawah ekspektasi."
    assert suggestion_sentences(suggestion)[0] == "No main result is below expectation."
    with translation.override("id"):
        assert suggestion_sentences(suggestion) == kept


# (what the row shows, cases behind the stream value, the minimum, used)
CASES = [
    ("19 of 20 is too few", 19, None, False),
    ("20 of 20 is enough", 20, None, True),
    ("0 cases", 0, None, False),
    ("the year's minimum: 9 of 10 too few", 9, 10, False),
    ("the year's minimum: 10 of 10 enough", 10, 10, True),
]


@pytest.mark.parametrize(
    ("cases", "minimum", "used"), [r[1:] for r in CASES], ids=[r[0] for r in CASES]
)
def test_a_stream_value_on_too_few_cases_is_not_used(cast, cases, minimum, used):
    if minimum is not None:
        EvaluationSetting.objects.create(valid_from=YEAR, case_minimum=minimum)
    skp = _plan(cast, ["utama", "utama"])
    values = _values(skp, ["60", "120"], cases={0: cases})
    suggestion = suggestion_for(skp, PERIOD, viewer=cast.rater, values=values)
    detail = suggestion["indicators_detail"][0]
    assert (detail["too_few"], detail["cases"], detail["value"]) == (not used, cases, "60")
    assert (detail["achievement"] is not None) is used
    # used: 60 % is a main result below of two (50 %) → below; not used: one main above
    assert suggestion["rating"] == ("below" if used else "above")
    note = f"'Indikator 1' is not used: too few cases ({cases} of {minimum or 20})."
    assert (note in suggestion_sentences(suggestion)) is not used
    assert suggestion["case_minimum"] == (minimum or 20)


def test_only_too_few_cases_gives_no_suggestion(cast):
    skp = _plan(cast, ["utama"])
    suggestion = suggestion_for(
        skp, PERIOD, viewer=cast.rater, values=_values(skp, ["100"], cases={0: 3})
    )
    assert suggestion["rating"] is None
    assert suggestion_sentences(suggestion) == [
        "No main result has a measured value yet, so there is no suggestion.",
        "'Indikator 1' is not used: too few cases (3 of 20).",
    ]


def test_a_unit_heads_suggestion_is_the_organisation_predicates_rating(cast, settings):
    settings.LANGUAGE_CODE = "en"  # the reason is kept in the region's language; English here
    head_plan = plan(cast, "rater")
    services.org_predicate_set(
        unit=head_plan.unit, period=Q1, predicate="Baik", by=cast.rater_superior
    )
    suggestion = suggestion_for(head_plan, PERIOD, viewer=cast.rater_superior)
    assert (suggestion["rating"], suggestion["basis"]) == ("meets", "organisation")
    assert suggestion["reasons"] == [
        "The results follow the organisation predicate of UPTD Puskesmas Plaju: Baik → Meets "
        "expectation (Sesuai Ekspektasi)."
    ]


def test_a_unit_head_without_a_predicate_gets_the_suggestion_from_achievement(cast):
    head_plan = plan(cast, "rater")
    suggestion = suggestion_for(head_plan, PERIOD, viewer=cast.rater_superior)
    assert suggestion["basis"] == "achievement"
