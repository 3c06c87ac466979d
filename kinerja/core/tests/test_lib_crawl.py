"""``kinerja.testing.crawl``: what counts as an English word on an Indonesian page, and which
links are followed."""

import pytest

from kinerja.testing.crawl import _Page, _same_site, english_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Yeni Marlina objects to the 2026 predicate", ["objects", "the", "predicate"]),
        ("Improve on the TW III 2026 rating", ["the", "rating"]),
        ("state: rated → objected", ["state", "rated"]),
        ("SKP 2026 Anda disetujui", []),
        ("Status: target 90 % unit kerja, data layanan", []),
        ("higher_is_better (atau: semakin tinggi semakin baik)", []),
        ("jalankan `kinerja audit verify` untuk memeriksa", []),
        ("di berkas aliran (kinerja streams load FILE), yang", []),
        ("kinerja tokens create --name NAME --streams CODE dan", []),
        ("organizations.employee", []),
        ("Pelatihan Basic Trauma and Cardiac Life Support (BTCLS)", []),
        ("Kirim e-mail ke admin", []),
    ],
)
def test_english_words_are_found_and_codes_and_names_are_not(text, words):
    assert english_words(text) == words


def test_only_visible_text_outside_code_and_english_marked_parts_is_read():
    page = _Page()
    page.feed(
        '<html lang="id"><head><title>Beranda</title><style>.the{}</style></head><body>'
        '<script>var plan = "the";</script><p title="the plan">Rencana <b>kerja</b></p>'
        '<code>the code</code><option lang="en">English</option><br><p>Selesai</p>'
        '<a href="/skp/1/">SKP</a></body></html>'
    )
    assert page.language == "id"
    assert page.texts == ["Beranda", "Rencana", "kerja", "Selesai", "SKP"]
    assert page.links == ["/skp/1/"]


def test_only_links_of_this_site_are_followed_without_their_fragment():
    links = ["/a/?x=1#top", "b/", "https://example.org/", "mailto:x@y.id", "http://testserver/c/"]
    assert _same_site(links, "/skp/1/") == ["/a/?x=1", "/skp/1/b/", "/c/"]
