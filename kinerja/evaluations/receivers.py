"""The evaluations app's answers to the signals of the apps below it (connected in
:meth:`kinerja.evaluations.apps.EvaluationsConfig.ready`); why signals, and why a sweep as
well: :mod:`kinerja.evaluations.services.coaching`.

Each runs after the commit of the change that sent it, as the installation (``SYSTEM``: no
person's rights; the audit trail attributes the item to the door of the change). A failure is
logged and never undoes nor fails the verification or the alert evaluation that caused it —
the daily sweep (``kinerja evaluations coaching``) catches up.
"""

from __future__ import annotations

import logging

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.skp.models import IkiRealisation
from kinerja.skp.signals import realisation_counted
from kinerja.streams.models import AlertBreach
from kinerja.streams.signals import breach_changed

from .services.coaching import coaching_check, coaching_from_breach

logger = logging.getLogger(__name__)


def on_realisation_counted(sender, *, realisation: IkiRealisation, **kwargs) -> None:
    """A verified value: check its indicator in its period."""
    try:
        row = IkiRealisation.objects.select_related("iki__rhk__skp__unit__agency").get(
            pk=realisation.pk
        )
        coaching_check(
            skp=row.iki.rhk.skp,
            period=parse_period(row.period, kinds=ALL_KINDS),
            by=SYSTEM,
            iki_ids={row.iki_id},
        )
    except Exception:  # never fail the verification that already committed
        logger.exception("coaching check after realisation %s failed", realisation.pk)


def on_breach_changed(sender, *, breach: AlertBreach, **kwargs) -> None:
    """An alert breach opened or ended: open or resolve its items."""
    try:
        row = AlertBreach.objects.select_related("rule__stream__agency", "rule__unit").get(
            pk=breach.pk
        )
        coaching_from_breach(breach=row, by=SYSTEM)
    except Exception:  # never fail the alert evaluation that already committed
        logger.exception("coaching after alert breach %s failed", breach.pk)


def connect() -> None:
    realisation_counted.connect(on_realisation_counted, dispatch_uid="coaching-realisation")
    breach_changed.connect(on_breach_changed, dispatch_uid="coaching-breach")
