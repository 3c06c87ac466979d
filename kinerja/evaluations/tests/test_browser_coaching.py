"""In a real browser, coaching when a measure slips: the rater verifies a value below
expectation → a coaching item opens for him → he opens it, edits the pre-filled message (the
data and their provenance) and sends it → the employee sees the feedback and the support
item with the data behind it, at 1366×768 and on a phone; what was done is on record."""

import os
import time
from pathlib import Path

import pytest

from kinerja.core.models import AuditRecord
from kinerja.evaluations.models import CoachingItem, Feedback
from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import approved_plan
from kinerja.testing.browser import sign_in

from .support import Q1, YEAR

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: ``KINERJA_SHOTS`` when set (to look at them), else a
    temporary folder."""
    folder = Path(os.environ.get("KINERJA_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_out(page):
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def _item_of(skp) -> CoachingItem:
    """The item the verification opened (after the commit, in the server's thread)."""
    for _attempt in range(50):
        item = CoachingItem.objects.filter(skp=skp).first()
        if item is not None:
            return item
        time.sleep(0.1)
    raise AssertionError("no coaching item was opened")


def test_a_slip_is_coached_and_the_employee_sees_the_support(cast_live, page, phone_page, shots):
    cast = cast_live
    skp = approved_plan(cast, "employee", YEAR)
    count = skp.results.get().indicators.get(number=1)  # 1200 a year: 300 a quarter
    value = skp_services.realisation_record(iki=count, period=Q1, value="200", by=cast.employee)

    # The rater verifies the employee's value of 200: it counts, and it is below expectation.
    sign_in(page, cast.rater)
    page.goto(f"/skp/{skp.pk}/realisasi/?year={YEAR}")
    page.locator(f"#verify-accept-{value.pk}").click()
    page.wait_for_load_state()
    item = _item_of(skp)
    assert (item.state, item.data["value"]) == ("open", "200")

    # He opens the coaching item: the data with their provenance, the message pre-filled.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/penilaian/pendampingan/{item.pk}/")
    data = page.locator("#coaching-data").inner_text()
    assert "Jumlah pasien yang dilayani" in data and "300" in data and "200" in data
    assert "dr. Ahmad Fauzi" in data  # verified by: the value's provenance
    message = page.locator("#id_fb-text")
    assert "200" in message.input_value() and "66,67" in message.input_value()
    page.screenshot(path=str(shots / "coaching-rater-1366.png"), full_page=True)
    message.fill(message.input_value() + "\nSaya siap mendampingi: kita bahas hari Senin.")
    page.locator("#coaching-feedback-send").click()
    page.wait_for_selector("#coaching-done")
    assert "kita bahas hari Senin" in page.locator("#coaching-done").inner_text()
    item.refresh_from_db()
    assert item.state == "feedback_sent" and item.acted_by == cast.rater
    sign_out(page)

    # The employee sees the feedback and the support item with the data, on a phone too.
    for browser_page, name in [(page, "1366"), (phone_page, "phone")]:
        sign_in(browser_page, cast.employee)
        browser_page.goto(f"/kinerja-saya/?year={YEAR}")
        support = browser_page.locator(f"#support-{item.pk}")
        support.scroll_into_view_if_needed()
        text = support.inner_text()
        assert "kita bahas hari Senin" in text and "Jumlah pasien yang dilayani" in text
        assert "kita bahas hari Senin" in browser_page.locator("#feedback").inner_text()
        support.screenshot(path=str(shots / f"coaching-employee-{name}.png"))

    # On record: the feedback, and the item's transition through the rater's web door.
    assert Feedback.objects.get(pk=item.feedback_id).author == cast.employees["rater"]
    record = AuditRecord.objects.filter(
        object_type="evaluations.coachingitem", action="transition"
    ).get()
    assert record.channel == "web" and record.after["state"] == "feedback_sent"
