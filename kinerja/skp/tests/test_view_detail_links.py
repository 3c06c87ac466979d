"""The plan page leads to the documents and the evaluation pages (``skp:detail``): the SKP
document, each rating's screen and evaluation document, the development plan and the feedback;
a link is shown to the people it opens for, and not to those it would refuse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .support import approved, detail_url, draft, html_of, quarter_rated

pytestmark = pytest.mark.django_db


SEES_THE_PLAN = ["employee", "rater", "rater_superior", "head", "pengelola", "admin", "auditor"]


# --- The plan page -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SEES_THE_PLAN)
def test_everyone_who_sees_the_plan_may_download_its_document(cast, client_for, persona):
    skp = draft(cast)
    client = client_for(cast.users[persona])
    html = html_of(client, detail_url(skp))
    pdf = reverse("skp:pdf", args=[skp.pk])
    assert f'id="skp-pdf-link" href="{pdf}"' in html
    assert client.get(pdf).status_code in {200, 503}  # 503: no PDF engine on this machine


@pytest.mark.parametrize("persona", ["outsider", "colleague", "other_head"])
def test_people_who_do_not_see_the_plan_get_neither_the_page_nor_its_document(
    cast, client_for, persona
):
    skp, evaluation = quarter_rated(cast)
    client = client_for(cast.users[persona])
    assert client.get(detail_url(skp)).status_code == 404
    assert client.get(reverse("skp:pdf", args=[skp.pk])).status_code == 404
    assert client.get(reverse("evaluations:pdf", args=[evaluation.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("employee", True),
        ("rater", True),
        ("pengelola", True),
        ("admin", True),
        ("rater_superior", False),
        ("head", False),
        ("auditor", False),
    ],
)
def test_the_development_plan_link_is_shown_to_whom_it_opens_for(cast, client_for, persona, shown):
    skp = approved(cast)
    client = client_for(cast.users[persona])
    html = html_of(client, detail_url(skp))
    url = reverse("evaluations:development_open", args=[skp.pk])
    assert (f'id="skp-development-link" href="{url}"' in html) is shown
    assert client.get(url).status_code == (200 if shown else 403)


def test_the_feedback_link_is_on_the_plan_page_once_submitted(cast, client_for):
    skp = approved(cast)
    html = html_of(client_for(cast.employee), detail_url(skp))
    assert f'href="{reverse("evaluations:feedback", args=[skp.pk])}"' in html


@pytest.mark.parametrize("persona", ["employee", "rater", "rater_superior", "head", "auditor"])
def test_the_plan_page_lists_each_rating_with_its_screen_and_document(cast, client_for, persona):
    skp, evaluation = quarter_rated(cast)
    client = client_for(cast.users[persona])
    html = html_of(client, detail_url(skp))
    row = html[html.index(f'id="evaluation-{evaluation.pk}"') :]
    row = row[: row.index("</tr>")]
    rate = reverse("evaluations:rate", args=[skp.pk, evaluation.period])
    pdf = reverse("evaluations:pdf", args=[evaluation.pk])
    assert f'href="{rate}"' in row and f'href="{pdf}"' in row
    assert client.get(rate).status_code == 200
    assert client.get(pdf).status_code in {200, 503}


def test_a_plan_without_ratings_has_no_ratings_section(cast, client_for):
    skp = approved(cast)
    assert 'id="evaluations"' not in html_of(client_for(cast.employee), detail_url(skp))
