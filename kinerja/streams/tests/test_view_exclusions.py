"""``streams:exclusions``: the excluded cases of a stream with reason, who and when; managers
exclude a case from the page (by role), an unknown case is an error on its field."""

from __future__ import annotations

import pytest

from kinerja.streams.models import Case, CaseExclusion

from .support import CODE, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 302),
        ("pengelola", 302),
        ("auditor", 403),
        ("head", 403),
        ("rater", 403),
        ("employee", 403),
        ("outsider", 404),
    ],
)
def test_excluding_a_case_by_role(cast, client_for, stream, persona, status):
    response = client_for(getattr(cast, persona)).post(
        url("exclusions", CODE), {"case_key": "B", "reason": "Uji"}
    )
    assert response.status_code == status
    assert CaseExclusion.objects.filter(case_key="B").exists() is (status == 302)


def test_the_exclusions_page_lists_reason_who_and_when(cast, client_for, exclusion):
    response = client_for(cast.employee).get(url("exclusions", CODE))
    content = response.content.decode()
    assert f'id="exclusion-{exclusion.pk}"' in content
    assert "Uji coba" in content
    assert [e.case_key for e in response.context["page"].object_list] == ["A"]
    # An employee sees the list but neither the form nor the end button.
    assert response.context["form"] is None
    assert f'id="exclusion-end-{exclusion.pk}"' not in content
    assert 'id="exclusion-form"' not in content


def test_managers_see_the_form_and_the_end_button(cast, client_for, exclusion):
    response = client_for(cast.pengelola).get(url("exclusions", CODE))
    content = response.content.decode()
    assert 'id="exclusion-form"' in content
    assert f'id="exclusion-end-{exclusion.pk}"' in content


def test_excluding_an_unknown_case_shows_the_error_on_the_field(cast, client_for, stream):
    response = client_for(cast.admin).post(
        url("exclusions", CODE), {"case_key": "TIDAK-ADA", "reason": "Uji"}
    )
    assert response.status_code == 200
    assert "case_key" in response.context["form"].errors
    assert not CaseExclusion.objects.exists()


def test_excluding_from_the_page_excludes_the_case(cast, client_for, stream):
    response = client_for(cast.pengelola).post(
        url("exclusions", CODE), {"case_key": "B", "reason": "Data ganda"}
    )
    assert response.status_code == 302
    exclusion = CaseExclusion.objects.get(stream=stream, case_key="B")
    assert (exclusion.reason, exclusion.created_by) == ("Data ganda", cast.pengelola)
    assert Case.objects.get(stream=stream, case_key="B").excluded is True


def test_the_case_can_be_prefilled_from_the_address(cast, client_for, stream):
    response = client_for(cast.admin).get(url("exclusions", CODE) + "?case=B")
    assert response.context["form"].initial["case_key"] == "B"
