"""Who may load the demo: the installation itself (the loader acts as
:data:`~kinerja.core.actors.SYSTEM`), and only in demo mode — the demo gives every account a
known password."""

from __future__ import annotations

from django.conf import settings

from kinerja.core.actors import Actor, is_system


def may_load_demo(by: Actor) -> bool:
    return bool(settings.DEMO_MODE) and is_system(by)
