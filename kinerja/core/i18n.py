"""Compiling the translation catalogues without GNU gettext.

``python -m kinerja.core.i18n compile`` turns every ``django.po`` under ``kinerja/locale`` into
its ``django.mo`` with polib, so that a fresh machine needs no system package to run Kinerja in
Indonesian. The compiled files are committed; a test keeps them in step with the sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib  # a development dependency: only ``make messages`` and the tests compile

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        catalogue.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def main(argv: list[str]) -> int:
    if argv[1:] != ["compile"]:
        print("usage: python -m kinerja.core.i18n compile", file=sys.stderr)
        return 2
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
