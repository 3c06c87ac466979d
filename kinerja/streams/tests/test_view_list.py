"""``streams:list``: the list of streams for those who see one, with counts after catching up,
in a bounded number of queries; the menu item follows the visible streams; and none of the
administrator's pages of service data has an inline script or style (strict CSP)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .service_data import make_stream
from .support import CODE, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("auditor", 200),
        ("pengelola", 200),
        ("head", 200),
        ("employee", 200),
        ("outsider", 403),
        ("other_head", 403),
    ],
)
def test_the_stream_list_is_for_those_who_see_a_stream(cast, client_for, stream, persona, status):
    response = client_for(getattr(cast, persona)).get(url("list"))
    assert response.status_code == status


def test_the_list_shows_counts_after_catching_up(cast, client_for, stream):
    other = make_stream(cast.dukcapil, code="ktp-el")
    response = client_for(cast.employee).get(url("list"))
    rows = response.context["rows"]
    assert [r["stream"].code for r in rows] == [CODE]  # not the other agency's stream
    assert (rows[0]["cases"], rows[0]["events"]) == (2, 3)
    assert rows[0]["last_event_at"] is not None
    assert other.code not in response.content.decode()


def test_region_readers_see_every_stream(cast, client_for, stream):
    make_stream(cast.dukcapil, code="ktp-el")
    response = client_for(cast.auditor).get(url("list"))
    assert {r["stream"].code for r in response.context["rows"]} == {CODE, "ktp-el"}


def test_the_list_makes_the_same_number_of_queries_for_more_streams(
    cast, client_for, stream, django_assert_max_num_queries
):
    client = client_for(cast.admin)
    client.get(url("list"))  # caught up
    for n in range(5):
        make_stream(cast.dinkes, code=f"s-{n}")
    with django_assert_max_num_queries(10):
        response = client.get(url("list"))
    assert len(response.context["rows"]) == 6


def test_the_service_data_menu_item_follows_the_visible_streams(cast, client_for, stream):
    def menu(user):
        response = client_for(user).get(reverse("portal:home"))
        return [link.url for item in response.context["kinerja"]["nav"] for link in item.links]

    assert url("list") in menu(cast.employee)
    assert url("list") in menu(cast.auditor)
    assert url("list") not in menu(cast.outsider)


@pytest.mark.parametrize(
    "page", ["list", "detail", "edit", "exclusions", "tokens"], ids=lambda page: page
)
def test_pages_have_no_inline_script_or_style_for_the_strict_csp(
    cast, client_for, stream, exclusion, service_token, page
):
    args = () if page in ("list", "tokens") else (CODE,)
    content = client_for(cast.admin).get(url(page, *args)).content.decode()
    assert "style=" not in content
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
