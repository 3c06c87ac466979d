"""``user_language_set``: each person saves their own interface language, on record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.services import user_language_set
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord


def test_a_person_saves_their_own_language_on_record(cast):
    user = user_language_set(user=cast.employee, language="en", by=cast.employee)
    user.refresh_from_db()
    assert user.language == "en"
    record = AuditRecord.objects.get(action="update", object_id=cast.employee.username)
    assert (record.before, record.after) == ({"language": "id"}, {"language": "en"})


def test_choosing_the_language_one_has_records_nothing(cast):
    user_language_set(user=cast.employee, language="id", by=cast.employee)
    assert not AuditRecord.objects.filter(object_id=cast.employee.username).exists()


@pytest.mark.parametrize("who", ["rater", "admin", "system"])
def test_nobody_chooses_another_persons_language(cast, who):
    by = SYSTEM if who == "system" else getattr(cast, who)
    with pytest.raises(PermissionDenied):
        user_language_set(user=cast.employee, language="en", by=by)
    cast.employee.refresh_from_db()
    assert cast.employee.language == "id"


def test_a_language_not_offered_is_refused(cast):
    with pytest.raises(ValidationError):
        user_language_set(user=cast.employee, language="fr", by=cast.employee)
