"""Every page each demo persona can reach by following links (``kinerja.testing.crawl``): no
link leads to an error (404, 403, any 4xx, 5xx), and no Indonesian page shows an English word.

The Plaju demo is loaded once for the module, as of today — the pages read the real clock, so
the demo must be "today's" for what they show to make sense (as ``make run`` loads it). The
story's objection, which the demo records only once the year's annual rating has opened (from
1 January), is recorded on top as on 6 and 7 January of the next year, so that its pages and
notifications are crawled too. The crawl reads the final catalogue (``kinerja/locale``): a
msgid without its Indonesian translation shows in English and is reported here, with the page
and the text around it.
"""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from kinerja.accounts.models import User
from kinerja.core.models import Notification
from kinerja.demo.loader.year import OBJECTION
from kinerja.evaluations import services as evaluations
from kinerja.evaluations.models import Objection
from kinerja.skp.models import Skp
from kinerja.testing.crawl import Crawl, report
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

#: README "Demo accounts", and Wulandari, whose plan was returned.
PERSONAS = {
    "Siti Rohani (Pegawai)": "199506092019032005",
    "dr. Nyimas Farida Hanum (Pejabat Penilai)": "198305232010042002",
    "dr. Rizky Pratama (Atasan Pejabat Penilai)": "198009052008061001",
    "dr. Hj. Nurul Fadilah (Pimpinan Instansi)": "197010151998022005",
    "Anisa Rahma (Pengelola Kinerja)": "199107302015032007",
    "admin (Admin BKPSDM)": "admin",
    "auditor (Auditor)": "auditor",
    "Wulandari (returned plan)": "198912242012012002",
}


def _load() -> None:
    call_command("demo", "load", stdout=StringIO())
    if Objection.objects.exists():
        return  # loaded in December, the demo records the objection itself (data/story.yaml)
    with translation.override("en"):  # as the demo command runs (kinerja.core.commands)
        _objection(timezone.localdate().year)


def _objection(year: int) -> None:
    """Yeni Marlina's annual rating and her objection, waiting for dr. Rizky Pratama — as the
    demo records them when loaded in December, on 6 and 7 January of the next year otherwise."""
    wib = ZoneInfo("Asia/Jakarta")
    skp = Skp.objects.get(employee__name=OBJECTION["person"], year=year)
    evaluation = evaluations.evaluation_rate(
        skp=skp,
        by=User.objects.get(employee=skp.rater),
        period=str(year),
        results_rating=OBJECTION["results"],
        behaviour_rating=OBJECTION["behaviour"],
        note=OBJECTION["note"],
        now=datetime(year + 1, 1, 6, 10, tzinfo=wib),
    )
    evaluations.objection_file(
        evaluation=evaluation,
        by=User.objects.get(employee=skp.employee),
        reason=OBJECTION["reason"],
        evidence=OBJECTION["evidence"],
        now=datetime(year + 1, 1, 7, 10, tzinfo=wib),
    )


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker, _load):
        yield


@pytest.mark.parametrize(("persona", "username"), PERSONAS.items())
def test_every_link_answers_and_every_page_speaks_indonesian(_demo, client, persona, username):
    user = User.objects.get(username=username)
    assert user.language == "id"
    client.force_login(user, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    crawl = Crawl(client, persona)
    problems = crawl.run("/")
    assert len(crawl.visited) >= 10, sorted(crawl.visited)  # the crawl did get somewhere
    assert not problems, f"{len(problems)} problems:\n{report(problems)}"


def test_the_objection_reaches_its_decider_in_his_language_not_the_filers(_demo, db):
    """The issue's "Yeni Marlina… objects to the 2026 predicate": written for dr. Rizky."""
    rizky = User.objects.get(username=PERSONAS["dr. Rizky Pratama (Atasan Pejabat Penilai)"])
    note = Notification.objects.get(recipient=rizky, link__startswith="/penilaian/keberatan/")
    with translation.override("id"):
        expected = gettext("%(name)s objects to the %(year)s predicate") % {
            "name": OBJECTION["person"],
            "year": timezone.localdate().year,
        }
    assert note.title == expected
