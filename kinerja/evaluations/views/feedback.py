"""Continuous feedback on a plan: threads per work result and per BerAKHLAK value. The rater,
peers (who share the rater) and subordinates write, tagged as appreciation or improvement; the
employee replies.

Peers and subordinates may not see the plan itself (its targets and realisations): they reach
this page through their own door — ``Skp.objects.reachable_for_feedback`` — and see only the
texts of the results, the values and the threads they started."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Rhk, Skp, SkpState
from kinerja.skp.rules import behaviour_values

from .. import permissions, services
from ..forms import FeedbackForm, ReplyForm
from ..models import Feedback, FeedbackRole
from ..selectors import feedback_of, root_of, threads_of
from .common import plan_url, plans_for_rating, rate_url


def _thread_url(skp: Skp, root_pk: int) -> str:
    return f"{reverse('evaluations:feedback', args=[skp.pk])}#thread-{root_pk}"


def _shown(items: list[Feedback], full: bool, me: int | None) -> list[Feedback]:
    """All of it for those who see the plan; the threads they started for the others."""
    if full:
        return items
    by_pk = {f.pk: f for f in items}
    roots = {f.pk for f in items if f.parent_id is None and f.author_id == me}
    return [f for f in items if root_of(f, by_pk).pk in roots]


def _post(request, skp: Skp, form):
    """A new thread: a redirect to it when sent, else ``None`` (the form shows why)."""
    if not form.is_valid():
        return None
    rhk, value = form.cleaned_data["about"]
    try:
        item = services.feedback_post(
            skp=skp, by=request.user, text=form.cleaned_data["text"],
            tag=form.cleaned_data["tag"], rhk=rhk, value=value,
        )  # fmt: skip
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"rhk": "about", "value": "about"})
        return None
    messages.success(
        request, _("%(name)s has received your feedback.") % {"name": skp.employee.name}
    )
    return redirect(_thread_url(skp, item.pk))


def _reply(request, skp: Skp, parent: Feedback, root: Feedback, form):
    """A reply: a redirect to its thread when sent, else ``None`` (the form shows why)."""
    if not form.is_valid():
        return None
    try:
        services.feedback_post(
            skp=skp, by=request.user, text=form.cleaned_data["text"], parent=parent
        )
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"parent": None})
        return None
    messages.success(request, _("Your reply has been sent."))
    return redirect(_thread_url(skp, root.pk))


def _attach_reply_forms(threads, reply_form, may_reply: bool) -> None:
    """Each thread gets the refused reply form (if it was its own), else a fresh one where
    replies are taken, and the message a reply answers."""
    for thread in threads:
        if reply_form is not None and reply_form.prefix == f"r{thread.root.pk}":
            thread.reply_form = reply_form
        elif may_reply:
            thread.reply_form = ReplyForm(prefix=f"r{thread.root.pk}")
        else:
            thread.reply_form = None
        thread.reply_parent = (thread.replies or [thread.root])[-1].pk


@require_http_methods(["GET", "POST"])
def feedback(request, skp_id: int):
    user = request.user
    skp = visible_or_404(plans_for_rating(), user, door="reachable_for_feedback", pk=skp_id)
    full = Skp.objects.visible_to(user).filter(pk=skp.pk).exists()
    role = permissions.feedback_role(user, skp)
    results = list(Rhk.objects.filter(skp=skp).order_by("kind", "number"))
    values = behaviour_values(skp.year)
    open_for_feedback = skp.state not in {SkpState.DRAFT, SkpState.CLOSED}
    # Whether the plan takes feedback yet is the service's to say (a clear message on the form).
    may_post = role is not None and role != FeedbackRole.EMPLOYEE
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not (may_post if action == "post" else role is not None):
        raise PermissionDenied
    post_form = None
    if may_post:
        data = request.POST if action == "post" else None
        post_form = FeedbackForm(data, results=results, values=values)
    items = _shown(feedback_of(skp), full, scope_for(user).employee_id)
    reply_form = None
    if action == "post" and post_form is not None:
        done = _post(request, skp, post_form)
        if done is not None:
            return done
    if action == "reply":
        raw = request.POST.get("parent", "")
        parent = next((f for f in items if raw.isdigit() and f.pk == int(raw)), None)
        if parent is None:
            raise Http404
        root = root_of(parent, {f.pk: f for f in items})
        reply_form = ReplyForm(request.POST, prefix=f"r{root.pk}")
        done = _reply(request, skp, parent, root, reply_form)
        if done is not None:
            return done
    by_rhk, by_value = threads_of(items)
    _attach_reply_forms(
        [t for threads in [*by_rhk.values(), *by_value.values()] for t in threads],
        reply_form,
        role is not None and open_for_feedback,
    )
    return render(
        request,
        "evaluations/feedback.html",
        {
            "skp": skp,
            "full": full,
            "role": role,
            "results": [(r, by_rhk.get(r.pk, [])) for r in results],
            "values": [(v, by_value.get(v.pk, [])) for v in values],
            "post_form": post_form,
            "may_post": may_post,
            "open_for_feedback": open_for_feedback,
            "plan_url": plan_url(skp.pk) if full else None,
            "rate_url": rate_url(skp.pk, skp.year) if full else None,
        },
    )
