"""Following every link a person can reach, with the Django test client, and reporting what a
person should never meet: a link that leads to an error (404, 403, 5xx or any other 4xx) and
English words on a page that speaks Indonesian.

What is followed: the same-site ``<a href>`` links of each HTML page (GET only), starting from
the home page; redirects are followed as links. Not followed: signing out, the language
switch, the API (``/api/``: English by design, read by programs), static and uploaded files,
fragments and other sites. Downloads (``.pdf``, ``.xlsx``, ``.csv``, ``.ndjson`` or any answer
that is not HTML) are fetched once per URL pattern and only their status is checked.

To stay fast whatever the size of the data, at most ``per_pattern`` URLs of one pattern (the
URL name and the names of the query parameters) are visited, and at most ``max_pages`` in all.

English words: the visible text of a page whose ``<html lang>`` is ``id`` — text nodes only,
without ``<script>``, ``<style>``, ``<code>``, ``<kbd>``, ``<samp>`` and anything
marked ``lang="en"`` or ``translate="no"`` (the language switch's "English", a code) — is
split into words, and each word found in :data:`ENGLISH` is reported. The list holds common
English words that are not Indonesian words nor names used here; proper names, abbreviations
and "e-mail"/"email" (in use in Indonesian) are allowed by not being on it. Codes and command
lines (:data:`CODE`) and the few proper names that contain English words (:data:`NAMES`) are
taken out of the text first.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

#: Common English words that are not Indonesian (nor a name or code in Kinerja). Words that
#: are Indonesian too (data, target, status, total, unit, level, detail, monitor, regional, …)
#: are not here.
_WORDS = """
    the and of your you with from this that these those which who what when where why how
    there their they them our ours its his her him she he we it is are was were be been
    being has have had having will would shall should can could may might must not into onto
    over under after before until while because than then also only just each every any some
    all none more most less least other another such very about above below again against
    rating ratings rated rate plan plans planned objects objection objections object
    employee employees rater raters superior feedback realisation realisations realization
    indicator indicators result results period periods quarter quarters year years month
    months week weeks day days date dates name names state value values agency agencies
    agreement agreements evidence development action actions submit submitted approve
    approved returned return save saved cancel edit delete deleted remove removed add added
    new open opened closed show hide search download upload uploaded page pages next
    previous home sign signed password language switch help select choose yes nothing
    something everything waiting pending due overdue decided decision decide explain
    explained explanation reason reasons note notes comment comments reply replies replied
    sent send read unread mark verify verified verification awaiting changed change changes
    created create update updated view details list back continue confirm confirmed entered
    enter record recorded records recording history own my me mine whole people person team
    members member performance expectation expectations behaviour behavior core rhythm curve
    predicate assessment self credit points ledger document documents report reports service
    services stream streams alert alerts case cases event events metric metrics share within
    leader head heads region unit's agency's officer officers dashboard notifications
    notification inbox tasks task task's today yesterday tomorrow
"""
ENGLISH = frozenset(_WORDS.split())

SKIPPED_NAMES = {"accounts:logout", "set_language"}
SKIPPED_PREFIXES = ("/api/", "/static/", "/media/", "/i18n/")
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ndjson", ".zip")
HIDDEN = {"script", "style", "code", "kbd", "samp", "template", "noscript", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
#: What is not language: a code written with ``_``, ``.``, ``/`` or ``-`` between letters
#: (``higher_is_better``, ``organizations.employee``), a span in backticks, a command line
#: of Kinerja (``kinerja streams load FILE``, ``kinerja tokens create --name NAME``).
CODE = re.compile(
    r"`[^`]*`"
    r"|\bkinerja(?: (?:--)?[a-z][a-z-]*| [A-Z]+)+"
    r"|[\w-]*[A-Za-z0-9][_./][\w./-]*"
)
#: Proper names that contain English words (the names of trainings, programmes, …).
NAMES = ("Basic Trauma and Cardiac Life Support",)
WORD = re.compile(r"[A-Za-z][A-Za-z']*")


class _Page(HTMLParser):
    """The links, the language and the visible text nodes of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.language = ""
        self.texts: list[str] = []
        self._stack: list[bool] = []  # per open element: is its content hidden?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang") or ""
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in VOID:
            return
        hidden = (
            tag in HIDDEN
            or (values.get("lang", "id") != "id" and tag != "html")
            or values.get("translate") == "no"
        )
        self._stack.append(hidden or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self._stack and self._stack[-1]):
            self.texts.append(" ".join(data.split()))


