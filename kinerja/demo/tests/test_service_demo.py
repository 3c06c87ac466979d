"""The demo's own operations (``kinerja.demo.services``): only the loader, only in demo mode,
each audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Notification
from kinerja.core.notifications import notify
from kinerja.demo import services
from kinerja.skp.models import Iki, IkiRealisation
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db


def account(username: str) -> User:
    user = User(username=username)
    user.set_unusable_password()
    user.save()
    return user


def test_every_operation_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False

    with pytest.raises(PermissionDenied):
        services.service_account_create(username="admin", first_name="A", last_name="B", by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.demo_password_set(users=[account("someone")], by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.iki_history_add(values=[], by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.story_notices_clear(after=0, keep_link_prefix="/", by=SYSTEM)
    assert not User.objects.filter(username="admin").exists()
    assert not AuditRecord.objects.exists()


def test_a_person_may_not_use_them_even_an_administrator(cast):
    for by in (cast.admin, cast.employee):
        with pytest.raises(PermissionDenied):
            services.service_account_create(
                username="auditor2", first_name="A", last_name="B", by=by
            )
        with pytest.raises(PermissionDenied):
            services.demo_password_set(users=[cast.employee], by=by)
    assert not User.objects.filter(username="auditor2").exists()


def test_a_service_account_is_created_once_without_a_usable_password():
    user, created = services.service_account_create(
        username="auditor", first_name="Auditor", last_name="Inspektorat", by=SYSTEM
    )
    again, created_again = services.service_account_create(
        username="auditor", first_name="Someone", last_name="Else", by=SYSTEM
    )

    assert (created, created_again) == (True, False)
    assert again.pk == user.pk and again.first_name == "Auditor"
    assert not user.has_usable_password() and user.employee_id is None
    record = AuditRecord.objects.get()
    assert (record.action, record.after) == ("create", {"username": "auditor", "employee": None})


def test_the_demo_password_goes_to_the_accounts_without_one_with_one_hash():
    with_password = User.objects.create_user(username="kept", password="x-Secret-123")
    without = [account("one"), account("two")]

    with translation.override("en"):  # as the demo command runs: the note is the region's
        changed = services.demo_password_set(users=[with_password, *without], by=SYSTEM)

    assert changed == 2
    hashes = set(User.objects.filter(pk__in=[u.pk for u in without]).values_list("password"))
    assert len(hashes) == 1
    assert all(User.objects.get(pk=u.pk).check_password(DEMO_PASSWORD) for u in without)
    assert not User.objects.get(pk=with_password.pk).check_password(DEMO_PASSWORD)
    records = AuditRecord.objects.filter(action="password_reset")
    with translation.override("id"):
        note = gettext("Demo password set.")
    assert records.count() == 2 and {r.note for r in records} == {note}
    assert services.demo_password_set(users=without, by=SYSTEM) == 0


def test_history_is_written_in_bulk_and_audited_value_by_value(cast):
    skp = approved_plan(cast)
    ikis = list(Iki.objects.filter(rhk__skp=skp).order_by("number"))
    values = [(iki, "2026-Q1", Decimal("12.50"), cast.employee) for iki in ikis]

    assert services.iki_history_add(values=values, by=SYSTEM) == len(ikis)

    rows = IkiRealisation.objects.filter(iki__in=ikis)
    assert {(r.period, r.value, r.recorded_by_id) for r in rows} == {
        ("2026-Q1", Decimal("12.50"), cast.employee.pk)
    }
    records = AuditRecord.objects.filter(object_type="skp.ikirealisation", action="create")
    assert records.count() == len(ikis)
    assert {r.after["value"] for r in records} == {"12.50"}


def test_the_storys_notices_go_but_the_kept_ones_and_the_older_ones_stay(cast):
    [older] = notify(users=[cast.rater], title="Older", link="/skp/1/")
    last = older.pk
    notify(users=[cast.employee], title="Plan approved", link="/skp/2/")
    [kept] = notify(users=[cast.rater_superior], title="Objection", link="/penilaian/keberatan/3/")

    removed = services.story_notices_clear(
        after=last, keep_link_prefix="/penilaian/keberatan/", by=SYSTEM
    )

    assert removed == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {older.pk, kept.pk}


def test_the_storys_notices_that_still_ask_something_stay(cast):
    notify(users=[cast.employee], title="Plan approved", link="/skp/2/")
    [waiting] = notify(users=[cast.rater], title="Plan submitted", link="/skp/3/")

    removed = services.story_notices_clear(after=0, keep_links=["/skp/3/"], by=SYSTEM)

    assert removed == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [waiting.pk]
