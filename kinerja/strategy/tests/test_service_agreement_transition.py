"""``agreement_transition``: the yearly performance agreement (PK) drafted by the Pengelola
Kinerja and agreed by the head — every transition allowed or refused as the workflow says,
returning and reopening need a reason, no agreement without targets, the history keeps each
step with the targets as they stood."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Notification
from kinerja.strategy import services
from kinerja.strategy.models import AgreementEvent, PerformanceAgreement

from .support import AGREED, AGREEMENT_YEAR, DRAFT, RETURNED, SUBMITTED, agreement_in

pytestmark = pytest.mark.django_db


# --- Transitions ---------------------------------------------------------------------------------


ALLOWED = {
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "agree"): AGREED,
    (SUBMITTED, "return"): RETURNED,
    (AGREED, "reopen"): DRAFT,
}


TRANSITIONS = [
    (state, action, ALLOWED.get((state, action)))
    for state in (DRAFT, SUBMITTED, AGREED, RETURNED)
    for action in ("submit", "agree", "return", "reopen")
]


@pytest.mark.parametrize(("state", "action", "to_state"), TRANSITIONS)
def test_every_transition_is_allowed_or_refused_as_the_workflow_says(cast, state, action, to_state):
    agreement = agreement_in(cast, state)
    by = cast.head if action in {"agree", "return"} else cast.pengelola

    if to_state is None:
        with pytest.raises(ValidationError):
            services.agreement_transition(agreement=agreement, action=action, by=by, note="x")
        agreement.refresh_from_db()
        assert agreement.state == state
        assert not AgreementEvent.objects.exists()
        assert not AuditRecord.objects.filter(object_type="strategy.performanceagreement").exists()
        return
    result = services.agreement_transition(agreement=agreement, action=action, by=by, note="Alasan")
    assert result.state == to_state
    assert PerformanceAgreement.objects.get().state == to_state
    event = AgreementEvent.objects.get()
    assert (event.from_state, event.to_state, event.by) == (state, to_state, by)
    record = AuditRecord.objects.get(object_type="strategy.performanceagreement")
    assert (record.action, record.before, record.after) == (
        action, {"state": state}, {"state": to_state},
    )  # fmt: skip
    assert record.object_id == f"DINKES/{AGREEMENT_YEAR}"


@pytest.mark.parametrize(("state", "action"), [(SUBMITTED, "return"), (AGREED, "reopen")])
@pytest.mark.parametrize("note", ["", "   \n"])
def test_returning_and_reopening_need_a_reason(cast, state, action, note):
    agreement = agreement_in(cast, state)
    by = cast.head if action == "return" else cast.pengelola  # the head returns, drafters reopen

    with pytest.raises(ValidationError) as caught:
        services.agreement_transition(agreement=agreement, action=action, by=by, note=note)

    assert "note" in caught.value.message_dict
    agreement.refresh_from_db()
    assert agreement.state == state
    assert not AgreementEvent.objects.exists()


def test_an_agreement_without_targets_cannot_be_submitted(cast):
    agreement = agreement_in(cast, DRAFT, with_target=False)

    with pytest.raises(ValidationError):
        services.agreement_transition(agreement=agreement, action="submit", by=cast.pengelola)

    agreement.refresh_from_db()
    assert agreement.state == DRAFT


def test_the_history_keeps_each_step_with_the_targets_as_they_stood(cast, response_time):
    services.target_set(
        by=SYSTEM,
        indicator=response_time,
        year=AGREEMENT_YEAR,
        value=D(15),
        quarters=[D(16), D(15), D(15), D(14)],
    )
    agreement = services.agreement_for(cast.dinkes, AGREEMENT_YEAR)
    steps = [
        ("submit", cast.pengelola, ""),
        ("return", cast.head, "Target TW IV terlalu longgar"),
    ]
    for action, by, note in steps:
        agreement = services.agreement_transition(
            agreement=agreement, action=action, by=by, note=note
        )
    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(14))
    for action, by in [("submit", cast.pengelola), ("agree", cast.head)]:
        agreement = services.agreement_transition(agreement=agreement, action=action, by=by)

    events = list(agreement.events.all())
    assert [(e.from_state, e.to_state) for e in events] == [
        (DRAFT, SUBMITTED), (SUBMITTED, RETURNED), (RETURNED, SUBMITTED), (SUBMITTED, AGREED),
    ]  # fmt: skip
    assert events[1].note == "Target TW IV terlalu longgar"
    assert [e.by for e in events] == [cast.pengelola, cast.head, cast.pengelola, cast.head]
    first, last = events[0].targets["IKU-01"], events[-1].targets["IKU-01"]
    assert D(first["value"]) == D(15) and D(last["value"]) == D(14)
    assert [D(q[1]) for q in first["quarters"]] == [D(16), D(15), D(15), D(14)]
    assert agreement.state == AGREED
    assert agreement.agreed_by == cast.head
    assert agreement.agreed_at is not None


def test_reopening_keeps_the_agreed_version_in_the_history(cast, response_time):
    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15))
    agreement = services.agreement_for(cast.dinkes, AGREEMENT_YEAR)
    agreement = services.agreement_transition(
        agreement=agreement, action="submit", by=cast.pengelola
    )
    agreement = services.agreement_transition(agreement=agreement, action="agree", by=cast.head)

    agreement = services.agreement_transition(
        agreement=agreement, action="reopen", by=cast.pengelola, note="APBD Perubahan"
    )
    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(13))

    assert agreement.state == DRAFT
    agreed = agreement.events.get(to_state=AGREED)
    assert D(agreed.targets["IKU-01"]["value"]) == D(15)
    record = AuditRecord.objects.filter(object_type="strategy.performanceagreement").latest("seq")
    assert (record.action, record.note) == ("reopen", "APBD Perubahan")


def test_an_unknown_action_changes_nothing(cast):
    agreement = agreement_in(cast, DRAFT)

    with pytest.raises((KeyError, ValidationError)):
        services.agreement_transition(agreement=agreement, action="approve", by=cast.head)

    agreement.refresh_from_db()
    assert agreement.state == DRAFT


def test_a_submitted_agreement_is_told_to_the_agency_head_only(cast):
    agreement = agreement_in(cast, DRAFT)
    services.agreement_transition(agreement=agreement, action="submit", by=cast.pengelola)
    link = f"/kinerja-organisasi/DINKES/pk/{AGREEMENT_YEAR}/"
    assert [n.recipient for n in Notification.objects.filter(link=link)] == [cast.head]
