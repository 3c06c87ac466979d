"""``portal:home``: the home page says what each role can do, shows a rater the people they rate,
and the navigation follows the role; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from kinerja.portal import context_processors
from kinerja.portal.context_processors import NavGroup


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "roles", "cards", "absent"),
    [
        (
            "employee",
            {"pegawai"},
            {"card-pegawai"},
            {"card-pejabat-penilai", "card-region", "card-agency-DINKES"},
        ),
        (
            "rater",
            {"pegawai", "pejabat_penilai"},
            {"card-pegawai", "card-pejabat-penilai"},
            {"card-atasan", "card-region"},
        ),
        (
            "rater_superior",
            {"pegawai", "pejabat_penilai", "atasan_pejabat_penilai"},
            {"card-pejabat-penilai", "card-atasan"},
            {"card-region"},
        ),
        (
            "head",
            {"pegawai", "pejabat_penilai", "atasan_pejabat_penilai", "pimpinan_instansi"},
            {"card-agency-DINKES"},
            {"card-region", "card-agency-DUKCAPIL"},
        ),
        ("pengelola", {"pegawai", "pengelola_kinerja"}, {"card-agency-DINKES"}, {"card-region"}),
        ("admin", {"admin_bkpsdm"}, {"card-region"}, {"card-pegawai"}),
        ("auditor", {"auditor"}, {"card-region"}, {"card-pegawai"}),
    ],
)
def test_the_home_page_says_what_each_role_can_do(cast, client_for, persona, roles, cards, absent):
    response = client_for(cast.users[persona]).get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    shown_roles = {role.value for role in response.context["roles"]}
    assert shown_roles == roles
    for card in cards:
        assert f'id="{card}"' in html
    for card in absent:
        assert f'id="{card}"' not in html


def test_a_rater_sees_the_people_they_rate_on_the_home_page(cast, client_for):
    response = client_for(cast.rater).get(reverse("portal:home"))
    names = {e.name for e in response.context["rated"]}
    assert names == {cast.employees["employee"].name, cast.employees["colleague"].name}


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        (
            "employee",
            [
                "portal:home",
                "organizations:directory",
                "organizations:tree",
                "evaluations:mine",
                "evaluations:home",
            ],
            ["organizations:import", "portal:audit_log", "skp:team"],
        ),
        ("rater", ["evaluations:mine", "evaluations:home", "skp:team"], ["organizations:import"]),
        ("pengelola", ["organizations:import", "organizations:tree"], ["portal:audit_log"]),
        (
            "admin",
            ["organizations:import", "portal:audit_log", "organizations:tree", "evaluations:home"],
            ["organizations:me", "evaluations:mine"],
        ),
        (
            "auditor",
            ["portal:audit_log", "organizations:tree", "evaluations:home"],
            ["organizations:import", "organizations:me", "evaluations:mine"],
        ),
    ],
)
def test_navigation_follows_the_role(cast, client_for, persona, visible, hidden):
    response = client_for(cast.users[persona]).get(reverse("portal:home"))
    links = {link.url for entry in response.context["kinerja"]["nav"] for link in entry.links}
    for name in visible:
        assert reverse(name) in links
    for name in hidden:
        assert reverse(name) not in links


@pytest.mark.parametrize("persona", ["admin", "employee", "pengelola"])
def test_the_menu_groups_links_under_a_few_top_level_entries(cast, client_for, persona):
    nav = client_for(cast.users[persona]).get(reverse("portal:home")).context["kinerja"]["nav"]
    groups = [entry for entry in nav if isinstance(entry, NavGroup)]
    assert len(nav) <= 7
    # A group has at least two links; a group of one is shown as its link.
    assert all(len(group.items) >= 2 for group in groups)
    urls = [{item.url for item in group.items} for group in groups]
    administration = {reverse("portal:audit_log"), reverse("organizations:import")}
    assert (administration in urls) is (persona == "admin")


def test_the_open_group_is_marked_as_current(cast, client_for):
    response = client_for(cast.users["admin"]).get(reverse("portal:audit_log"))
    html = response.content.decode()
    nav = response.context["kinerja"]["nav"]
    active = [entry for entry in nav if entry.active]
    assert len(active) == 1 and isinstance(active[0], NavGroup)
    assert reverse("portal:audit_log") in {item.url for item in active[0].items}
    assert f'<a href="{reverse("portal:audit_log")}" aria-current="page">' in html


@pytest.mark.parametrize(("persona", "linked"), [("employee", True), ("admin", False)])
def test_the_account_name_opens_the_own_profile(cast, client_for, persona, linked):
    html = client_for(cast.users[persona]).get(reverse("portal:home")).content.decode()
    assert (f'class="account-name" href="{reverse("organizations:me")}"' in html) is linked


def test_the_home_page_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    # The head's page carries the cockpit (its growth: test_selector_cockpit.py).
    client = client_for(cast.head)
    # 40 for the page with the cockpit, and the worklist it starts with (kinerja.portal.tasks:
    # about one query per kind, whatever the number of tasks — test_selector_tasks.py)
    with django_assert_max_num_queries(40 + 15):
        client.get(reverse("portal:home"))


def test_a_top_level_link_shows_its_count_as_a_badge(cast, client_for, monkeypatch):
    """Room for pending work in the menu: a link given a count shows it beside its label."""
    entries = context_processors._entries

    def with_count(user):
        return [(None, [("portal:home", "Home", 3)]), *entries(user)[1:]]

    monkeypatch.setattr(context_processors, "_entries", with_count)
    response = client_for(cast.users["employee"]).get(reverse("portal:home"))
    assert response.context["kinerja"]["nav"][0].badge == 3
    assert '<span class="badge badge-warn nav-badge">3</span>' in response.content.decode()
