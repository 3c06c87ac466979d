"""``{% load kinerja_forms %}``: the error summary of a form (the GOV.UK pattern), one line
per error, each linking to its field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms import BaseForm

register = template.Library()


@dataclass(frozen=True)
class SummaryLine:
    message: str
    label: str = ""
    href: str = ""  # "#id_<field>", empty for an error of the whole form


@register.simple_tag(takes_context=True)
def error_summary_lines(context: template.Context) -> list[SummaryLine]:
    """The lines of ``{% include "core/_error_summary.html" %}``: the errors of ``form`` in
    the context, and of ``error_extra`` (other forms shown with it) when the page gives it."""
    return error_summary(context.get("form"), context.get("error_extra"))


def error_summary(
    form: BaseForm | None, extra: Iterable[BaseForm] | None = None
) -> list[SummaryLine]:
    """Every error of ``form`` (and of the ``extra`` forms shown with it, e.g. the indicator
    rows of a result): those of the whole form first, then each field's in the form's order."""
    lines: list[SummaryLine] = []
    for each in [form, *(extra or [])]:
        if each is None or not getattr(each, "is_bound", False) or not each.errors:
            continue
        lines.extend(SummaryLine(str(e)) for e in each.non_field_errors())
        for field in each:
            anchor = _anchor(field)
            for error in field.errors:
                if field.is_hidden or not anchor:
                    lines.append(SummaryLine(str(error)))
                else:
                    lines.append(SummaryLine(str(error), str(field.label), f"#{anchor}"))
    return lines


def _anchor(field: Any) -> str:
    """The id of the input a link should reach: the first choice of a radio or checkbox group."""
    if isinstance(field.field.widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        subwidgets = list(field.subwidgets)
        if subwidgets and subwidgets[0].id_for_label:
            return str(subwidgets[0].id_for_label)
    return str(field.id_for_label or field.auto_id or "")
