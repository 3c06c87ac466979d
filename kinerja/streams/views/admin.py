"""The administrator's pages of service data: streams, service tokens and excluded cases.

Who may do what:

* **see** a stream (list, detail with its tokens — never their secrets —, its excluded cases):
  whoever ``Stream.objects.visible_to`` lets see it — the people of its agency and the region's
  readers (Admin BKPSDM, Auditor). Anyone else gets 404 for that stream;
* **change** a stream's definition: Admin BKPSDM (``permissions.may_define_streams``); others
  who see it get 403;
* **exclude** a case from the metrics, or end an exclusion: Admin BKPSDM and the Pengelola
  Kinerja of the stream's agency (``permissions.may_manage_stream``); others who see the
  stream get 403;
* **service tokens** (list, create, revoke): Admin BKPSDM only
  (``permissions.may_manage_tokens``); anyone else gets 403.

Views only parse, call and render: the operations are in :mod:`.services`, and check the same
rights again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.organizations.scope import scope_for

from .. import permissions, services
from ..forms import ExclusionForm, ServiceTokenForm, StreamForm
from ..ingest import catch_up
from ..models import Case, CaseExclusion, Event, Stream

EXCLUSIONS_PER_PAGE = 50


def _up_to_date(stream: Stream) -> None:
    """Figures are read from the cases: merge the events not yet in them first (usually none,
    so this costs nothing but a comparison)."""
    if stream.cases_through_pk < stream.last_event_pk:
        catch_up(stream)


# --- Streams -------------------------------------------------------------------------------------


@require_GET
def stream_list(request):
    streams = list(
        Stream.objects.visible_to(request.user)
        .select_related("agency")
        .order_by("agency__name", "code")
    )
    if not streams and not scope_for(request.user).region_read:
        raise PermissionDenied
    for stream in streams:
        _up_to_date(stream)
    counts = {
        row["stream"]: row
        for row in Case.objects.filter(stream__in=streams)
        .values("stream")
        .annotate(cases=Count("pk"), events=Sum("events"))
    }
    last = dict(
        Event.objects.filter(
            pk__in=[s.last_event_pk for s in streams if s.last_event_pk]
        ).values_list("stream_id", "received_at")
    )
    rows = [
        {
            "stream": s,
            "cases": counts.get(s.pk, {}).get("cases", 0),
            "events": counts.get(s.pk, {}).get("events") or 0,
            "last_event_at": last.get(s.pk),
        }
        for s in streams
    ]
    return render(
        request,
        "streams/admin_list.html",
        {"rows": rows, "can_manage_tokens": permissions.may_manage_tokens(request.user)},
    )


@require_GET
def stream_detail(request, code: str):
    stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    _up_to_date(stream)
    figures = Case.objects.filter(stream=stream).aggregate(
        cases=Count("pk"),
        events=Sum("events"),
        started=Count("pk", filter=Q(started_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_on__isnull=False, inconsistent=False)),
        inconsistent=Count("pk", filter=Q(inconsistent=True)),
        excluded=Count("pk", filter=Q(excluded=True)),
    )
    last_event = Event.objects.filter(pk=stream.last_event_pk).only("received_at", "at").first()
    return render(
        request,
        "streams/admin_detail.html",
        {
            "stream": stream,
            "figures": figures,
            "last_event": last_event,
            "tokens": stream.tokens.order_by("name"),
            "can_edit": permissions.may_define_streams(request.user),
            "can_manage_tokens": permissions.may_manage_tokens(request.user),
            "can_exclude": permissions.may_manage_stream(request.user, stream),
        },
    )


@require_http_methods(["GET", "POST"])
def stream_edit(request, code: str):
    stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    if not permissions.may_define_streams(request.user):
        raise PermissionDenied
    form = StreamForm(request.POST or None, stream=stream)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.stream_save(definition=form.definition, by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            _report_change(request, change)
            return redirect("streams:detail", code=stream.code)
    return render(request, "streams/admin_edit.html", {"stream": stream, "form": form})


def _report_change(request, change: services.StreamChange) -> None:
    if change.action == "unchanged":
        messages.info(request, _("Nothing changed."))
        return
    messages.success(request, _("The stream has been changed."))
    if change.cases_rebuilt:
        messages.info(
            request,
            ngettext(
                "The start or end stage changed: %(n)d case was rebuilt from its events.",
                "The start or end stage changed: %(n)d cases were rebuilt from their events.",
                change.cases_rebuilt,
            )
            % {"n": change.cases_rebuilt},
        )
    elif change.cases_rederived:
        messages.info(
            request,
            ngettext(
                "The service level changed: %(n)d case was re-derived.",
                "The service level changed: %(n)d cases were re-derived.",
                change.cases_rederived,
            )
            % {"n": change.cases_rederived},
        )
    for stage, n in sorted(change.removed_stages_in_use.items()):
        messages.warning(
            request,
            ngettext(
                "Stage %(stage)s was removed but %(n)d stored event uses it: it stays stored; "
                "new events of this stage are refused.",
                "Stage %(stage)s was removed but %(n)d stored events use it: they stay stored; "
                "new events of this stage are refused.",
                n,
            )
            % {"stage": stage, "n": n},
        )


# --- Excluded cases ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def exclusions(request, code: str):
    stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    may_manage = permissions.may_manage_stream(request.user, stream)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = ExclusionForm(request.POST)
        if form.is_valid():
            try:
                exclusion = services.exclusion_add(
                    stream=stream,
                    case_key=form.cleaned_data["case_key"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Case %(case)s is excluded from the metrics.") % {"case": exclusion.case_key},
                )
                return redirect("streams:exclusions", code=stream.code)
    else:
        form = ExclusionForm(initial={"case_key": request.GET.get("case", "")[:128]})
    page = Paginator(
        CaseExclusion.objects.filter(stream=stream)
        .select_related("created_by__employee", "ended_by__employee")
        .order_by(F("ended_at").desc(nulls_first=True), "-created_at", "-pk"),
        EXCLUSIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "streams/admin_exclusions.html",
        {"stream": stream, "page": page, "form": form if may_manage else None},
    )


@require_POST
def exclusion_end(request, code: str, pk: int):
    stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    exclusion = visible_or_404(CaseExclusion.objects.filter(stream=stream), request.user, pk=pk)
    if not permissions.may_manage_stream(request.user, stream):
        raise PermissionDenied
    try:
        services.exclusion_end(exclusion=exclusion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Case %(case)s counts in the metrics again.") % {"case": exclusion.case_key},
        )
    return redirect("streams:exclusions", code=stream.code)


# --- Service tokens ------------------------------------------------------------------------------


def _require_token_admin(user) -> None:
    if not permissions.may_manage_tokens(user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def tokens(request):
    _require_token_admin(request.user)
    choices = Stream.objects.editable_by(request.user).order_by("code")
    form = ServiceTokenForm(request.POST or None, streams=choices)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.service_token_create(
                name=form.cleaned_data["name"],
                streams=list(form.cleaned_data["streams"]),
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            # The secret is in this answer only: only its hash is stored.
            response = render(
                request,
                "streams/admin_token_created.html",
                {"token": token, "secret": secret, "streams": token.streams.order_by("code")},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "streams/admin_tokens.html",
        {"tokens": services.service_tokens(), "form": form, "has_streams": choices.exists()},
    )


@require_POST
def token_revoke(request, pk: int):
    _require_token_admin(request.user)
    token = services.service_tokens_managed_by(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    try:
        services.service_token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token %(name)s has been revoked.") % {"name": token.name})
    return redirect("streams:tokens")
