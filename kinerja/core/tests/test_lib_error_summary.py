"""The error summary at the top of every form (``core/_error_summary.html``, included by
``core/_fields.html``): how many problems, one line per error linking to its field (the first
choice of a radio group), the errors of the whole form unlinked; nothing for a form without
errors."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from kinerja.core.forms import NumberField


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    amount = NumberField(label="Amount")
    choice = forms.ChoiceField(
        label="Choice", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        self.add_error(None, "The whole form is wrong.")
        return data


def render(form, template="core/_fields.html") -> str:
    with translation.override("en"):
        return render_to_string(template, {"form": form})


def test_each_error_is_a_link_to_its_field_under_a_count():
    html = render(Sample({"s-amount": "1,2"}, prefix="s"))
    summary = html[html.index('<div class="error-summary"') : html.index("</div>")]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "There are 4 problems" in summary
    assert 'href="#id_s-name"' in summary
    assert 'href="#id_s-amount"' in summary
    assert "three digits" in summary  # the reason 1,2 is refused
    assert 'href="#id_s-choice_0"' in summary  # a radio group: its first choice
    assert "<li>The whole form is wrong.</li>" in summary
    assert html.index("data-error-summary") < html.index('id="id_s-name"')


def test_one_error_reads_in_the_singular():
    class One(forms.Form):
        name = forms.CharField(label="Name")

    assert "There is 1 problem<" in render(One({}), "core/_error_summary.html")


@pytest.mark.parametrize("form", [Sample(), Sample({"name": "x", "amount": "1", "choice": "a"})])
def test_a_form_without_errors_has_no_summary(form):
    form.clean = lambda: form.cleaned_data  # no error of the whole form
    assert "data-error-summary" not in render(form)
