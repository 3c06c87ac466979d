"""A coaching item (``evaluations:coaching``, ``/penilaian/pendampingan/<pk>/``): the data
behind a slipping measure with their provenance, and the three answers the rater (or the
rater's superior) may give — the proposed feedback message (pre-filled, editable), a
development action, or dismissing it with a reason. Once answered, the page shows what was
done, by whom and when. The employee sees the item on "Kinerja saya", once it is sent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.skp.selectors import results_in_order

from .. import permissions, services
from ..coaching import facts, proposed_action, proposed_message
from ..forms import CoachingDevelopmentForm, CoachingDismissForm, CoachingFeedbackForm
from ..models import CoachingItem
from ..services.coaching_actions import default_result
from .common import plan_url

DONE = {
    "feedback": _("The feedback has been sent to the employee."),
    "development": _("The development action has been added; agree it with the employee."),
    "dismiss": _("The coaching item has been dismissed."),
}


def _results(item: CoachingItem) -> list[tuple[int, str]]:
    return [
        (rhk.pk, f"{'A' if rhk.kind == 'utama' else 'B'}{rhk.number}. {rhk.text}"[:120])
        for rhk in results_in_order(item.skp)
    ]


def _forms(item: CoachingItem, data=None) -> dict:
    action = proposed_action(item, timezone.localdate())
    result = default_result(item)
    return {
        "feedback": CoachingFeedbackForm(
            data,
            results=_results(item),
            initial={"text": proposed_message(item), "rhk": result.pk if result else None},
        ),
        "development": CoachingDevelopmentForm(
            data,
            initial={
                "goal": action.goal,
                "kind": "coaching",
                "description": action.description,
                "owner": action.owner,
                "due_on": action.due_on.strftime("%d/%m/%Y"),
            },
        ),
        "dismiss": CoachingDismissForm(data),
    }


def _answer(request, item: CoachingItem, action: str, form) -> bool:
    """Run the chosen answer; ``True`` when recorded (errors are put on ``form``)."""
    if not form.is_valid():
        return False
    data, user = form.cleaned_data, request.user
    try:
        if action == "feedback":
            rhk = item.skp.results.filter(pk=data["rhk"]).first()
            services.coaching_send_feedback(item=item, by=user, text=data["text"], rhk=rhk)
        elif action == "development":
            services.coaching_add_development(item=item, by=user, **data)
        else:
            services.coaching_dismiss(item=item, by=user, reason=data["reason"])
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"state": None, "plan": None})
        return False
    return True


@require_http_methods(["GET", "POST"])
def coaching(request, item_id: int):
    user = request.user
    item = visible_or_404(
        CoachingItem.objects.select_related(
            "skp__employee__position", "skp__rater", "skp__unit__agency", "iki__rhk",
            "acted_by__employee", "feedback", "development_action__plan",
        ),
        user,
        pk=item_id,
    )  # fmt: skip
    if not permissions.may_coach(user, item.skp):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(item)
    if action in DONE:
        forms[action] = _forms(item, request.POST)[action]
        if _answer(request, item, action, forms[action]):
            messages.success(request, DONE[action])
            return redirect("evaluations:coaching", item_id=item.pk)
    return render(
        request,
        "evaluations/coaching/item.html",
        {
            "item": item,
            "facts": facts(item),
            "forms": forms,
            "active": action,
            "may_develop": permissions.may_develop(user, item.skp),
            "plan_url": plan_url(item.skp.pk),
        },
    )
