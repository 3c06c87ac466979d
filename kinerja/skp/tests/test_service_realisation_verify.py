"""Verifying an employee's realisation (``realisation_verify``): only the plan's rater; only a
value awaiting verification; a returned value needs a note, is told to the employee and is
audited; recording again sends a value back to the rater, except one the rater entered."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import Role, RoleAssignment, User
from kinerja.core.models import AuditRecord, Notification
from kinerja.skp import services
from kinerja.skp.models import IkiRealisation
from kinerja.skp.verification import IkiRealisationState

from .support import approved, first_iki, this_year

pytestmark = pytest.mark.django_db

SUBMITTED, VERIFIED, RETURNED = (
    IkiRealisationState.SUBMITTED,
    IkiRealisationState.VERIFIED,
    IkiRealisationState.RETURNED,
)


def _period() -> str:
    return f"{this_year()}-Q1"


@pytest.fixture
def recorded(cast):
    skp = approved(cast)
    return services.realisation_record(
        iki=first_iki(skp), period=_period(), value="250", note="Rekap loket", by=cast.employee
    )


def _told(cast):
    """What the employee was told about realisations (the plan's approval was told before)."""
    return Notification.objects.filter(recipient=cast.employee, link__endswith="/realisasi/")


def _state(realisation) -> str:
    return IkiRealisation.objects.get(pk=realisation.pk).state


# --- Who may verify --------------------------------------------------------------------------

# (persona, may verify)
WHO = [
    ("rater", True),
    ("employee", False),
    ("rater_superior", False),
    ("colleague", False),  # a peer (same rater)
    ("pengelola", False),
    ("head", False),
    ("admin", False),
]


@pytest.mark.parametrize(("persona", "allowed"), WHO)
def test_only_the_plans_rater_verifies(cast, recorded, persona, allowed):
    by = cast.users[persona]
    if allowed:
        services.realisation_verify(realisation=recorded, by=by, accept=True)
        assert _state(recorded) == VERIFIED
    else:
        with pytest.raises(PermissionDenied):
            services.realisation_verify(realisation=recorded, by=by, accept=True)
        assert _state(recorded) == SUBMITTED


# --- States ----------------------------------------------------------------------------------


def test_a_recorded_value_awaits_verification(recorded):
    assert recorded.state == SUBMITTED
    assert recorded.verified_by is None


def test_accepting_verifies_the_value_with_who_and_when(cast, recorded):
    services.realisation_verify(realisation=recorded, by=cast.rater, accept=True)
    stored = IkiRealisation.objects.get(pk=recorded.pk)
    assert (stored.state, stored.verified_by, stored.verification_note) == (
        VERIFIED,
        cast.rater,
        "",
    )
    assert stored.verified_at is not None
    record = AuditRecord.objects.filter(object_type="skp.ikirealisation").latest("seq")
    assert record.action == "verify"


def test_returning_keeps_the_note_audits_and_tells_the_employee(cast, recorded):
    services.realisation_verify(
        realisation=recorded, by=cast.rater, accept=False, note="Lampirkan rekap loket"
    )
    stored = IkiRealisation.objects.get(pk=recorded.pk)
    assert (stored.state, stored.verification_note) == (RETURNED, "Lampirkan rekap loket")
    assert stored.value == recorded.value  # the value is kept
    record = AuditRecord.objects.filter(object_type="skp.ikirealisation").latest("seq")
    assert record.action == "return"
    told = _told(cast).get()
    assert told.body == "Lampirkan rekap loket"
    assert told.link == f"/skp/{recorded.iki.rhk.skp_id}/realisasi/"


def test_returning_needs_a_note(cast, recorded):
    with pytest.raises(ValidationError) as caught:
        services.realisation_verify(realisation=recorded, by=cast.rater, accept=False, note=" ")
    assert "note" in caught.value.message_dict
    assert _state(recorded) == SUBMITTED
    assert not _told(cast).exists()


def test_accepting_tells_nobody(cast, recorded):
    services.realisation_verify(realisation=recorded, by=cast.rater, accept=True)
    assert not _told(cast).exists()


# (first decision, second decision)
DECIDED = [(True, True), (True, False), (False, True), (False, False)]


@pytest.mark.parametrize(("first", "second"), DECIDED)
def test_a_decided_value_is_not_decided_again(cast, recorded, first, second):
    services.realisation_verify(realisation=recorded, by=cast.rater, accept=first, note="Cek")
    before = _state(recorded)
    with pytest.raises(ValidationError) as caught:
        services.realisation_verify(realisation=recorded, by=cast.rater, accept=second, note="X")
    assert not hasattr(caught.value, "error_dict")  # a state conflict, not a field error (409)
    assert _state(recorded) == before


# --- Recording again -------------------------------------------------------------------------

# (decision before, value sent again, state after)
AGAIN = [
    (True, "260", SUBMITTED),  # a verified value changed waits again
    (True, "250", VERIFIED),  # the same value sent twice changes nothing
    (False, "250", SUBMITTED),  # a returned value sent again goes back to the rater
    (False, "260", SUBMITTED),
    (None, "250", SUBMITTED),
]


@pytest.mark.parametrize(("decision", "value", "after"), AGAIN)
def test_recording_again_sends_the_value_back_to_the_rater(cast, recorded, decision, value, after):
    if decision is not None:
        services.realisation_verify(realisation=recorded, by=cast.rater, accept=decision, note="C")
    again = services.realisation_record(
        iki=recorded.iki, period=recorded.period, value=value, note="Rekap loket", by=cast.employee
    )
    assert again.pk == recorded.pk
    stored = IkiRealisation.objects.get(pk=recorded.pk)
    assert stored.state == after
    if after == SUBMITTED:
        assert (stored.verified_by, stored.verified_at, stored.verification_note) == (
            None,
            None,
            "",
        )


def test_a_value_the_rater_enters_is_verified_at_once(cast):
    """A rater who may also report on the plan (here: the agency's Pengelola Kinerja too)."""
    skp = approved(cast)
    RoleAssignment.objects.create(
        user=cast.rater, role=Role.PENGELOLA_KINERJA, agency=skp.unit.agency
    )
    rater = User.objects.get(pk=cast.rater.pk)  # the scope is memoised on the user object
    realisation = services.realisation_record(
        iki=first_iki(skp), period=_period(), value="250", by=rater
    )
    assert (realisation.state, realisation.verified_by) == (VERIFIED, rater)


def test_a_value_the_administrator_enters_awaits_the_rater(cast):
    skp = approved(cast)
    realisation = services.realisation_record(
        iki=first_iki(skp), period=_period(), value="250", by=cast.pengelola
    )
    assert realisation.state == SUBMITTED


def test_the_rater_is_told_once_that_values_await_verification(cast):
    skp = approved(cast)
    iki = first_iki(skp)
    services.realisation_record(iki=iki, period=_period(), value="250", by=cast.employee)
    services.realisation_record(iki=iki, period=f"{this_year()}-Q2", value="260", by=cast.employee)
    notices = Notification.objects.filter(link=f"/skp/{skp.pk}/realisasi/", recipient=cast.rater)
    assert notices.count() == 1  # once while unread
    assert not Notification.objects.filter(recipient=cast.employee, title__contains="await")
