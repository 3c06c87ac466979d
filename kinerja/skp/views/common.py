"""What the plan pages share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Rhk, RhkKind, Skp
from ..selectors import results_in_order


def plan_url(skp: Skp, anchor: str = "") -> str:
    url = reverse("skp:detail", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


def error_messages(request, exc: ValidationError) -> None:
    """A refused action without a form of its own: each message at the top of the page."""
    for message in exc.messages:
        messages.error(request, message)


def form_error_messages(request, form) -> None:
    """A form without a page of its own: each of its errors at the top of the next page."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def not_editable(request, skp: Skp):
    """Back to the plan's page, saying why it cannot change."""
    messages.error(
        request,
        _("The plan is %(state)s; only a draft or a returned plan can change.")
        % {"state": skp.get_state_display()},
    )
    return redirect("skp:detail", pk=skp.pk)


@dataclass
class Group:
    kind: str
    label: str
    results: list[Rhk] = field(default_factory=list)


def grouped_results(skp: Skp) -> list[Group]:
    groups = [
        Group(RhkKind.MAIN, _("A. Main work results (utama)")),
        Group(RhkKind.ADDITIONAL, _("B. Additional work results (tambahan)")),
    ]
    by_kind = {g.kind: g for g in groups}
    for rhk in results_in_order(skp):
        by_kind[rhk.kind].results.append(rhk)
    return groups
