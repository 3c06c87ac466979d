"""Indonesian first: pages speak Indonesian by default, English can be chosen and sticks, and
times and numbers are shown in WIB with Indonesian formats."""

from datetime import UTC, datetime
from decimal import Decimal

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation


def test_the_sign_in_page_speaks_indonesian_by_default(client, db):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk" in html


def test_english_can_be_chosen_and_sticks(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("accounts:login")}
    )
    assert response.status_code == 302
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_times_are_shown_in_wib_with_indonesian_formats():
    moment = datetime(2026, 1, 5, 1, 15, tzinfo=UTC)  # 08.15 WIB
    template = Template('{{ moment|date:"DATETIME_FORMAT" }} {{ number }}')
    with translation.override("id"), timezone.override("Asia/Jakarta"):
        rendered = template.render(Context({"moment": moment, "number": Decimal("1234567.5")}))
    assert rendered == "5 Januari 2026 08.15 1.234.567,5"
