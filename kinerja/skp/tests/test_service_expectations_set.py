"""The leader's special expectations (``services/expectations.py``): ``expectations_set``, the
rater's expectations for several core values in one operation — all or nothing, a refused text
named by its value's code, unchanged texts left alone, only the rater; ``expectation_set``, one
value's, only by the rater."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.skp import services
from kinerja.skp.models import BehaviourExpectation
from kinerja.skp.rules import behaviour_values

from .support import draft_2026, submitted

pytestmark = pytest.mark.django_db


def test_the_rater_sets_several_at_once_and_an_empty_text_removes_one(cast):
    skp = submitted(cast)
    first, second, third = behaviour_values(skp.year)[:3]
    services.expectation_set(skp=skp, value=third, text="Tepat waktu", by=cast.rater)
    services.expectations_set(
        skp=skp, by=cast.rater, expectations={first: "Ramah", second: " Jujur ", third: ""}
    )
    stored = dict(BehaviourExpectation.objects.filter(skp=skp).values_list("value__code", "text"))
    assert stored == {first.code: "Ramah", second.code: "Jujur"}


def test_one_refused_text_stores_nothing_and_names_its_value(cast):
    skp = submitted(cast)
    first, second = behaviour_values(skp.year)[:2]
    records = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.expectations_set(
            skp=skp, by=cast.rater, expectations={first: "Ramah", second: "Jujur\x00"}
        )
    assert set(refused.value.message_dict) == {second.code}
    assert not BehaviourExpectation.objects.filter(skp=skp).exists()
    assert AuditRecord.objects.count() == records


def test_unchanged_texts_are_left_alone(cast):
    skp = submitted(cast)
    first = behaviour_values(skp.year)[0]
    services.expectation_set(skp=skp, value=first, text="Ramah", by=cast.rater)
    records = AuditRecord.objects.count()
    services.expectations_set(skp=skp, by=cast.rater, expectations={first: "Ramah"})
    assert AuditRecord.objects.count() == records


def test_only_the_rater_writes_them(cast):
    skp = submitted(cast)
    first = behaviour_values(skp.year)[0]
    with pytest.raises(PermissionDenied):
        services.expectations_set(skp=skp, by=cast.employee, expectations={first: "Ramah"})
    assert not BehaviourExpectation.objects.exists()


def test_only_the_rater_writes_the_leaders_special_expectations(cast):
    from kinerja.skp.models import BehaviourValue

    skp = draft_2026(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    value = BehaviourValue.objects.get(valid_from=2022, code="kompeten")
    for user in (cast.employee, cast.pengelola, cast.colleague):
        with pytest.raises(PermissionDenied):
            services.expectation_set(skp=skp, value=value, text="Belajar", by=user)
    expectation = services.expectation_set(
        skp=skp, value=value, text="Belajar triase", by=cast.rater
    )
    assert expectation.text == "Belajar triase"
    assert services.expectation_set(skp=skp, value=value, text="", by=cast.rater) is None
    assert not skp.expectations.exists()