def english_words(text: str) -> list[str]:
    """The words of ``text`` that are on the English list (as written), codes and names
    aside."""
    for name in NAMES:
        text = text.replace(name, " ")
    text = CODE.sub(" ", text)
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH]


@dataclass(frozen=True)
class Problem:
    persona: str
    kind: str  # "status" or "english"
    url: str
    detail: str
    found_on: str = ""

    def __str__(self) -> str:
        where = f" (linked from {self.found_on})" if self.found_on else ""
        return f"[{self.persona}] {self.kind}: {self.url}{where}: {self.detail}"


@dataclass
class Crawl:
    """One person's crawl: ``Crawl(client, "Siti").run()`` → the problems met."""

    client: Client
    persona: str
    per_pattern: int = 2
    max_pages: int = 300
    visited: set[str] = field(default_factory=set)
    patterns: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def run(self, start: str = "/") -> list[Problem]:
        queue: deque[tuple[str, str]] = deque([(start, "")])
        while queue and len(self.visited) < self.max_pages:
            url, found_on = queue.popleft()
            if url in self.visited or not self._admit(url):
                continue
            self.visited.add(url)
            for link in self._visit(url, found_on):
                queue.append((link, url))
        return self.problems

    def _admit(self, url: str) -> bool:
        """Whether ``url`` is followed: not skipped, and its pattern not visited enough."""
        parts = urlsplit(url)
        if parts.path.startswith(SKIPPED_PREFIXES):
            return False
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            name = parts.path  # its own pattern; visiting it reports the 404
        if name in SKIPPED_NAMES:
            return False
        download = parts.path.endswith(DOWNLOAD_SUFFIXES)
        keys = ",".join(sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}))
        pattern = f"{name}?{keys}"
        if self.patterns[pattern] >= (1 if download else self.per_pattern):
            return False
        self.patterns[pattern] += 1
        return True

    def _visit(self, url: str, found_on: str) -> list[str]:
        """GET ``url``; note its problems; the same-site links to follow from it."""
        response = self.client.get(url)
        if response.status_code >= 400:
            self._note("status", url, str(response.status_code), found_on)
            return []
        if response.status_code in (301, 302, 303, 307, 308):
            return _same_site([response["Location"]], url)
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        page = _Page()
        page.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
        if page.language == "id":
            for text in page.texts:
                words = english_words(text)
                if words:
                    shown = text if len(text) <= 120 else text[:117] + "…"
                    self._note("english", url, f"{', '.join(words)} in “{shown}”")
        return _same_site(page.links, url)

    def _note(self, kind: str, url: str, detail: str, found_on: str = "") -> None:
        self.problems.append(Problem(self.persona, kind, url, detail, found_on))


def _same_site(links: list[str], base: str) -> list[str]:
    """The links of this site, absolute paths with their query, without fragments."""
    found = []
    for link in links:
        parts = urlsplit(urljoin(base, link.strip()))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def report(problems: list[Problem]) -> str:
    """One readable line per distinct problem (the same text on many pages is said once)."""
    seen: dict[tuple[str, str, str], Problem] = {}
    counts: Counter = Counter()
    for p in problems:
        key = (p.persona, p.kind, p.detail if p.kind == "english" else p.url)
        seen.setdefault(key, p)
        counts[key] += 1
    lines = [
        f"{problem}" + (f" ({counts[key]} times)" if counts[key] > 1 else "")
        for key, problem in sorted(seen.items())
    ]
    return "\n".join(lines)
