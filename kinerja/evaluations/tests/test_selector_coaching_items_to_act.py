"""``coaching_items_to_act(user)``: the open coaching items a rater must answer (for the
worklist), earliest due first; not the superior's, not the employee's, not answered ones."""

import pytest

from kinerja.evaluations import services
from kinerja.evaluations.selectors import coaching_items_to_act, coaching_support_for

from .coaching_support import open_item

pytestmark = pytest.mark.django_db


def test_the_rater_must_answer_the_open_item(cast):
    item = open_item(cast)
    assert list(coaching_items_to_act(cast.rater)) == [item]
    assert coaching_items_to_act(cast.rater).get().due_on == item.due_on


@pytest.mark.parametrize("who", ["rater_superior", "employee", "admin", "outsider"])
def test_nobody_else_is_asked(cast, who):
    open_item(cast)
    assert not coaching_items_to_act(cast.users[who]).exists()


def test_an_answered_item_leaves_the_list_and_is_shown_to_the_employee(cast):
    item = open_item(cast)
    assert coaching_support_for([item.skp]) == []  # the rater's draft is not shown
    services.coaching_send_feedback(item=item, by=cast.rater, text="Kami bantu.")
    assert not coaching_items_to_act(cast.rater).exists()
    assert coaching_support_for([item.skp]) == [item]


def test_a_dismissed_item_is_not_shown_to_the_employee(cast):
    item = open_item(cast)
    services.coaching_dismiss(item=item, by=cast.rater, reason="Cuti")
    assert coaching_support_for([item.skp]) == []
