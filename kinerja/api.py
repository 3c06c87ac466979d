"""The HTTP API, version 1: one NinjaAPI with a router per app.

Every endpoint needs a personal token (``Authorization: Bearer …``) or a signed-in browser
session (see :mod:`kinerja.accounts.api_auth`), answers in English (``ApiLanguageMiddleware``)
and reports errors in one shape (:mod:`kinerja.core.api`): ``{"error": …}``, or
``{"errors": [{"field", "message"}]}`` with 422 for bad input. That shape also covers what
ninja answers outside an operation — an unknown path under ``/api/v1/`` and a method the path
does not allow — which is why :class:`KinerjaAPI` wraps the URL patterns.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kinerja.accounts.api_auth import API_AUTH, TokenRefused, TokensThrottled
from kinerja.core.access import NotFound
from kinerja.core.api import error_response, field_errors
from kinerja.evaluations.api import router as evaluations_router
from kinerja.evaluations.api_correction import router as correction_router
from kinerja.evaluations.api_credit import router as credit_router
from kinerja.organizations.api import router as organizations_router
from kinerja.portal.api import router as portal_router
from kinerja.skp.api import router as skp_router
from kinerja.strategy.api import router as strategy_router
from kinerja.streams.api import router as streams_router


@csrf_exempt  # an unknown path answers 404 whatever the method; there is nothing to protect
def _not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return error_response(404, _("Not found."))


def _api_view(view):
    """Give the answers Django and ninja produce outside an operation the API's shape, and
    keep every answer out of shared caches (it depends on who asks)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = _not_found(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                405, _("Method not allowed; use %(methods)s.") % {"methods": allowed}
            )
            response["Allow"] = allowed
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapper


class KinerjaAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        # Last: any other path under /api/v1/ is a JSON 404, not the site's HTML error page.
        urls.append(re_path(r"^.*$", _not_found, name="not-found"))
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                # The API root is only ninja's anchor for reverse(); it names nothing.
                view = _not_found if pattern.name == "api-root" else pattern.callback
                pattern.callback = _api_view(view)
        return urls


api = KinerjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "Kinerja's organisation data, organisational performance, service data, employees' "
        "plans (SKP) and their evaluation, scoped exactly like the web pages and changed "
        "only through the same operations (and rights) as the pages. "
        "Authenticate with `Authorization: Bearer <token>` (a personal token from "
        "`kinerja tokens create`) or a signed-in browser session. Lists are JSON arrays paged "
        "with `limit` (≤ 1000) and `offset`; see the `X-Total-Count` and `Link` headers."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=API_AUTH,
)


# --- The one error shape ------------------------------------------------------------------------


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if isinstance(exc, AuthenticationError) and not isinstance(exc, TokenRefused):
        # Ninja's own "Unauthorized": no token and no session.
        message = _(
            "Authentication required: send 'Authorization: Bearer <token>' or sign in first."
        )
    response = error_response(exc.status_code, message)
    if isinstance(exc, TokensThrottled):
        response["Retry-After"] = str(exc.retry_after)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = (
            'Bearer realm="kinerja", error="invalid_token"'
            if isinstance(exc, TokenRefused)
            else 'Bearer realm="kinerja"'
        )
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return JsonResponse({"errors": field_errors(exc.errors)}, status=422)


@api.exception_handler(Http404)
def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    if isinstance(exc, NotFound) and exc.message:
        return error_response(404, exc.message)
    return _not_found(request)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, _("You may not do this."))


api.add_router("", organizations_router)
api.add_router("", streams_router)
api.add_router("", strategy_router)
api.add_router("", portal_router)
api.add_router("", skp_router)
api.add_router("", evaluations_router)
api.add_router("", credit_router)
api.add_router("", correction_router)
