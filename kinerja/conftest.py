"""Fixtures shared by every test module."""

import os

import pytest
from django.core.cache import cache

from kinerja.demo.loader import streams
from kinerja.testing.database import restore_rule_tables
from kinerja.testing.personas import build_cast


@pytest.fixture(autouse=True, scope="session")
def _short_service_history():
    """The demo's year of service events takes half a minute to load; tests that load the demo
    for other reasons get a week of it (kinerja/demo/tests load the full year once)."""
    streams.DAYS = 7


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: counters such as the per-address throttles
    (kinerja.accounts.throttle) must not carry over from one test to the next."""
    cache.clear()


@pytest.fixture
def cast(db):
    """The standard personas (see kinerja/testing/personas.py)."""
    return build_cast()


@pytest.fixture
def cast_live(transactional_db):
    """The standard personas, committed for the live server of the browser tests. A
    transactional database is emptied after each test, with the rule tables the migrations
    load: they are put back first."""
    restore_rule_tables()
    return build_cast()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user``."""

    def sign_in(user):
        client.force_login(user, backend="kinerja.accounts.backends.NipOrUsernameBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _english_api_and_indonesian_ui(settings):
    """Run every test in the product's default language."""
    settings.LANGUAGE_CODE = "id"


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return f"kinerja database: {engine} (DATABASE_URL={os.environ.get('DATABASE_URL', 'unset')})"


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    from kinerja.testing.browser import CHROMIUM_ARGS, chromium_or_skip

    executable = chromium_or_skip()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (setting up data) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser page (own cookies) against the live test server, in Indonesian."""
    context = _browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(_browser, live_server):
    """A browser page the size of a phone."""
    context = _browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
