"""``Agency.objects.monitored_by`` and ``Unit.objects.monitored_by``: what a person follows as a
whole (completion pages), narrower than what they may look at."""

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Agency, Unit

MONITORED = {
    "admin": {"DINKES", "DUKCAPIL"},
    "auditor": {"DINKES", "DUKCAPIL"},
    "head": {"DINKES"},
    "pengelola": {"DINKES"},
    "other_head": {"DUKCAPIL"},
    "rater": set(),
    "employee": set(),
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "agencies"), MONITORED.items())
def test_each_persona_monitors_exactly_these_agencies_and_their_units(cast, persona, agencies):
    user = cast.users[persona]
    assert set(Agency.objects.monitored_by(user).values_list("code", flat=True)) == agencies
    units = Unit.objects.monitored_by(user).values_list("agency__code", flat=True)
    assert set(units) == agencies
    if agencies:
        assert (
            Unit.objects.monitored_by(user).count()
            == Unit.objects.filter(agency__code__in=agencies).count()
        )


def test_an_employee_sees_the_units_of_their_agency_but_monitors_none(cast):
    assert Unit.objects.visible_to(cast.employee).exists()
    assert not Unit.objects.monitored_by(cast.employee).exists()


def test_the_installation_monitors_everything(cast):
    assert Unit.objects.monitored_by(SYSTEM).count() == Unit.objects.count()
