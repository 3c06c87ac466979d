"""API of organisational performance: indicators with their targets, realisations and
achievement, creating indicators, entering and verifying realisations.

Everything goes through the one door: ``Indicator.objects.visible_to(user)`` and
``Realisation.objects.visible_to(user)``; an indicator or a realisation the caller may not see
is "not found", exactly like one that does not exist. The changes are the operations of
:mod:`kinerja.strategy.services`, which decide the rights (403 with the reason), validate and
write the audit trail; the endpoints read the body, call them and answer.

One module per part: :mod:`.indicators` (reading), :mod:`.indicator_create`,
:mod:`.realisations`; they register on the one :data:`router` in that order (the order of
the OpenAPI document).

Numbers
    Targets and realisations go out as JSON numbers rounded to 4 decimals, achievements to 2
    (half up), with no trailing zeros: ``16.6667``, ``100``. They come in as JSON numbers or
    decimal strings (``12.5``, ``"12.5"``, ``"12,5"``; at most 4 decimals) and are stored as
    decimals, so ``0.1`` is stored as exactly 0.1.

Answers that are not obvious
    * ``POST /indicators`` answers **409** ``{"error"}`` when the year's performance agreement
      is submitted or agreed (targets are frozen then; reopen the agreement first). The
      indicator is not created either: indicator and target are one transaction.
    * ``POST /indicators/{id}/realisations`` answers **200** with the current record when it
      already holds exactly this value and these texts (a resend changes nothing), **201** for
      a new value or a correction (``corrects`` names the superseded record).
    * ``POST /realisations/{id}/verify`` answers **409** when the record was superseded or is
      no longer awaiting verification.
    * A body field the service refuses is named as sent; a rule that concerns the indicator as
      a whole (computed by a formula, no longer active) is reported on the field
      ``indicator``.
"""

# Imported for their endpoints. indicator_create imports indicators first, so the reading
# endpoints are registered before the creation, as the OpenAPI document has them.
from . import indicator_create, indicators, realisations  # noqa: F401
from .common import router

__all__ = ["router"]
