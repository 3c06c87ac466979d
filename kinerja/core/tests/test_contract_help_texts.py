"""Every help text is the description of its field: Django points a field with a help text to
``<id>_helptext`` and one with errors to ``<id>_error`` (``aria-describedby``), so the elements
that show them carry those ids — in the shared field template and in every template that writes
fields by hand; a group of radio buttons is a fieldset named by its legend."""

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
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )


def test_the_shared_field_template_gives_the_help_text_the_id_the_field_points_to():
    html = render_to_string("core/_fields.html", {"form": _Form()})
    assert 'aria-describedby="id_name_helptext"' in html
    assert re.search(r'<span class="helptext" id="id_name_helptext">What the thing', html)
    assert 'aria-describedby="id_size' not in html


def test_a_radio_group_is_a_fieldset_named_by_its_legend_and_described_with_its_errors():
    form = _Form(data={"name": "x", "size": "1"})
    assert not form.is_valid()
    html = render_to_string("core/_fields.html", {"form": form})
    group = re.search(r"<fieldset[^>]*>\s*<legend>Kind.*?</fieldset>", html, re.S)
    assert group, html
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in group.group(0)
    assert 'id="id_kind_error"' in group.group(0) and 'id="id_kind_helptext"' in group.group(0)
    assert group.group(0).count('type="radio"') == 2


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
