"""A plan's page: identity, state with its history, results grouped A/B with indicators and
targets, the supported result, the seven core values with guides and expectations, the
attachment, the checks, and the actions each person may take."""

import pytest
from django.urls import reverse

from kinerja.skp import services
from kinerja.skp.models import BehaviourValue, Rhk

from .support import approved, detail_url, draft, submitted, this_year

pytestmark = pytest.mark.django_db

SEE = ["employee", "rater", "rater_superior", "head", "pengelola", "admin", "auditor"]


@pytest.mark.parametrize("persona", SEE)
def test_the_employee_their_raters_and_the_agency_see_the_plan(cast, client_for, persona):
    skp = draft(cast)
    response = client_for(cast.users[persona]).get(detail_url(skp))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Siti Aminah" in html and "Pelayanan imunisasi 1" in html


@pytest.mark.parametrize("persona", ["outsider", "colleague", "other_head"])
def test_those_outside_the_chain_and_the_agency_get_404(cast, client_for, persona):
    skp = draft(cast)
    assert client_for(cast.users[persona]).get(detail_url(skp)).status_code == 404


def test_an_unknown_plan_is_404(cast, client_for):
    assert client_for(cast.admin).get(reverse("skp:detail", args=[99999])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    skp = draft(cast)
    response = client.get(detail_url(skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_page_shows_identity_targets_supported_result_and_history(cast, client_for):
    rater_plan = draft(cast, "rater")
    supports = rater_plan.results.get()
    skp = submitted(cast, supports=supports)
    response = client_for(cast.rater).get(detail_url(skp))
    html = response.content.decode()
    assert "dr. Ahmad Fauzi" in html  # the rater
    assert "Rina Marlina" in html  # the rater's superior
    assert "Perawat Terampil" in html
    assert "80–90 %" in html and "300 anak" in html
    assert 'class="supports"' in html and supports.text in html
    assert [t.to_state for t in response.context["transitions"]] == ["draft", "submitted"]
    assert response.context["checks"] == []
    # The rater sees their own plan linked from the employee's.
    assert reverse("skp:detail", args=[rater_plan.pk]) in html


def test_a_main_result_without_a_supported_result_is_flagged_for_the_rater(cast, client_for):
    skp = submitted(cast)
    response = client_for(cast.rater).get(detail_url(skp))
    assert response.context["checks"]
    assert 'id="checks"' in response.content.decode()


def test_the_seven_core_values_of_the_year_are_shown_with_guides_and_expectations(cast, client_for):
    skp = submitted(cast)
    values = list(BehaviourValue.objects.filter(valid_from__lte=this_year()))
    latest = max(v.valid_from for v in values)
    current = [v for v in values if v.valid_from == latest]
    assert len(current) == 7
    services.expectation_set(skp=skp, value=current[0], text="Tanggap keluhan", by=cast.rater)
    response = client_for(cast.employee).get(detail_url(skp))
    html = response.content.decode()
    assert len(response.context["values"]) == 7
    assert current[0].guide_list[0] in html
    assert "Tanggap keluhan" in html


def test_a_newer_values_table_replaces_the_older_one_from_its_year(cast, client_for):
    skp = draft(cast)
    BehaviourValue.objects.create(
        valid_from=this_year(), order=1, code="baru", name="Nilai Baru", guides="Satu\nDua\nTiga"
    )
    response = client_for(cast.employee).get(detail_url(skp))
    assert [v.name for v, _text in response.context["values"]] == ["Nilai Baru"]


@pytest.mark.parametrize(
    ("persona", "can_edit", "can_decide"),
    [
        ("employee", True, False),
        ("pengelola", True, False),
        ("rater", False, False),
        ("rater_superior", False, False),
        ("head", False, False),
    ],
)
def test_a_draft_offers_editing_to_the_employee_and_the_administrator_only(
    cast, client_for, persona, can_edit, can_decide
):
    skp = draft(cast)
    response = client_for(cast.users[persona]).get(detail_url(skp))
    assert response.context["can_edit"] is can_edit
    assert response.context["can_decide"] is can_decide
    html = response.content.decode()
    assert ('id="rhk-add"' in html) is can_edit
    assert ('id="skp-submit"' in html) is can_edit


@pytest.mark.parametrize(
    ("persona", "can_decide"),
    [("rater", True), ("employee", False), ("rater_superior", False), ("pengelola", False)],
)
def test_a_submitted_plan_offers_approval_to_the_rater_only(cast, client_for, persona, can_decide):
    skp = submitted(cast)
    response = client_for(cast.users[persona]).get(detail_url(skp))
    html = response.content.decode()
    assert ('id="skp-approve"' in html) is can_decide
    assert ('id="return-form"' in html) is can_decide
    assert ('id="expectations-edit"' in html) is can_decide
    assert 'id="skp-submit"' not in html


def test_an_approved_plan_offers_realisations_to_the_employee(cast, client_for):
    skp = approved(cast)
    html = client_for(cast.employee).get(detail_url(skp)).content.decode()
    assert reverse("skp:realisation", args=[skp.pk]) in html
    assert (
        'id="rhk-add"' not in html
        and 'class="button button-secondary button-small rhk-edit"' not in html
    )


def test_a_jpt_plan_shows_the_agency_indicator_and_perspective(cast, client_for):
    skp = services.skp_create(employee=cast.employees["head"], year=this_year(), by=cast.head)
    services.rhk_add(
        skp=skp,
        by=cast.head,
        kind="utama",
        text="Meningkatnya derajat kesehatan",
        perspective="penerima_layanan",
        indicators=[{"aspect": "kuantitas", "text": "Angka harapan hidup", "target": "72"}],
    )
    html = client_for(cast.head).get(detail_url(skp)).content.decode()
    assert "Penerima Layanan" in html


def test_the_page_makes_the_same_number_of_queries_for_one_or_eight_results(
    cast, client_for, django_assert_max_num_queries
):
    small = submitted(cast, results=1)
    client = client_for(cast.rater)
    client.get(detail_url(small))  # warm the session and caches
    with django_assert_max_num_queries(24) as small_queries:
        assert client.get(detail_url(small)).status_code == 200
    bound = len(small_queries.captured_queries)
    big = submitted(cast, "colleague", results=8)
    assert Rhk.objects.filter(skp=big).count() == 8
    with django_assert_max_num_queries(bound):
        assert client.get(detail_url(big)).status_code == 200
