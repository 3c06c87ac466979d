"""The colours of the achievement bands, as a stylesheet."""

from __future__ import annotations

import hashlib
import re

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from kinerja.core.models import AchievementBand

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


@require_GET
def bands_css(request):
    """``.band-<slug> { --band-colour: #hex; }`` for every row of the band table, so that no
    template holds a colour (and the strict CSP needs no inline style). Rows are written in
    order of their year; a later year's colour for the same label wins."""
    lines = ["/* Achievement bands (core.AchievementBand), generated. */"]
    for band in AchievementBand.objects.order_by("valid_from", "-min_pct"):
        slug = slugify(band.label)
        # Only a plain hex colour reaches the stylesheet: the table is data, the CSS is code.
        if slug and _HEX_COLOUR.match(band.colour or ""):
            lines.append(f".band-{slug} {{ --band-colour: {band.colour}; }}")
    body = "\n".join(lines) + "\n"
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        return conditional
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=600"
    return response
