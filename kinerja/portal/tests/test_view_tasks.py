"""``portal:tasks`` (/tugas/, "Tugas saya"): every pending action of the person, overdue first
with a badge, each linking to its page; an empty list says what comes next; the home page
starts with the first tasks and the menu links to the list."""

import pytest
from django.urls import reverse

from kinerja.skp import services as skp_services
from kinerja.skp.tests.support import draft, submitted
from kinerja.testing.language import english

pytestmark = pytest.mark.django_db

URL = "/tugas/"


def test_the_address_is_tugas():
    assert reverse("portal:tasks") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_returned_plan_is_listed_overdue_with_its_link(cast, client_for):
    skp = submitted(cast)
    skp_services.skp_return(skp=skp, by=cast.rater, reason="Target belum sesuai")
    response = english(client_for(cast.employee)).get(URL)
    html = response.content.decode()
    [item] = response.context["tasks"]
    assert (item.kind, item.url) == ("plan_submit", f"/skp/{skp.pk}/")
    assert f'href="/skp/{skp.pk}/"' in html
    assert 'data-kind="plan_submit"' in html
    if item.overdue:  # after 31 January
        assert "task-overdue" in html and "Overdue" in html
    else:
        assert "task-overdue" not in html


def test_the_rater_sees_the_plan_to_approve_and_the_outsider_nothing(cast, client_for):
    skp = submitted(cast)
    rater = client_for(cast.rater).get(URL)
    assert [t.url for t in rater.context["tasks"]] == [f"/skp/{skp.pk}/"]
    outsider = client_for(cast.outsider).get(URL)
    assert outsider.context["tasks"] == []
    assert 'id="tasks-empty"' in outsider.content.decode()


def test_the_home_page_starts_with_the_first_tasks_and_links_to_all(cast, client_for):
    draft(cast)
    response = client_for(cast.employee).get(reverse("portal:home"))
    html = response.content.decode()
    assert [t.kind for t in response.context["tasks"]] == ["plan_submit"]
    assert 'id="home-tasks"' in html
    assert html.index('id="home-tasks"') < html.index('id="card-pegawai"')
    assert f'href="{URL}"' in html


def test_the_home_page_says_when_nothing_waits(cast, client_for):
    html = client_for(cast.outsider).get(reverse("portal:home")).content.decode()
    assert 'id="home-tasks-empty"' in html


def test_the_menu_links_to_the_list_with_a_place_for_the_count(cast, client_for):
    html = client_for(cast.employee).get(reverse("organizations:directory")).content.decode()
    assert 'id="nav-tasks"' in html
    assert 'data-source="/api/v1/me/tasks"' in html
