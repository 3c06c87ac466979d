"""Background work of the service data: bringing cases up to date after events arrive
(enqueued by ``services.events_ingest`` after each stored batch), and evaluating the stream's
alert rules afterwards."""

import logging

from django_tasks import task

from .alerts import evaluate_alerts_throttled
from .ingest import catch_up
from .models import Stream

logger = logging.getLogger(__name__)


@task()
def catch_up_task(stream_id: int) -> int:
    stream = Stream.objects.filter(pk=stream_id).first()
    if stream is None:
        return 0
    done = catch_up(stream)
    _alerts_after_catch_up(stream)
    return done


def _alerts_after_catch_up(stream: Stream) -> None:
    """New cases may break (or mend) an alert rule: evaluate the stream's rules, at most once
    a minute per stream. A failure here never undoes or fails the catch-up."""
    try:
        evaluate_alerts_throttled(stream)
    except Exception:
        logger.exception("evaluating the alerts of stream %s failed", stream.code)
