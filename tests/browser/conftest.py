"""Browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

The journeys need the ``playwright`` package (requirements-dev.txt) and a Chromium binary (Debian's
``chromium``, installed by ``make browser-deps``; ``CHROMIUM`` points elsewhere). Playwright's own browser
download is not used. Without them the journeys are skipped on a developer's machine; CI sets
``ITA_BROWSER_TESTS=required`` so that a missing browser fails the run instead of passing it silently.

When a journey fails, a full-page screenshot and the page's HTML are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    expect = sync_playwright = None

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts" / "browser"
TIMEOUT_MS = 20_000


def missing_requirement() -> str | None:
    """Why the journeys cannot run here, or None when they can."""
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (make browser-deps, i.e. apt-get install chromium)"
    return None


def require_browser() -> None:
    """At the top of a journey module: skip it where Chromium or Playwright is missing, unless the journeys
    are required (``ITA_BROWSER_TESTS=required``, as CI runs them): then the whole run fails, so a machine
    without a browser can never pass CI by skipping them."""
    missing = missing_requirement()
    if missing is None:
        return
    if os.environ.get("ITA_BROWSER_TESTS") == "required":
        pytest.fail(f"browser journeys required (ITA_BROWSER_TESTS=required) but {missing}", pytrace=False)
    pytest.skip(f"browser journeys skipped: {missing}", allow_module_level=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (rep_setup, rep_call, rep_teardown) for the fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class _Chromium:
    """Playwright and one Chromium, started on first use and stopped after the last journey.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, and Django
    refuses ORM calls from a thread with a running loop. The ORM calls made meanwhile (creating the test
    database, loading the demo, reading back what the browser saved) are ordinary blocking calls, safe in
    this thread: they are allowed (DJANGO_ALLOW_ASYNC_UNSAFE) only while the browser is up, and the browser
    is stopped as soon as the next test is not a journey, so the rest of the suite runs as without it.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._allow_async_unsafe = None

    def get(self):
        if self._browser is None:
            self._allow_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self._playwright = sync_playwright().start()
            expect.set_options(timeout=TIMEOUT_MS)
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        return self._browser

    def stop(self) -> None:
        if self._playwright is None:
            return
        try:
            if self._browser is not None:
                self._browser.close()
            self._playwright.stop()
        finally:
            self._browser = self._playwright = None
            if self._allow_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._allow_async_unsafe


_chromium = _Chromium()


@pytest.fixture(scope="session")
def browser():
    """The session's Chromium (one process for every journey; each test gets its own context)."""
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    yield _chromium
    _chromium.stop()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last journey (its fixtures already torn down), stop the browser and its event loop."""
    if nextitem is None or not Path(nextitem.path).is_relative_to(HERE):
        _chromium.stop()


def _artifact_name(nodeid_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid_name).strip("_") or "test"


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) and page on the live server; Thai locale and Bangkok time."""
    context = browser.get().new_context(
        base_url=live_server.url,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Static files or pages that failed to load, checked by the journeys (see assert_styled).
    page.bad_responses = []
    page.on(
        "response",
        lambda response: response.status >= 400 and page.bad_responses.append(f"{response.status} {response.url}"),
    )
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = _artifact_name(request.node.name)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # the page may be gone; the test's own failure is what matters
                print(f"could not save the browser artifacts of {name}: {exc}")
            else:
                print(f"browser artifacts: {ARTIFACTS / name}.png, {ARTIFACTS / name}.html (url {page.url})")
        context.close()
