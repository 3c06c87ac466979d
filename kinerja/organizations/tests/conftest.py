"""Fixtures shared by several test modules of organizations: the private storage, an import
job, GET from the employees API with a fresh token (the other lists' modules have their own
``api_get``)."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import ImportJob
from kinerja.organizations.tests.support import EMPLOYEES, HEADER, IMPORT, csv_upload, new_row


@pytest.fixture
def storage(settings, tmp_path) -> Path:
    """The private storage in a fresh folder, to see what is kept on disk."""
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        }
    }
    return tmp_path


@pytest.fixture
def job(cast, client_for, storage) -> ImportJob:
    """An import job of two new employees, run by the performance administrator."""
    client_for(cast.pengelola).post(IMPORT, {"file": csv_upload(HEADER + new_row(1) + new_row(2))})
    return ImportJob.objects.get()


_names = count(1)


@pytest.fixture
def bearer():
    """``bearer(user)``: the Authorization header of a fresh personal token of ``user``."""

    def make(user) -> dict[str, str]:
        _, secret = token_create(name=f"employees-{next(_names)}", user=user, by=SYSTEM)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def api_get(client, bearer):
    """``api_get(user, path=EMPLOYEES, **query)``: GET with a fresh personal token of ``user``."""

    def get(user, path=EMPLOYEES, **query):
        return client.get(path, query, **bearer(user))

    return get
