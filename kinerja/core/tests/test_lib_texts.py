"""``kinerja.core.texts``: a text made by code is written in its reader's saved language
(Indonesian for anyone without one), whatever language the code making it runs in."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from kinerja.core.notifications import notify
from kinerja.core.texts import Text, formatted, in_language_of, language_of, text_for
from kinerja.evaluations.models import Predicate

APPROVED = gettext_lazy("Your %(year)s plan was approved")


def test_a_text_is_rendered_in_the_language_asked_for():
    text = Text(APPROVED, year=2026)
    assert text.render("id") == "SKP 2026 Anda disetujui"
    assert text.render("en") == "Your 2026 plan was approved"


def test_lazy_and_nested_parameters_follow_the_reader_language():
    inner = Text(gettext_lazy("Your %(year)s plan was returned"), year=2026)
    text = Text(gettext_lazy("Alert: %(name)s"), name=inner)
    assert text.render("en") == "Alert: Your 2026 plan was returned"
    assert text.render("id") == "Peringatan: SKP 2026 Anda dikembalikan"
    assert Text(gettext_lazy("returned")).render("id") == "dikembalikan"
    assert (
        Text(gettext_lazy("Alert: %(name)s"), name=Predicate.BAIK.label).render("en")
        == "Alert: Baik"
    )


def test_the_reader_language_is_their_saved_choice_or_indonesian(cast):
    cast.rater.language = "en"
    assert language_of(cast.rater) == "en"
    assert language_of(cast.employee) == "id"
    assert language_of(None) == "id"
    assert language_of(cast.employees["employee"]) == "id"  # an employee: their account's
    with in_language_of(cast.rater):
        assert translation.get_language() == "en"
    assert text_for("already written", cast.rater) == "already written"


def test_notify_writes_each_recipient_their_own_language_even_from_an_english_command(cast):
    cast.rater.language = "en"
    cast.rater.save(update_fields=["language"])
    with translation.override("en"):  # as a command runs (kinerja.core.commands)
        notes = notify(users=[cast.employee, cast.rater], title=Text(APPROVED, year=2026))
    titles = {n.recipient_id: n.title for n in notes}
    assert titles == {
        cast.employee.pk: "SKP 2026 Anda disetujui",
        cast.rater.pk: "Your 2026 plan was approved",
    }


def test_a_formatted_lazy_text_is_written_when_read_not_when_made():
    with translation.override("en"):
        text = formatted(APPROVED, {"year": 2026})  # as a module constant is made, at import
    with translation.override("id"):
        assert str(text) == "SKP 2026 Anda disetujui"
    with translation.override("en"):
        assert str(text) == "Your 2026 plan was approved"
