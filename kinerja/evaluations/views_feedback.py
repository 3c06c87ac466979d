"""Continuous feedback on a plan: threads per work result and per BerAKHLAK value. The rater,
peers (who share the rater) and subordinates write, tagged as appreciation or improvement; the
employee replies.

Peers and subordinates may not see the plan itself (its targets and realisations): they reach
this page through their own door — plans of people who share their rater, or of their rater —
and see only the texts of the results, the values and the threads they started."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.forms import errors_to_form
from kinerja.organizations.models import RaterChain
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Rhk, Skp, SkpState
from kinerja.skp.rules import behaviour_values

from . import services
from .forms import FeedbackForm, ReplyForm
from .models import Feedback, FeedbackRole
from .views import plan_url, rate_url
from .views_rate import feedback_of, threads_of

_RELATED = ("employee", "unit__agency", "rater", "rater_superior")


def feedback_plan_or_404(user, pk: int) -> tuple[Skp, bool]:
    """The plan and whether the viewer sees all of it; 404 for anyone with no standing.

    The first door is ``Skp.objects.visible_to``; the second lets a peer (same rater) or a
    subordinate (whose rater is the plan's employee) reach the plan to give feedback."""
    skp = Skp.objects.visible_to(user).select_related(*_RELATED).filter(pk=pk).first()
    if skp is not None:
        return skp, True
    me = scope_for(user).employee_id
    if me is None:
        raise Http404
    my_rater = RaterChain.objects.filter(employee_id=me).values_list("rater_id", flat=True).first()
    if my_rater is None:
        raise Http404
    skp = (
        Skp.objects.filter(Q(rater_id=my_rater) | Q(employee_id=my_rater), pk=pk)
        .exclude(employee_id=me)
        .select_related(*_RELATED)
        .first()
    )
    if skp is None or services.feedback_role(user, skp) is None:
        raise Http404
    return skp, False


@require_http_methods(["GET", "POST"])
def feedback(request, skp_id: int):
    user = request.user
    skp, full = feedback_plan_or_404(user, skp_id)
    role = services.feedback_role(user, skp)
    me = scope_for(user).employee_id
    results = list(Rhk.objects.filter(skp=skp).order_by("kind", "number"))
    values = behaviour_values(skp.year)
    open_for_feedback = skp.state not in {SkpState.DRAFT, SkpState.CLOSED}
    # Whether the plan takes feedback yet is the service's to say (a clear message on the form).
    may_post = role is not None and role != FeedbackRole.EMPLOYEE
    may_reply = role is not None

    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not (may_post if action == "post" else may_reply):
        raise PermissionDenied
    post_form = (
        FeedbackForm(request.POST if action == "post" else None, results=results, values=values)
        if may_post
        else None
    )
    items = feedback_of(skp)
    if not full:
        # Those who may not see the plan see the threads they started, with their replies.
        own_roots = {f.pk for f in items if f.parent_id is None and f.author_id == me}
        items = _within(items, own_roots)
    reply_to = None
    if action == "reply":
        raw = request.POST.get("parent", "")
        reply_to = next((f for f in items if raw.isdigit() and f.pk == int(raw)), None)
        if reply_to is None:
            raise Http404

    if action == "post" and post_form is not None and post_form.is_valid():
        rhk, value = post_form.cleaned_data["about"]
        try:
            item = services.feedback_post(
                skp=skp,
                by=user,
                text=post_form.cleaned_data["text"],
                tag=post_form.cleaned_data["tag"],
                rhk=rhk,
                value=value,
            )
        except ValidationError as exc:
            errors_to_form(post_form, exc, fields={"rhk": "about", "value": "about"})
        else:
            messages.success(
                request, _("Your feedback has been sent to %(name)s.") % {"name": skp.employee.name}
            )
            return redirect(f"{reverse('evaluations:feedback', args=[skp.pk])}#thread-{item.pk}")

    by_rhk, by_value = threads_of(items)
    reply_form = None
    if reply_to is not None:
        root = _root_of(reply_to, items)
        reply_form = ReplyForm(request.POST, prefix=f"r{root.pk}")
        if reply_form.is_valid():
            try:
                services.feedback_post(
                    skp=skp, by=user, text=reply_form.cleaned_data["text"], parent=reply_to
                )
            except ValidationError as exc:
                errors_to_form(reply_form, exc, fields={"parent": None})
            else:
                messages.success(request, _("Your reply has been sent."))
                return redirect(
                    f"{reverse('evaluations:feedback', args=[skp.pk])}#thread-{root.pk}"
                )
    for threads in [*by_rhk.values(), *by_value.values()]:
        for thread in threads:
            if reply_form is not None and reply_form.prefix == f"r{thread.root.pk}":
                thread.reply_form = reply_form
            elif may_reply and open_for_feedback:
                thread.reply_form = ReplyForm(prefix=f"r{thread.root.pk}")
            else:
                thread.reply_form = None
            thread.reply_parent = (thread.replies or [thread.root])[-1].pk
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


def _root_of(item: Feedback, items: list[Feedback], by_pk: dict | None = None) -> Feedback:
    by_pk = by_pk if by_pk is not None else {f.pk: f for f in items}
    seen = set()
    while item.parent_id is not None and item.parent_id in by_pk and item.pk not in seen:
        seen.add(item.pk)
        item = by_pk[item.parent_id]
    return item


def _within(items: list[Feedback], roots: set[int]) -> list[Feedback]:
    by_pk = {f.pk: f for f in items}
    return [f for f in items if _root_of(f, items, by_pk).pk in roots]
