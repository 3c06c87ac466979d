"""``organizations:me``: one's own profile, 404 for someone who is not an employee."""

from django.urls import reverse

from kinerja.organizations.tests.support import profile


def test_my_profile_redirects_to_the_own_page(cast, client_for):
    response = client_for(cast.employee).get(reverse("organizations:me"))
    assert response.status_code == 302
    assert response["Location"] == profile(cast.employees["employee"].nip)


def test_my_profile_is_404_for_someone_who_is_not_an_employee(cast, client_for):
    assert client_for(cast.admin).get(reverse("organizations:me")).status_code == 404
