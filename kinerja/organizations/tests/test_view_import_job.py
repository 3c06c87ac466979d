"""``organizations:import_job``: the job page shows the result to its owner and the region, to
no one else, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("persona", ["pengelola", "admin", "auditor"])
def test_the_job_page_shows_the_result_to_its_owner_and_the_region(cast, client, job, persona):
    client.force_login(
        cast.users[persona], backend="kinerja.accounts.backends.NipOrUsernameBackend"
    )
    response = client.get(reverse("organizations:import_job", args=[job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="job-counts"' in html
    assert response.context["counts"] == [
        {"key": "employees", "title": "Pegawai", "created": 2, "updated": 0, "unchanged": 0}
    ]


@pytest.mark.parametrize("persona", ["employee", "head", "outsider"])
def test_another_users_job_is_not_found(cast, client, job, persona):
    client.force_login(
        cast.users[persona], backend="kinerja.accounts.backends.NipOrUsernameBackend"
    )
    assert client.get(reverse("organizations:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("organizations:import_status", args=[job.pk])).status_code == 404


def test_the_job_page_makes_a_bounded_number_of_queries(
    cast, client_for, job, django_assert_max_num_queries
):
    client = client_for(cast.pengelola)
    with django_assert_max_num_queries(12):
        client.get(reverse("organizations:import_job", args=[job.pk]))
