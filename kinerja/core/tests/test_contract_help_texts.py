"""Every help text is the description of its field: Django points a field with a help text to
``<id>_helptext`` (``aria-describedby``), so the element that shows the help text carries that
id — in the shared field template and in every template that writes fields by hand."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
#: An element whose content starts with a field's help text: <span …>{{ form.x.help_text }}
HELP = re.compile(r"<(?:span|p|div)\b([^>]*)>\s*\{\{\s*([\w.]+)\.help_text\s*\}\}")


class _Form(forms.Form):
    name = forms.CharField(help_text="What the thing is called.")
    size = forms.IntegerField()


def test_the_shared_field_template_gives_the_help_text_the_id_the_field_points_to():
    html = render_to_string("core/_fields.html", {"form": _Form()})
    assert 'aria-describedby="id_name_helptext"' in html
    assert re.search(r'<span class="helptext" id="id_name_helptext">What the thing', html)
    assert 'aria-describedby="id_size' not in html


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_help_text_element_has_the_id_its_field_points_to(path):
    text = path.read_text()
    described = set(re.findall(r'aria-describedby="([^"]+)"', text))
    wrong = []
    for match in HELP.finditer(text):
        attributes, field = match.groups()
        expected = f'id="{{{{ {field}.auto_id }}}}_helptext"'
        manual = re.search(r'id="([^"{]+)"', attributes)
        if expected not in attributes and not (manual and manual.group(1) in described):
            wrong.append(match.group(0))
    assert wrong == []
