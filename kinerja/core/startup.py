"""Checks a web process makes once, when it starts (``kinerja.wsgi``), so that a mistake of the
installation is one clear error at start-up instead of a 500 on every page.

* In production, static files are served from ``STATIC_ROOT`` through WhiteNoise's manifest
  (``CompressedManifestStaticFilesStorage``). Without ``kinerja collectstatic`` there is no
  manifest, every page that names a static file fails, and so does the error page that tries to
  name its stylesheet. The web process refuses to start instead, saying what to run.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: The file ``ManifestStaticFilesStorage`` writes beside the collected files.
MANIFEST = "staticfiles.json"


def require_static_manifest() -> None:
    """Refuse to serve in production when ``collectstatic`` has not written its manifest."""
    if not getattr(settings, "PRODUCTION", False):
        return
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    if not manifest.is_file():
        raise ImproperlyConfigured(
            f"No static files manifest at {manifest}: run `kinerja collectstatic --noinput` "
            "(where `npm ci` ran, or with KINERJA_NODE_MODULES set) before starting the web "
            "server."
        )
