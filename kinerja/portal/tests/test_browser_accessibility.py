"""axe-core (``axe-playwright-python``, served from the package, no CDN) over the main pages of
each main persona of the Plaju demo — employee, rater, agency head, region administrator — at
laptop width with every menu group opened once, and on a phone with the menu open: no
``serious`` or ``critical`` violation. The demo is loaded once; every page is scanned and the
report lists every violation found, page by page."""

from __future__ import annotations

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.skp.models import Skp
from kinerja.testing.browser import sign_in
from kinerja.testing.database import restore_rule_tables

pytestmark = pytest.mark.browser

SITI, NYIMAS, NURUL = "199506092019032005", "198305232010042002", "197010151998022005"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo(transactional_db):
    restore_rule_tables()
    call_command("demo", "load", stdout=StringIO())


def main_pages() -> dict[str, list[str]]:
    """Each persona's main pages: home, Kinerja saya, plan, realisation, rating, evaluations,
    organisation, organisational performance and its tree, a stream dashboard, the audit."""
    siti = Skp.objects.filter(employee__nip=SITI).order_by("-year").first()
    rated = siti.evaluations.order_by("-period").first()
    rating = f"/penilaian/skp/{siti.pk}/{rated.period}/"
    common = [
        "/",
        "/penilaian/",
        "/organisasi/",
        "/kinerja-organisasi/",
        "/kinerja-organisasi/pohon/",
    ]
    plan = [f"/skp/{siti.pk}/", f"/skp/{siti.pk}/realisasi/", rating]
    mine, dinkes = "/kinerja-saya/", "/layanan/aliran/gawat-darurat/dasbor/"
    feedback = f"/penilaian/skp/{siti.pk}/umpan-balik/"
    return {
        SITI: [*common, mine, *plan, dinkes],
        NYIMAS: [*common, mine, "/skp/tim/", *plan, feedback],
        NURUL: [*common, mine, "/penilaian/pantauan/", dinkes],
        "admin": [*common, "/audit/", "/pegawai/", "/layanan/aliran/ktp-el/dasbor/", rating],
    }


def scan(axe, page, where: str) -> list[str]:
    """The blocking violations of the page as shown now, one readable line per element."""
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:5]:
            found.append(
                f"{where}: [{violation['impact']}] {violation['id']} — {violation['help']}\n"
                f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}"
            )
    return found


def test_no_serious_or_critical_violation_on_any_main_page_of_the_main_personas(
    demo, _browser, live_server
):
    axe = Axe()
    report: list[str] = []
    for person, paths in main_pages().items():
        context = _browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": 1366, "height": 768}
        )
        page = context.new_page()
        sign_in(page, person, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{person} {path}: {response.status}"
            report += scan(axe, page, f"{person} {path}")
        page.goto("/")
        for group in page.locator("#main-nav details[data-nav-group] > summary").all():
            group.click()
            report += scan(axe, page, f"{person} / (menu {group.inner_text().strip()} open)")
        context.close()
        phone = _browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844}
        )
        page = phone.new_page()
        sign_in(page, person, DEMO_PASSWORD)
        page.locator("[data-nav-toggle]").click()
        report += scan(axe, page, f"{person} / (phone, menu open)")
        phone.close()
    assert not report, "axe found serious or critical violations:\n" + "\n".join(report)
