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
    # A count shown beside the label (pending work), or None.
    badge: int | None = None

    @property
    def links(self) -> tuple["NavItem", ...]:
        return (self,)


@dataclass(frozen=True)
class NavGroup:
    """A top-level entry that opens a short list of links (``<details>`` in base.html)."""

    label: str
    items: tuple[NavItem, ...]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def links(self) -> tuple[NavItem, ...]:
        return self.items


# (label of the group or None for a top-level link, [(url name, label[, badge count]), ...]):
# a link with pending work gives its count as a third element, e.g.
# ``(None, [("portal:tasks", _("My tasks"), count)])``.
Entry = tuple[object, list[tuple]]


def _entries(user) -> list[Entry]:
    """The menu for the user's roles, grouped so that it stays on one line at 1366 px."""
    scope = scope_for(user)
    mine = [("evaluations:mine", _("My performance"))] if scope.employee_id else []
    evaluation = []
    if scope.employee_id or scope.region_read or scope.agencies_read:
        evaluation.append(("evaluations:home", _("Performance evaluation")))
    if scope.has(Role.PEJABAT_PENILAI):
        evaluation.append(("skp:team", _("My team's plans")))
    organisation = [("organizations:directory", _("Employees"))]
    if scope.region_read or scope.agencies_seen:
        organisation.append(("organizations:tree", _("Organisation tree")))
        organisation.append(("strategy:overview", _("Organisational performance")))
    service = [("streams:list", _("Service data"))] if _sees_a_stream(user) else []
    administration = []
    if scope.can_import:
        administration.append(("organizations:import", _("Import")))
    if scope.can_audit:
        administration.append(("portal:audit_log", _("Audit trail")))
    return [
        (None, [("portal:home", _("Home"))]),
        (None, mine),
        (_("Evaluation"), evaluation),
        (_("Organisation"), organisation),
        (None, service),
        (_("Administration"), administration),
    ]


def _current(request, urls: list[str], employee_id) -> str | None:
    """The menu link of the page shown: the most specific one (/pegawai/saya/ over /pegawai/)."""
    path = request.path
    if employee_id and path.startswith(reverse("organizations:directory")):
        nip = Employee.objects.filter(pk=employee_id).values_list("nip", flat=True).first()
        if path == reverse("organizations:profile", args=[nip]):
            path = reverse("organizations:me")
    matches = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)


def _nav(request) -> list[NavItem | NavGroup]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = [
        (group, [(reverse(name), *rest) for name, *rest in links])
        for group, links in _entries(user)
    ]
    urls = [url for _group, links in entries for url, *_rest in links]
    urls.append(reverse("organizations:me"))
    current = _current(request, urls, scope_for(user).employee_id)
    nav: list[NavItem | NavGroup] = []
    for group, links in entries:
        items = tuple(
            NavItem(url, str(label), url == current, *badge) for url, label, *badge in links
        )
        if group is None or len(items) == 1:
            nav.extend(items)  # a group of one is its link
        elif items:
            nav.append(NavGroup(str(group), items))
    return nav


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
