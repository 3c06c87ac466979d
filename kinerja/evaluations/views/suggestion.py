"""The suggestion's part of the rating screen (``evaluations/_suggestion.html``): the stored or
computed suggestion made ready to show, and the rating form — whose results rating is fixed
for a unit head, with the reason (the unit's organisation predicate, domain.md §3.1)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kinerja.core.periods import Period
from kinerja.skp.models import RhkKind, Skp

from ..forms import RatingForm
from ..models import Rating
from ..selectors import head_rating, suggestion_sentences

RATING_LABELS = dict(Rating.choices)
KIND_LABELS = dict(RhkKind.choices)


def _number(raw) -> Decimal | None:
    try:
        return Decimal(raw) if raw not in (None, "") else None
    except (InvalidOperation, TypeError, ValueError):
        return None


def suggestion_view(suggestion: dict) -> dict:
    """The stored suggestion (strings, as kept in JSON) with numbers to show localised and
    labels; a suggestion stored before the definitions (no results, no reasons) shows as it
    was."""
    rating = suggestion.get("rating")
    view = {**suggestion, "label": RATING_LABELS.get(rating, "") if rating else ""}
    for key in ("mean_pct", "above_from", "meets_from", "cap", "below_max_share"):
        view[key] = _number(suggestion.get(key))
    view["reasons"] = suggestion_sentences(suggestion)
    view["results"] = [
        {
            "kind": r.get("kind", ""),
            "kind_label": KIND_LABELS.get(r.get("kind"), ""),
            "name": r.get("name", ""),
            "achievement": _number(r.get("achievement")),
            "rating": r.get("rating") or "",
            "label": RATING_LABELS.get(r.get("rating"), ""),
        }
        for r in suggestion.get("results") or []
        if isinstance(r, dict)
    ]
    return view


def rating_form(data, skp: Skp, period: Period) -> RatingForm:
    """The rater's form; for the unit's head the results rating is the organisation
    predicate's, shown with why and not chosen."""
    form = RatingForm(data)
    head = head_rating(skp, period)
    if head is not None:
        field = form.fields["results_rating"]
        field.disabled = True
        field.required = head.rating is not None
        field.initial = head.rating
        field.help_text = head.reason
    return form
