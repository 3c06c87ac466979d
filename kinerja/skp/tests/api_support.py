"""What the API tests of plans and evaluations share (no tests here): a client that calls the
API with a personal token of a persona, and the plan of the employee built through the API."""

from __future__ import annotations

import json
from itertools import count

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.skp.tests.factories import approved_plan

_names = count(1)


INDICATORS = [
    {
        "aspect": "kuantitas",
        "text": "Jumlah pasien yang dilayani",
        "target": 1200,
        "unit": "pasien",
    },
    {"aspect": "kualitas", "text": "Kepuasan pasien", "target": "80-90", "unit": "%"},
]


class Api:
    """``api.post(user, path, body)`` and ``api.get(user, path, **query)`` with the user's
    personal token (``user=None``: no credentials at all)."""

    def __init__(self, client):
        self.client = client
        self._tokens: dict[int, str] = {}

    def headers(self, user) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self._tokens:
            _, secret = token_create(name=f"skp-api-{next(_names)}", user=user, by=SYSTEM)
            self._tokens[user.pk] = secret
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[user.pk]}"}

    def post(self, user, path: str, body: dict | None = None):
        return self.client.post(
            path, json.dumps(body or {}), content_type="application/json", **self.headers(user)
        )

    def get(self, user, path: str, **query):
        return self.client.get(path, query, **self.headers(user))


def fields(response) -> list[str]:
    """The fields a 422 names."""
    return [error["field"] for error in response.json()["errors"]]


def raters_plan(cast, year: int = 2026):
    """The rater's (Kepala Puskesmas) approved plan: the results the employee supports."""
    return approved_plan(cast, "rater", year)


def draft_through_api(api, cast, *, year: int = 2026, supports: int | None = None) -> dict:
    """The employee's plan with one main result, drafted through the API; returns the plan."""
    response = api.post(
        cast.employee, "/api/v1/skp", {"employee": cast.employees["employee"].nip, "year": year}
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    response = api.post(
        cast.employee,
        f"/api/v1/skp/{plan['id']}/rhk",
        {"kind": "utama", "text": "Terlaksananya asuhan keperawatan", "supports": supports,
         "indicators": INDICATORS},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return api.get(cast.employee, f"/api/v1/skp/{plan['id']}").json()


def approved_through_api(api, cast, *, year: int = 2026) -> dict:
    plan = draft_through_api(api, cast, year=year)
    assert api.post(cast.employee, f"/api/v1/skp/{plan['id']}/submit").status_code == 200
    response = api.post(cast.rater, f"/api/v1/skp/{plan['id']}/approve")
    assert response.status_code == 200, response.content
    return response.json()


def act(api, user, plan, action, body=None):
    return api.post(user, f"/api/v1/skp/{plan['id']}/{action}", body)
