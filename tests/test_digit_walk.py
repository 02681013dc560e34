"""Digits everywhere: every demo role walks the pages it can reach from the dashboard (the application's own
links, GET only, a bounded number per person), in Thai and in English. A Thai page shows no Arabic digit outside
codes (o42, e11, IIT1), addresses and form values; an English page shows no Thai digit."""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[1] / "README.md"
PAGES_PER_PERSON = 18  # about 300 pages in all, in two languages
SAME_ROUTE = 2  # pages of one URL pattern per person (a list and one or two of its objects)
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/", "/__", "/public/")
# Codes led by Latin letters keep their digits; so do addresses, file names and e-mail addresses.
CODES = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|[A-Za-z][A-Za-z0-9_.-]*[0-9][A-Za-z0-9_./-]*|\S+\.(?:pdf|xlsx|csv|zip|png|jpe?g)\b"
)


def demo_users() -> list[str]:
    """The demo people listed in the README's table (the superuser's Django admin is not the application)."""
    names = re.findall(r"^\| `([a-z.]+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [n for n in names if n != "admin"]


class _Page(HTMLParser):
    """The text a person reads (no scripts, styles, form values or attributes) and the page's links. With
    ``skip_documents``, the memo paper shown on the page (``<article lang="th">``: a Thai document whose digits
    follow the agency's choice, whatever the interface language) is left out too."""

    HIDDEN = {"script", "style", "textarea", "noscript", "template"}

    def __init__(self, skip_documents: bool = False):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._skip_documents = skip_documents
        self._document = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "article" and (self._document or (self._skip_documents and attributes.get("lang") == "th")):
            self._document += 1
        href = attributes.get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "article" and self._document:
            self._document -= 1

    def handle_data(self, data):
        if not self._hidden and not self._document:
            self.text.append(data)


def _internal(href: str) -> str | None:
    url, _frag = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return url


def walk(client, start: str = "/", *, skip_documents: bool = False) -> dict[str, str]:
    """Breadth-first from ``start``: {url: visible text} of the HTML pages reached."""
    seen, queue, pages, per_route = {start}, deque([start]), {}, Counter()
    while queue and len(pages) < PAGES_PER_PERSON:
        url = queue.popleft()
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            continue
        if per_route[route] >= SAME_ROUTE:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_route[route] += 1
        parser = _Page(skip_documents)
        parser.feed(response.content.decode())
        pages[url] = " ".join(parser.text)
        for href in parser.links:
            found = _internal(href)
            if found and found not in seen:
                seen.add(found)
                queue.append(found)
    return pages


def _offences(pages: dict[str, str], pattern: re.Pattern) -> list[str]:
    found = []
    for url, text in pages.items():
        for match in pattern.finditer(CODES.sub(" ", text)):
            start = max(match.start() - 30, 0)
            found.append(f"{url}: …{CODES.sub(' ', text)[start : match.end() + 30].strip()}…")
            break
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_every_demo_page_keeps_to_the_digits_of_its_language(client, demo):
    from agencies.models import Agency

    # The demo's สะเตงนอก writes Arabic digits, as its seed document does (fixtures/demo/agencies.json): its Thai
    # pages rightly show them. This walk is of agencies that chose Thai digits; the next one sets every agency
    # to Arabic digits.
    Agency.objects.update(use_thai_digits=True)
    users = demo_users()
    assert len(users) >= 15, users
    thai_offences, english_offences, walked = [], [], 0
    for username in users:
        client.force_login(get_user_model().objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        thai = walk(client)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = walk(client, skip_documents=True)
        walked += len(thai) + len(english)
        assert len(thai) >= 5, f"{username} reached only {list(thai)}"
        thai_offences += _offences(thai, re.compile(r"[0-9]"))
        english_offences += _offences(english, re.compile(r"[๐-๙]"))
        client.logout()
    assert walked >= 200
    assert not thai_offences, "Arabic digits on Thai pages:\n" + "\n".join(thai_offences)
    assert not english_offences, "Thai digits on English pages:\n" + "\n".join(english_offences)


def test_an_agency_that_chose_arabic_digits_sees_no_thai_digit_on_thai_pages(client, demo):
    """The agency's choice (Agency.use_thai_digits) rules the Thai pages of everyone working in it: with every demo
    agency set to Arabic digits, no Thai page of a demo role working in an agency shows a Thai digit, and numbers
    are still shown. (A memo issued before the change keeps the digits it was issued in: its paper is left out.)"""
    from agencies.models import Agency, Membership

    Agency.objects.update(use_thai_digits=False)
    offences, with_numbers, walked = [], 0, 0
    for username in demo_users():
        user = get_user_model().objects.get(username=username)
        if not user.is_superuser and not Membership.objects.active().filter(user=user).exists():
            continue  # no agency, no choice: Thai digits, as the Thai walk above checks
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        pages = walk(client, skip_documents=True)
        walked += len(pages)
        offences += _offences(pages, re.compile(r"[๐-๙]"))
        with_numbers += sum(1 for text in pages.values() if re.search(r"[0-9]", CODES.sub(" ", text)))
        client.logout()
    assert walked >= 100
    assert with_numbers >= walked // 2, "numbers should be shown, in Arabic digits"
    assert not offences, "Thai digits on Thai pages of an agency that chose Arabic digits:\n" + "\n".join(offences)
