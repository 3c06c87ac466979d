"""Applying a template (``skp:template_apply``): someone else's template is 404."""

import pytest

from kinerja.skp import services

from .support import draft, template_apply_url

pytestmark = pytest.mark.django_db


def test_someone_elses_template_is_404(cast, client_for):
    skp = draft(cast, "rater")
    template = services.template_save(
        owner=cast.employees["rater"], position=cast.positions["perawat"], by=cast.rater,
        kind="utama", text="Asuhan", indicators=[{"aspect": "kualitas", "text": "Mutu"}],
    )  # fmt: skip
    other = draft(cast, "rater_superior")
    assert (
        client_for(cast.rater_superior).post(template_apply_url(other, template)).status_code == 404
    )
    assert client_for(cast.pengelola).post(template_apply_url(skp, template)).status_code == 403
