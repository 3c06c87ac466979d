"""The operations of service data — every write, by noun. Each takes keyword arguments and
``by`` (who acts: ``request.user``, the request's token for events sent through the API,
``self.by`` in commands), checks ``by``'s rights inside through :mod:`kinerja.streams.permissions`
and runs in one transaction with its own audit record.

* ``streams``: ``streams_load``, ``stream_save``, ``stream_rederive``
* ``events``: ``events_ingest``
* ``exclusions``: ``exclusion_add``, ``exclusion_end``
* ``alert_rules``: ``alert_rule_save``, ``alert_rule_deactivate``
* ``tokens``: ``service_token_create``, ``service_token_revoke``
"""

from .alert_rules import RULE_FIELDS, alert_rule_deactivate, alert_rule_save, rule_snapshot
from .events import events_ingest
from .exclusions import MAX_CASE_KEY, MAX_REASON, exclusion_add, exclusion_end
from .streams import StreamChange, stream_rederive, stream_save, stream_snapshot, streams_load
from .tokens import (
    service_token_create,
    service_token_revoke,
    service_tokens,
    service_tokens_managed_by,
)

__all__ = [
    "MAX_CASE_KEY",
    "MAX_REASON",
    "RULE_FIELDS",
    "StreamChange",
    "alert_rule_deactivate",
    "alert_rule_save",
    "events_ingest",
    "exclusion_add",
    "exclusion_end",
    "rule_snapshot",
    "service_token_create",
    "service_token_revoke",
    "service_tokens",
    "service_tokens_managed_by",
    "stream_rederive",
    "stream_save",
    "stream_snapshot",
    "streams_load",
]
