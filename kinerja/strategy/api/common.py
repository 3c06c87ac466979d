"""What the endpoints of organisational performance share: the router, the year parameter,
numbers out, and the one door to an indicator."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kinerja.core.access import visible_or_404
from kinerja.core.api import number

from ..models import Indicator

router = Router(tags=["performance"])

INDICATOR_RELATED = ("agency", "strategic_target", "owner_unit", "owner_position")
REALISATION_PLACES = 4
ACHIEVEMENT_PLACES = 2

YearField = Field(
    None, ge=2000, le=2100, description="The performance year; default: this year (WIB)."
)


class YearFilter(Schema):
    year: int | None = YearField


def operation_id(name: str) -> str:
    """The OpenAPI operation id the endpoint had when this API was one module, kept so that
    generated clients do not change."""
    return f"kinerja_strategy_api_{name}"


def quantity(value: Decimal | None) -> float | None:
    return number(value, REALISATION_PLACES)


def pct(value: Decimal | None) -> float | None:
    return number(value, ACHIEVEMENT_PLACES)


def visible_indicator(user, indicator_id: int) -> Indicator:
    """The indicator through its door; "Indicator not found." (404) when the caller may not
    see it, exactly like one that does not exist."""
    return visible_or_404(
        Indicator.objects.select_related(*INDICATOR_RELATED),
        user,
        not_found=_("Indicator not found."),
        pk=indicator_id,
    )
