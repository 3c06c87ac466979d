"""The administrator's pages of service data: streams, service tokens, excluded cases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.accounts.models import ApiToken, hash_token
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.streams import services
from kinerja.streams.ingest import Validator, store
from kinerja.streams.models import Case, CaseExclusion, Stream

T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
CODE = "gawat-darurat"


def event(case: str, stage: str, minutes: int) -> dict:
    return {
        "id": f"{case}-{stage}",
        "case": case,
        "stage": stage,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
    }


def make_stream(agency, code: str = CODE) -> Stream:
    return Stream.objects.create(
        code=code,
        name="Penanganan kegawatdaruratan",
        agency=agency,
        stages=["diterima", "berangkat", "tiba"],
        start_stage="diterima",
        end_stage="tiba",
        sla_limit=15,
        sla_unit="minutes",
    )


@pytest.fixture
def stream(cast) -> Stream:
    stream = make_stream(cast.dinkes)
    # Stored without a catch-up: the pages must bring the cases up to date themselves.
    events = [event("A", "diterima", 0), event("A", "tiba", 10), event("B", "diterima", 3)]
    store(stream, Validator(stream).clean_all(events))
    stream.refresh_from_db()
    return stream


@pytest.fixture
def exclusion(cast, stream) -> CaseExclusion:
    return services.exclusion_add(stream=stream, case_key="A", reason="Uji coba", by=cast.admin)


@pytest.fixture
def service_token(cast, stream) -> ApiToken:
    token, _secret = token_create(name="psc-119", user=None, streams=[stream], by=SYSTEM)
    return token


def url(name: str, *args) -> str:
    return reverse(f"streams:{name}", args=args)


STREAM_FORM = {
    "name": "Penanganan kegawatdaruratan",
    "stages": "diterima, berangkat, tiba",
    "start": "diterima",
    "end": "tiba",
    "sla_limit": "15",
    "sla_unit": "minutes",
}


# --- Who may do what (one table per door) ----------------------------------------------------


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


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 302),
        ("pengelola", 302),
        ("auditor", 403),
        ("head", 403),
        ("employee", 403),
        ("outsider", 404),
    ],
)
def test_ending_an_exclusion_by_role(cast, client_for, exclusion, persona, status):
    response = client_for(getattr(cast, persona)).post(url("exclusion_end", CODE, exclusion.pk))
    assert response.status_code == status
    exclusion.refresh_from_db()
    assert (exclusion.ended_at is not None) is (status == 302)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 302), ("auditor", 403), ("pengelola", 403), ("employee", 403), ("outsider", 404)],
)
def test_changing_a_stream_by_role(cast, client_for, stream, persona, status):
    response = client_for(getattr(cast, persona)).post(
        url("edit", CODE), {**STREAM_FORM, "name": "Baru"}
    )
    assert response.status_code == status
    assert (Stream.objects.get(code=CODE).name == "Baru") is (status == 302)


@pytest.mark.parametrize(
    "persona", ["auditor", "pengelola", "head", "employee", "outsider", "other_head"]
)
def test_only_admin_bkpsdm_manages_service_tokens(cast, client_for, stream, service_token, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(url("tokens")).status_code == 403
    created = client.post(url("tokens"), {"name": "lain", "streams": [stream.pk]})
    assert created.status_code == 403
    assert client.post(url("token_revoke", service_token.pk)).status_code == 403
    assert not ApiToken.objects.filter(name="lain").exists()
    service_token.refresh_from_db()
    assert service_token.revoked_at is None


def test_admin_bkpsdm_sees_the_service_tokens(cast, client_for, service_token):
    response = client_for(cast.admin).get(url("tokens"))
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["psc-119"]


@pytest.mark.parametrize(
    ("name", "args"),
    [("exclusion_end", (CODE, 1)), ("token_revoke", (1,))],
)
def test_actions_refuse_get(cast, client_for, stream, name, args):
    assert client_for(cast.admin).get(url(name, *args)).status_code == 405


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("exclusions", {"case_key": "B", "reason": "Uji"}),
        ("edit", {**STREAM_FORM, "name": "Baru"}),
    ],
)
def test_forms_need_the_csrf_token(cast, stream, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    assert client.post(url(name, CODE), data).status_code == 403
    assert not CaseExclusion.objects.exists()
    assert Stream.objects.get(code=CODE).name != "Baru"


def test_creating_a_token_needs_the_csrf_token(cast, stream):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    assert client.post(url("tokens"), {"name": "x", "streams": [stream.pk]}).status_code == 403
    assert not ApiToken.objects.filter(name="x").exists()


# --- The stream list and detail ------------------------------------------------------------------


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


def test_the_service_data_menu_item_follows_the_visible_streams(cast, client_for, stream):
    def menu(user):
        response = client_for(user).get(reverse("portal:home"))
        return [item.url for item in response.context["kinerja"]["nav"]]

    assert url("list") in menu(cast.employee)
    assert url("list") in menu(cast.auditor)
    assert url("list") not in menu(cast.outsider)


# --- Changing a stream ---------------------------------------------------------------------------


def test_admin_bkpsdm_changes_a_stream_and_the_change_is_audited(cast, client_for, stream):
    response = client_for(cast.admin).post(
        url("edit", CODE), {**STREAM_FORM, "sla_limit": "7,5", "sla_unit": "minutes"}
    )
    assert response.status_code == 302
    stream.refresh_from_db()
    assert str(stream.sla_limit) == "7.50"
    record = AuditRecord.objects.get(object_type="streams.stream", action="update")
    assert record.channel == "web" and record.actor == cast.admin
    assert record.after == {"sla_limit": "7.5"}
    # The cases follow the new service level: A took 10 minutes.
    assert Case.objects.get(stream=stream, case_key="A").within_sla is False


def test_an_unchanged_form_records_nothing(cast, client_for, stream):
    records = AuditRecord.objects.count()
    response = client_for(cast.admin).post(url("edit", CODE), STREAM_FORM)
    assert response.status_code == 302
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stages": "diterima, Ber Angkat, tiba"}, "stages"),
        ({"stages": "diterima, tiba, tiba"}, "stages"),
        ({"start": "dibuat"}, "start"),
        ({"end": "diterima"}, "end"),
        ({"sla_limit": "0"}, "sla_limit"),
        ({"sla_limit": "1.234"}, "sla_limit"),
        ({"sla_limit": "lima belas"}, "sla_limit"),
        ({"sla_unit": "weeks"}, "sla_unit"),
        ({"name": ""}, "name"),
    ],
)
def test_the_form_applies_the_file_rules_on_the_field(cast, client_for, stream, changes, field):
    response = client_for(cast.admin).post(url("edit", CODE), {**STREAM_FORM, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_errors"' in response.content.decode()
    stream.refresh_from_db()
    assert (stream.stages, str(stream.sla_limit)) == (["diterima", "berangkat", "tiba"], "15.00")


def test_the_edit_form_is_filled_with_the_definition(cast, client_for, stream):
    response = client_for(cast.admin).get(url("edit", CODE))
    form = response.context["form"]
    assert form.initial["stages"] == "diterima, berangkat, tiba"
    assert form.initial["sla_limit"] == "15"


def test_a_new_end_stage_rebuilds_the_cases(cast, client_for, stream):
    response = client_for(cast.admin).post(
        url("edit", CODE), {**STREAM_FORM, "end": "berangkat"}, follow=True
    )
    assert response.status_code == 200
    assert Case.objects.get(stream=stream, case_key="A").completed_at is None


# --- Excluded cases ------------------------------------------------------------------------------


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


def test_an_exclusion_of_another_stream_is_not_found(cast, client_for, stream, exclusion):
    make_stream(cast.dinkes, code="lain")
    response = client_for(cast.admin).post(url("exclusion_end", "lain", exclusion.pk))
    assert response.status_code == 404
    exclusion.refresh_from_db()
    assert exclusion.ended_at is None


def test_ending_an_ended_exclusion_says_so_and_changes_nothing(cast, client_for, exclusion):
    client = client_for(cast.admin)
    client.post(url("exclusion_end", CODE, exclusion.pk))
    exclusion.refresh_from_db()
    ended = exclusion.ended_at
    response = client.post(url("exclusion_end", CODE, exclusion.pk), follow=True)
    assert response.status_code == 200
    exclusion.refresh_from_db()
    assert exclusion.ended_at == ended


# --- Service tokens ------------------------------------------------------------------------------


def test_a_created_token_is_shown_once_and_works_by_its_hash(cast, client_for, stream):
    client = client_for(cast.admin)
    response = client.post(url("tokens"), {"name": "siak-ktp", "streams": [stream.pk]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(name="siak-ktp")
    assert token.token_hash == hash_token(secret)
    assert token.user is None and list(token.streams.all()) == [stream]
    assert secret not in client.get(url("tokens")).content.decode()
    assert secret not in client.get(url("detail", CODE)).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "streams": ["STREAM"]}, "name"),
        ({"name": "psc-119", "streams": ["STREAM"]}, "name"),  # taken
        ({"name": "baru"}, "streams"),
        ({"name": "baru", "streams": ["999999"]}, "streams"),
    ],
)
def test_a_bad_token_form_shows_the_error_on_its_field(
    cast, client_for, stream, service_token, data, field
):
    data = {k: [stream.pk if v == "STREAM" else v for v in vs] if k == "streams" else vs
            for k, vs in data.items()}  # fmt: skip
    response = client_for(cast.admin).post(url("tokens"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ApiToken.objects.count() == 1


def test_revoking_a_token_stops_it_and_is_shown(cast, client_for, service_token):
    client = client_for(cast.admin)
    assert client.post(url("token_revoke", service_token.pk)).status_code == 302
    service_token.refresh_from_db()
    assert service_token.revoked_at is not None
    content = client.get(url("tokens")).content.decode()
    assert f'id="token-revoke-{service_token.pk}"' not in content


def test_a_personal_token_is_not_managed_here(cast, client_for, stream):
    personal, _secret = token_create(name="pribadi", user=cast.employee, by=SYSTEM)
    response = client_for(cast.admin).post(url("token_revoke", personal.pk))
    assert response.status_code == 404
    personal.refresh_from_db()
    assert personal.revoked_at is None
    listed = client_for(cast.admin).get(url("tokens")).context["tokens"]
    assert "pribadi" not in [t.name for t in listed]


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
