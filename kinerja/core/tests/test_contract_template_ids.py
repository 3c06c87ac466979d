"""Numbers that are identifiers (primary keys in ids, links and form values) are written
without the region's thousands separator: Indonesian formatting turns 1234 into "1.234",
which would break an element id that a script or a test looks for, and a form value that is
posted back."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
#: {{ something.pk }}, a reply's parent or a page number, without a filter that unlocalizes
RAW_ID = re.compile(r"\{\{\s*[\w.]*(?:\.pk|reply_parent|page_number)\s*\}\}")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_identifiers_are_written_unlocalized(path):
    text = path.read_text()
    offending = [m.group(0) for m in RAW_ID.finditer(text)]
    assert offending == []
