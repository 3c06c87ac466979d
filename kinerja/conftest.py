"""Fixtures shared by every test module."""

import os

import pytest

from kinerja.testing.personas import build_cast


@pytest.fixture
def cast(db):
    """The standard personas (see kinerja/testing/personas.py)."""
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

    return f"kinerja database: {settings.DATABASES['default']['ENGINE']} (DATABASE_URL={os.environ.get('DATABASE_URL', 'unset')})"
