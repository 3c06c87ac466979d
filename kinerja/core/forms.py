"""Form helpers every app shares."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm


def errors_to_form(
    form: BaseForm, exc: ValidationError, *, fields: dict[str, str | None] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it (``fields`` renames service keys to form fields; ``None`` puts a key above the form),
    otherwise above the form."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        name = fields.get(key, key)
        if key == NON_FIELD_ERRORS or name not in form.fields:
            name = None
        for error in errors:
            form.add_error(name, error.messages)
