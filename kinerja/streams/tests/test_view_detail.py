"""``streams:detail`` (and who may open the stream pages ``detail``, ``exclusions`` and ``edit``):
the definition, tokens without their secrets, and the links each role may follow."""

from __future__ import annotations

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

from .support import CODE, url


@pytest.mark.parametrize(
    ("page", "persona", "status"),
    [
        *[("detail", p, 200) for p in ("admin", "auditor", "pengelola", "head", "employee")],
        *[("exclusions", p, 200) for p in ("admin", "auditor", "pengelola", "head", "employee")],
        ("edit", "admin", 200),
        *[("edit", p, 403) for p in ("auditor", "pengelola", "head", "employee")],
        *[(page, p, 404) for page in ("detail", "exclusions", "edit") for p in ("outsider",)],
        *[(page, "other_head", 404) for page in ("detail", "exclusions", "edit")],
    ],
)
def test_stream_pages_answer_by_role(cast, client_for, stream, page, persona, status):
    response = client_for(getattr(cast, persona)).get(url(page, CODE))
    assert response.status_code == status


def test_the_detail_shows_the_definition_tokens_without_secrets_and_links(
    cast, client_for, stream, exclusion
):
    token, secret = token_create(name="psc-119", user=None, streams=[stream], by=SYSTEM)
    response = client_for(cast.employee).get(url("detail", CODE))
    content = response.content.decode()
    assert response.context["figures"]["cases"] == 2
    assert response.context["figures"]["excluded"] == 1
    assert "psc-119" in content
    assert secret not in content and token.hint not in content
    assert url("dashboard", CODE) in content
    assert url("exclusions", CODE) in content
    assert url("edit", CODE) not in content  # an employee does not change streams


def test_the_detail_offers_the_edit_link_to_admin_bkpsdm(cast, client_for, stream):
    response = client_for(cast.admin).get(url("detail", CODE))
    assert url("edit", CODE) in response.content.decode()


@pytest.mark.parametrize(("persona", "linked"), [("pengelola", True), ("auditor", False)])
def test_the_detail_links_the_alert_rules_for_who_may_manage_them(
    cast, client_for, stream, persona, linked
):
    html = client_for(getattr(cast, persona)).get(url("detail", CODE)).content.decode()
    assert ('id="alerts-link"' in html) is linked
