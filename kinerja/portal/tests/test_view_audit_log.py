"""``portal:audit_log``: the audit trail page, for regional administrators and auditors only, with
its filters, in a bounded number of queries."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from kinerja.core import audit
from kinerja.core.models import ACTION_LABELS, Channel
from kinerja.organizations.models import Employee
from kinerja.portal.audit_labels import OBJECT_TYPE_LABELS
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.tests.factories import approved_plan


@pytest.mark.parametrize(
    "persona", ["employee", "rater", "rater_superior", "head", "pengelola", "outsider"]
)
def test_the_audit_trail_is_refused_to_everyone_but_administrators_and_auditors(
    cast, client_for, persona
):
    assert client_for(cast.users[persona]).get(reverse("portal:audit_log")).status_code == 403


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_administrators_and_auditors_browse_the_audit_trail(cast, client_for, persona):
    with audit.door(Channel.COMMAND, cast.admin):
        audit.record(
            "update", cast.employees["employee"], before={"name": "A"}, after={"name": "B"}
        )
    response = client_for(cast.users[persona]).get(reverse("portal:audit_log"))
    assert response.status_code == 200
    html = response.content.decode()
    assert cast.employees["employee"].nip in html
    # the field by its label in the page's language (the API keeps the name)
    with translation.override("id"):
        name = str(Employee._meta.get_field("name").verbose_name)
    assert f"{name}: A → B" in html


def test_actions_object_types_fields_and_coded_values_are_shown_by_their_labels(cast, client_for):
    skp = approved_plan(cast)
    with audit.door(Channel.WEB, cast.rater_superior):
        audit.record("transition", skp, before={"state": "rated"}, after={"state": "objected"})
    client = client_for(cast.admin)
    response = client.get(reverse("portal:audit_log"), {"text": skp.audit_key})
    [row] = [r for r in response.context["rows"] if r["record"].after == {"state": "objected"}]
    with translation.override("id"):
        assert row["record"].action_label == str(ACTION_LABELS["transition"])
        assert row["type"] == capfirst(str(Skp._meta.verbose_name))
        state = Skp._meta.get_field("state")
        expected = (str(state.verbose_name), SkpState("rated").label, SkpState("objected").label)
    assert [tuple(map(str, change)) for change in row["changes"]] == [tuple(map(str, expected))]
    html = response.content.decode()
    assert "state: rated → objected" not in html
    assert f"{expected[0]}: {expected[1]} → {expected[2]}" in html


def test_the_audit_trail_filters_by_object_door_and_agency(cast, client_for):
    with audit.door(Channel.WEB, cast.admin):
        audit.record("update", cast.employees["employee"], after={"email": "a@b.id"})
    with audit.door(Channel.API, cast.admin):
        audit.record("update", cast.employees["outsider"], after={"email": "c@d.id"})
    client = client_for(cast.auditor)

    def shown(**query):
        response = client.get(reverse("portal:audit_log"), query)
        return {row["record"].object_id for row in response.context["rows"]}

    assert shown(channel="api") == {cast.employees["outsider"].nip}
    assert shown(agency="DINKES") == {cast.employees["employee"].nip}
    assert shown(text=cast.employees["employee"].nip[:12]) >= {cast.employees["employee"].nip}
    assert shown(actor="nobody-like-this") == set()


def test_a_reversed_date_range_is_a_form_error_not_a_failure(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("portal:audit_log"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["until"]


def test_the_audit_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    with audit.door(Channel.COMMAND, None, label="test"):
        for i in range(120):
            audit.record("update", cast.employees["employee"], after={"i": i})
    client = client_for(cast.admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("portal:audit_log"))
    assert len(response.context["rows"]) == 50


def test_every_model_that_records_changes_has_a_label_of_its_own():
    """A model without a verbose name would show Django's English one, made from its name."""
    unnamed = {
        m._meta.label_lower
        for m in apps.get_models()
        if m.__module__.startswith("kinerja") and "verbose_name" not in m._meta.original_attrs
    }
    assert unnamed - set(OBJECT_TYPE_LABELS) == set()
