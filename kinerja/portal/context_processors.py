"""What every page needs: the region's name, demo mode and the navigation for the user's roles."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Role
from kinerja.core.notifications import unread_count
from kinerja.organizations.models import Employee, Region
from kinerja.organizations.scope import scope_for
from kinerja.streams.models import Stream


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def _nav(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    scope = scope_for(user)
    items = [("portal:home", _("Home"))]
    if scope.employee_id:
        items.append(("evaluations:mine", _("My performance")))
    if scope.employee_id or scope.region_read or scope.agencies_read:
        items.append(("evaluations:home", _("Evaluation")))
    if scope.has(Role.PEJABAT_PENILAI):
        items.append(("skp:team", _("My team's plans")))
    if scope.employee_id:
        items.append(("organizations:me", _("My profile")))
    items.append(("organizations:directory", _("Employees")))
    if scope.region_read or scope.agencies_seen:
        items.append(("organizations:tree", _("Organisation")))
        items.append(("strategy:overview", _("Organisational performance")))
    if _sees_a_stream(user):
        items.append(("streams:list", _("Service data")))
    if scope.can_import:
        items.append(("organizations:import", _("Import")))
    if scope.can_audit:
        items.append(("portal:audit_log", _("Audit trail")))
    path = request.path
    urls = [(reverse(name), label) for name, label in items]
    if scope.employee_id and path.startswith(reverse("organizations:directory")):
        nip = Employee.objects.filter(pk=scope.employee_id).values_list("nip", flat=True).first()
        if path == reverse("organizations:profile", args=[nip]):
            path = reverse("organizations:me")
    # The most specific link wins: /pegawai/saya/ over /pegawai/.
    matches = [url for url, _label in urls if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavItem(url, label, url == current) for url, label in urls]


def _sees_a_stream(user) -> bool:
    return Stream.objects.visible_to(user).exists()


def _region_name() -> str:
    region = Region.objects.only("name").first()
    return region.name if region else ""


def _unread(request) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


def kinerja(request):
    return {
        "kinerja": {
            "demo": settings.DEMO_MODE,
            "nav": SimpleLazyObject(lambda: _nav(request)),
            # A callable, which the template calls when it shows the badge (one indexed count);
            # a plain number for ``{% if %}`` and plural forms, unlike a lazy object.
            "unread": functools.cache(lambda: _unread(request)),
            "region_name": SimpleLazyObject(_region_name),
            "scope": SimpleLazyObject(lambda: scope_for(getattr(request, "user", None))),
        }
    }
