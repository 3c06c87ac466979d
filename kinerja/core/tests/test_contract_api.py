"""The API's OpenAPI document, its Swagger UI page under the site's CSP, and the shape of the
answers every endpoint shares (JSON 404/405/422, English)."""

import re
from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

OPENAPI = "/api/v1/openapi.json"
DOCS = "/api/v1/docs"
ENDPOINTS = {
    "/api/v1/me",
    "/api/v1/me/tasks",
    "/api/v1/agencies",
    "/api/v1/units",
    "/api/v1/positions",
    "/api/v1/employees",
    "/api/v1/employees/{nip}",
    "/api/v1/audit",
    "/api/v1/indicators",
    "/api/v1/indicators/{indicator_id}",
    "/api/v1/indicators/{indicator_id}/realisations",
    "/api/v1/realisations/{realisation_id}/verify",
    "/api/v1/streams",
    "/api/v1/streams/{code}/events",
    "/api/v1/streams/{code}/metrics",
    "/api/v1/skp",
    "/api/v1/skp/{skp_id}",
    "/api/v1/skp/{skp_id}/rhk",
    "/api/v1/skp/{skp_id}/submit",
    "/api/v1/skp/{skp_id}/approve",
    "/api/v1/skp/{skp_id}/return",
    "/api/v1/skp/{skp_id}/evaluations",
    "/api/v1/evaluations/{evaluation_id}",
    "/api/v1/evaluations/{evaluation_id}/objection",
    "/api/v1/evaluations/{evaluation_id}/correction",
    "/api/v1/objections/{objection_id}/decision",
    "/api/v1/objections/{objection_id}/explanation",
    "/api/v1/objections/{objection_id}/explanation-request",
    "/api/v1/credit-points",
}
_names = count(1)


@pytest.fixture
def auth(cast):
    _, secret = token_create(name=f"docs-{next(_names)}", user=cast.admin, by=SYSTEM)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- OpenAPI ------------------------------------------------------------------------------------


def test_the_openapi_document_lists_every_endpoint(db, client):
    response = client.get(OPENAPI)

    assert response.status_code == 200
    assert set(response.json()["paths"]) == ENDPOINTS


def test_every_operation_names_its_security_schemes(db, client):
    schema = client.get(OPENAPI).json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["type"] == "http"
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert schemes["BrowserSession"]["in"] == "cookie"
    assert schemes["AnyTokenAuth"]["scheme"] == "bearer"
    service_only = {("post", "/api/v1/streams/{code}/events")}  # service applications' tokens
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation["security"]
            assert {"TokenAuth": []} in security or {"AnyTokenAuth": []} in security, (method, path)
            if (method, path) not in service_only:
                assert {"BrowserSession": []} in security, (method, path)


def test_the_employee_schema_uses_english_field_names(db, client):
    schemas = client.get(OPENAPI).json()["components"]["schemas"]

    assert set(schemas["EmployeeOut"]["properties"]) == {
        "nip",
        "name",
        "status",
        "rank",
        "agency",
        "unit",
        "position",
        "rater",
        "rater_superior",
        "active",
    }
    assert {"rater_name", "rater_superior_name", "rater_basis", "superior_basis"} <= set(
        schemas["EmployeeDetailOut"]["properties"]
    )


# --- The docs page ------------------------------------------------------------------------------


def test_the_docs_page_loads_swagger_ui_from_local_static_files(db, client):
    response = client.get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert not [url for url in sources if url.startswith(("http:", "https:", "//"))]


def test_the_docs_page_has_no_inline_script_so_the_strict_csp_allows_it(db, client):
    response = client.get(DOCS)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        # The only script without src is the settings block, which is data, not code.
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize(
    "asset",
    ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"],
)
def test_the_swagger_assets_are_served_by_the_site(db, client, asset):
    response = client.get(asset)

    assert response.status_code == 200


# --- Shared answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/no-such-thing", "/api/v1/employees/", "/api/v1/agencies/DINKES/x"],
)
def test_an_unknown_path_under_the_api_is_a_json_404(cast, client, auth, path):
    response = client.get(path, **auth)

    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_a_method_the_path_does_not_allow_is_a_json_405(cast, client, auth):
    response = client.post("/api/v1/employees", **auth)

    assert response.status_code == 405
    assert set(response.json()) == {"error"}
    assert response["Allow"] == "GET"


def test_a_422_lists_each_bad_field_with_a_message(cast, client, auth):
    response = client.get("/api/v1/employees", {"limit": 5000, "offset": "x"}, **auth)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {error["field"] for error in errors} == {"limit", "offset"}
    assert all(set(error) == {"field", "message"} and error["message"] for error in errors)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "id"},
        {"HTTP_ACCEPT_LANGUAGE": "id-ID,id;q=0.9"},
    ],
)
def test_the_api_answers_in_english_whatever_the_browser_asks(cast, client, auth, headers):
    client.cookies["django_language"] = "id"

    ok = client.get("/api/v1/me", **auth, **headers)
    refused = client.get("/api/v1/audit", {"since": "never"}, **auth, **headers)

    assert ok["Content-Language"] == "en"
    assert refused["Content-Language"] == "en"


def test_the_pages_stay_indonesian_beside_the_api(cast, client):
    response = client.get("/healthz")

    assert response["Content-Language"] == "id"


def test_api_answers_are_kept_out_of_shared_caches(cast, client, auth):
    response = client.get("/api/v1/employees", **auth)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# --- In a real browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_swagger_ui_renders_under_the_sites_content_security_policy(page):
    problems: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective))"
    )
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(DOCS)
    page.wait_for_selector(".swagger-ui .opblock")

    schema = page.request.get(OPENAPI).json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert page.locator(".opblock").count() == operations
    assert problems == []
