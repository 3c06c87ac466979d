"""Sign-in by NIP (employees) or username (administrators)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from kinerja.core.nip import normalize_nip


def normalize_login(raw: str | None) -> str:
    """A NIP typed with spaces (``19850312 201001 1 002``) is the same NIP; other usernames
    are compared without surrounding spaces and case."""
    text = (raw or "").strip()
    digits = normalize_nip(text)
    if len(digits) == 18 and digits.isdigit():
        return digits
    return text.lower()


def axes_username(request, credentials) -> str:
    """Lockouts count per account, whatever spelling of the NIP was typed."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return normalize_login(raw)


# The published password of the demo accounts; it opens nothing outside demo mode.
DEMO_PASSWORD = "kinerja-demo"  # noqa: S105


class NipOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if password == DEMO_PASSWORD and not settings.DEMO_MODE:
            return None
        login = normalize_login(username)
        user_model = get_user_model()
        user = user_model.objects.filter(username__iexact=login).select_related("employee").first()
        if user is None:
            # Spend the time of a password check so that unknown accounts are not revealed.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        # A former employee keeps their record but may no longer sign in.
        return user.employee_id is None or user.employee.active
