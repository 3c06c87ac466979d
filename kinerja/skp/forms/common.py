"""What the plan's forms share."""

from __future__ import annotations

from django import forms


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 3, **attrs):
        super().__init__(attrs={"rows": rows, **attrs})
