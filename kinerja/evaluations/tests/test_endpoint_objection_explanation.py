"""POST /api/v1/objections/{id}/explanation (``objection_explanation``): the rater explains
when asked; the decision then shows both sides; nobody else explains (403); an outsider does
not see it (404); unasked, twice or after the decision is a 409; the decision waits (409)."""

import pytest

from .api_support import decide, object_to

pytestmark = pytest.mark.django_db

TEXT = "Realisasi Desember belum diverifikasi saat penilaian"


def explain(api, user, objection_id, text=TEXT):
    return api.post(user, f"/api/v1/objections/{objection_id}/explanation", {"text": text})


@pytest.fixture
def objection(api, cast, annual):
    return object_to(api, cast.employee, annual, evidence="Rekap loket Desember").json()


def asked(api, cast, objection):
    path = f"/api/v1/objections/{objection['id']}/explanation-request"
    assert api.post(cast.rater_superior, path, {}).status_code == 200
    return objection


def test_the_rater_explains_and_the_decision_shows_both_sides(api, cast, objection):
    asked(api, cast, objection)
    waiting = decide(api, cast.rater_superior, objection["id"])
    assert waiting.status_code == 409
    assert "explanation is awaited until" in waiting.json()["error"]
    response = explain(api, cast.rater, objection["id"])
    assert response.status_code == 200, response.content
    row = response.json()
    assert (row["explanation"], row["explained_by"], row["explanation_late"]) == (
        TEXT,
        cast.employees["rater"].nip,
        False,
    )
    decided = decide(api, cast.rater_superior, objection["id"])
    assert decided.status_code == 200, decided.content
    both = decided.json()
    assert (both["reason"], both["evidence"], both["explanation"]) == (
        "Realisasi Desember belum dihitung",
        "Rekap loket Desember",
        TEXT,
    )
    assert both["decision_recorded_by"] == cast.rater_superior.username


def test_unasked_twice_or_after_the_decision_is_a_conflict(api, cast, objection):
    response = explain(api, cast.rater, objection["id"])
    assert response.status_code == 409
    assert response.json()["error"] == "The rater's superior has not asked for an explanation."
    asked(api, cast, objection)
    assert explain(api, cast.rater, objection["id"]).status_code == 200
    assert explain(api, cast.rater, objection["id"]).status_code == 409


def test_an_empty_explanation_names_the_field(api, cast, objection):
    asked(api, cast, objection)
    response = explain(api, cast.rater, objection["id"], text="")
    assert response.status_code == 422
    assert "text" in str(response.json())


@pytest.mark.parametrize("who", ["rater_superior", "employee", "head", "pengelola", "admin"])
def test_only_the_rater_explains(api, cast, objection, who):
    asked(api, cast, objection)
    assert explain(api, cast.users[who], objection["id"]).status_code == 403


def test_an_outsider_does_not_see_the_objection(api, cast, objection):
    asked(api, cast, objection)
    assert explain(api, cast.outsider, objection["id"]).status_code == 404
