"""The error pages: an unknown page answers 404 in the site's layout; the 500 page renders
without the database or a user."""

from django.test import RequestFactory

from kinerja.core import views


def test_an_unknown_page_answers_404_with_the_site_layout(cast, client_for):
    response = client_for(cast.employee).get("/tidak-ada/")
    assert response.status_code == 404
    assert 'class="error-page"' in response.content.decode()


def test_the_500_page_needs_neither_the_database_nor_a_user():
    request = RequestFactory().get("/")
    response = views.error_500(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "style=" not in html  # the content security policy forbids inline styles
