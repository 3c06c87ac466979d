"""``organizations:import_template``: the empty workbook to fill in, for importers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.organizations import tabular


@pytest.mark.parametrize(
    ("persona", "status"), [("pengelola", 200), ("admin", 200), ("employee", 403), ("auditor", 403)]
)
def test_the_template_is_for_importers(cast, client_for, persona, status):
    response = client_for(cast.users[persona]).get(reverse("organizations:import_template"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert tabular.read_file("t.xlsx", response.content).row_count == 0
