"""The Indonesian catalogue is complete, compiled, and covers every string of the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from kinerja.core.i18n import LOCALE_DIR

PO = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER_PATTERN = r"%\((\w+)\)[sd]"


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_message_has_an_indonesian_translation():
    missing = [
        e.msgid
        for e in entries()
        if "fuzzy" in e.flags or not (e.msgstr or all(e.msgstr_plural.values()))
    ]
    assert missing == []


def test_translations_keep_every_placeholder():
    import re

    broken = []
    for e in entries():
        wanted = set(re.findall(PLACEHOLDER_PATTERN, e.msgid))
        translations = [e.msgstr] if e.msgstr else list(e.msgstr_plural.values())
        for text in translations:
            if set(re.findall(PLACEHOLDER_PATTERN, text)) - wanted or (
                not e.msgid_plural and wanted != set(re.findall(PLACEHOLDER_PATTERN, text))
            ):
                broken.append((e.msgid, text))
    assert broken == []


def test_the_compiled_catalogue_matches_its_source():
    compiled = polib.mofile(str(MO))
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in entries()}
    built = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert built == source, "run: python -m kinerja.core.i18n compile"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="extracting messages needs GNU gettext (apt-get install gettext); CI installs it",
)
def test_every_translatable_string_of_the_code_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy and compare the message ids with the committed catalogue."""
    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "kinerja"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # Point LOCALE_PATHS at the copy, so that the committed catalogue is never touched.
    (tmp_path / "extract_settings.py").write_text(
        f"from kinerja.test_settings import *  # noqa\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "extract_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    extracted = polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))
    fresh = {(e.msgctxt, e.msgid) for e in extracted}
    committed = {(e.msgctxt, e.msgid) for e in entries()}
    assert fresh - committed == set(), "run: make messages, then translate the new strings"
