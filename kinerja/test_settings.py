"""Settings for the test suite: the real settings, with a few test-only swaps.

The database is whatever ``DATABASE_URL`` names (SQLite when unset), exactly as in production.
"""

import os
import tempfile

os.environ.setdefault("KINERJA_VAR_DIR", tempfile.mkdtemp(prefix="kinerja-test-var-"))

from kinerja.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_MODE = True
