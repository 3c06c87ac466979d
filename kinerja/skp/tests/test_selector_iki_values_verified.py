"""Only verified values count (``skp.selectors.iki_values``): a typed value awaiting
verification or returned is shown (its value kept, its state marked) but has no achievement;
a verified one has; a value from service data counts as it is."""

from decimal import Decimal

import pytest

from kinerja.core.periods import parse_period
from kinerja.skp import services
from kinerja.skp.selectors import iki_values, period_table, plans_with_content
from kinerja.skp.verification import IkiRealisationState

from .support import approved, first_iki, this_year

pytestmark = pytest.mark.django_db

# (the rater's decision — None: not yet, the state, counted)
STATES = [
    (None, IkiRealisationState.SUBMITTED, False),
    (False, IkiRealisationState.RETURNED, False),
    (True, IkiRealisationState.VERIFIED, True),
]


def _recorded(cast, decision):
    skp = approved(cast)
    realisation = services.realisation_record(
        iki=first_iki(skp), period=f"{this_year()}-Q1", value="75", by=cast.employee
    )
    if decision is not None:
        services.realisation_verify(
            realisation=realisation, by=cast.rater, accept=decision, note="Cek rekap"
        )
    return skp, realisation


@pytest.mark.parametrize(("decision", "state", "counted"), STATES)
def test_only_a_verified_value_has_an_achievement(cast, decision, state, counted):
    skp, realisation = _recorded(cast, decision)
    period = parse_period(realisation.period)
    [value] = [v for v in iki_values(skp, period, viewer=cast.rater) if v.iki == realisation.iki]
    assert value.value == Decimal(75)  # shown, whatever the state
    assert (value.source, value.state, value.pending) == ("manual", state, not counted)
    assert (value.achievement is not None) == counted
    assert value.realisation_id == realisation.pk
    if counted:
        assert value.achievement == Decimal("100.00")  # 75 of a quarter's 75 (300 a year)


@pytest.mark.parametrize(("decision", "state", "counted"), STATES)
def test_the_period_table_marks_the_same_way(cast, decision, state, counted):
    skp, realisation = _recorded(cast, decision)
    skp = plans_with_content().get(pk=skp.pk)
    _periods, rows = period_table(skp, cast.employee)
    cell = next(c for c in rows[0].cells if str(c.period) == realisation.period)
    assert (cell.value.state, cell.value.pending) == (state, not counted)
    assert cell.value.verification_note == ("Cek rekap" if decision is not None else "")


def test_an_indicator_without_a_value_is_not_pending(cast):
    skp = approved(cast)
    period = parse_period(f"{this_year()}-Q1")
    assert not any(v.pending for v in iki_values(skp, period, viewer=cast.rater))
