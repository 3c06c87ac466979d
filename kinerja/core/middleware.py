"""Request-wide middleware: the audit door for web requests and a Permissions-Policy header."""

from . import audit
from .models import Channel


class AuditContextMiddleware:
    """Attribute every change made while handling a web request to its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.door(Channel.WEB, resolver=lambda: getattr(request, "user", None)):
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny powerful browser features the product never uses."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
