"""``acting_start`` and ``acting_end``: rights checked inside, whatever door calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import ActingOfficial
from kinerja.organizations.services import acting_end, acting_start


def start(cast, by, position="kapus", person="pengelola"):
    return acting_start(
        position=cast.positions[position],
        employee=cast.employees[person],
        kind="plh",
        reason="SK 821/7/2026",
        by=by,
    )


def test_the_pengelola_of_the_agency_records_and_ends_an_acting_official(cast):
    acting = start(cast, cast.pengelola)

    acting_end(acting=acting, by=cast.pengelola)

    assert ActingOfficial.objects.get(pk=acting.pk).ended_at is not None


@pytest.mark.parametrize("persona", ["employee", "rater", "head", "auditor", "outsider"])
def test_nobody_else_records_an_acting_official(cast, persona):
    with pytest.raises(PermissionDenied):
        start(cast, cast.users[persona])
    assert not ActingOfficial.objects.exists()


def test_a_pengelola_may_not_record_one_in_another_agency(cast):
    with pytest.raises(PermissionDenied):
        start(cast, cast.pengelola, position="dukcapil_kadis", person="rater")


def test_the_acting_official_must_be_someone_the_caller_can_see(cast):
    with pytest.raises(ValidationError) as caught:
        start(cast, cast.pengelola, person="outsider")
    assert "employee" in caught.value.message_dict
    assert not ActingOfficial.objects.exists()


def test_only_those_who_may_change_the_position_end_an_acting_official(cast):
    acting = start(cast, SYSTEM)
    with pytest.raises(PermissionDenied):
        acting_end(acting=acting, by=cast.rater)
    assert ActingOfficial.objects.get(pk=acting.pk).ended_at is None
