"""Fixtures shared by the plan tests: ``api``, a client of the API with the personas' tokens."""

import pytest

from .api_support import Api


@pytest.fixture
def api(client):
    return Api(client)
