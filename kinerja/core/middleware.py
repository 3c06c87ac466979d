"""Request-wide middleware: the audit door for web requests and a Permissions-Policy header."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

from . import audit
from .models import Channel

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class AuditContextMiddleware:
    """Attribute every change made while handling a web request to its signed-in user."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with audit.door(Channel.WEB, resolver=lambda: getattr(request, "user", None)):
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny powerful browser features the product never uses."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class PagesLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked ``login_not_required`` (secure by default).

    The API authenticates each request itself (tokens or session) and answers 401 in JSON
    instead of redirecting to the sign-in page.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ApiLanguageMiddleware:
    """The API answers in English, whatever the browser or the language cookie asks.

    The web pages are Indonesian by default; the API's field names and messages are read by
    programs and their developers, so its language does not follow the session. Runs right
    after ``kinerja.accounts.middleware.UserLanguageMiddleware``, which picks the user's.
    """

    PREFIX = "/api/"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(self.PREFIX):
            return self.get_response(request)
        request.LANGUAGE_CODE = "en"
        with translation.override("en"):
            response = self.get_response(request)
        response.headers["Content-Language"] = "en"
        return response
