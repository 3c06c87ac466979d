"""WSGI entry point (gunicorn kinerja.wsgi); refuses to start on an incomplete installation
(:mod:`kinerja.core.startup`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")

application = get_wsgi_application()

from kinerja.core.startup import require_static_manifest  # noqa: E402  (after Django's setup)

require_static_manifest()
