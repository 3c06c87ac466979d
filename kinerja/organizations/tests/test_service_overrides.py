"""``override_start`` and ``override_end``: rights checked inside, whatever door calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import RaterOverride
from kinerja.organizations.services import override_end, override_start


def start(cast, by, employee="employee", rater="rater_superior"):
    return override_start(
        employee=cast.employees[employee],
        rater=cast.employees[rater],
        reason="SK 800/45/2026",
        by=by,
    )


def test_the_pengelola_of_the_agency_sets_and_ends_an_override(cast):
    override = start(cast, cast.pengelola)

    override_end(override=override, by=cast.pengelola)

    assert RaterOverride.objects.get(pk=override.pk).ended_at is not None


@pytest.mark.parametrize("persona", ["employee", "rater", "head", "auditor", "outsider"])
def test_nobody_else_sets_an_override(cast, persona):
    with pytest.raises(PermissionDenied):
        start(cast, cast.users[persona])
    assert not RaterOverride.objects.exists()


def test_a_pengelola_may_not_set_the_rater_of_another_agency(cast):
    with pytest.raises(PermissionDenied):
        start(cast, cast.pengelola, employee="outsider", rater="other_head")


def test_the_rater_must_be_someone_the_caller_can_see(cast):
    with pytest.raises(ValidationError) as caught:
        start(cast, cast.pengelola, rater="other_head")
    assert "rater" in caught.value.message_dict
    assert not RaterOverride.objects.exists()


def test_only_those_who_may_change_the_employee_end_an_override(cast):
    override = start(cast, SYSTEM)
    with pytest.raises(PermissionDenied):
        override_end(override=override, by=cast.employee)
    assert RaterOverride.objects.get(pk=override.pk).ended_at is None
