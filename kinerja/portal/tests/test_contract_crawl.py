"""Every page each demo persona can reach by following links (``kinerja.testing.crawl``): no
link leads to an error (404, 403, any 4xx, 5xx), and no Indonesian page shows an English word.

The Plaju demo is loaded once for the module, as of today — the pages read the real clock, so
the demo must be "today's" for what they show to make sense (as ``make run`` loads it). The
crawl reads the final catalogue (``kinerja/locale``): a msgid without its Indonesian
translation shows in English and is reported here, with the page and the text around it.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
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
