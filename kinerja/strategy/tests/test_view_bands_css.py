"""The band stylesheet: one CSS custom property per band row, so that no template holds a
colour and the strict CSP needs no inline style."""

from django.urls import reverse

from kinerja.core.models import AchievementBand

CSS = reverse("strategy:bands_css")


def test_every_band_gets_a_class_with_its_colour(cast, client_for):
    response = client_for(cast.employee).get(CSS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = response.content.decode()
    for band in AchievementBand.objects.all():
        assert band.colour in body
    assert ".band-sangat-baik { --band-colour: #" in body
    assert ".band-sangat-kurang {" in body


def test_a_new_years_band_is_served_and_wins_for_its_label(cast, client_for):
    AchievementBand.objects.create(
        valid_from=2030, label="Sangat Baik", min_pct=95, colour="#00aa00"
    )
    AchievementBand.objects.create(valid_from=2030, label="Istimewa", min_pct=110, colour="#123456")
    body = client_for(cast.employee).get(CSS).content.decode()
    assert ".band-istimewa { --band-colour: #123456; }" in body
    rules = [line for line in body.splitlines() if line.startswith(".band-sangat-baik ")]
    assert rules[-1] == ".band-sangat-baik { --band-colour: #00aa00; }"


def test_a_colour_that_is_not_a_plain_hex_never_reaches_the_stylesheet(cast, client_for):
    AchievementBand.objects.create(valid_from=2031, label="Aneh", min_pct=130, colour="red;}*{")
    body = client_for(cast.employee).get(CSS).content.decode()
    assert "band-aneh" not in body
    assert "red;" not in body


def test_the_stylesheet_is_cacheable_and_revalidated(cast, client_for):
    client = client_for(cast.employee)
    response = client.get(CSS)
    assert "max-age" in response["Cache-Control"]
    again = client.get(CSS, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    assert client.get(CSS).status_code == 302
