"""Headless Chromium for tests: open a local HTML file, see what a reader would see.

Playwright drives the browser Debian ships (`/usr/bin/chromium`, installed by
`make browser`), never a browser build of its own: nothing is downloaded at test time.
Every page is opened offline: a request that is not for a local file is recorded and
refused, so a report that would call the network shows up in `network_requests`.

API (kept stable, other test modules import it):

- `require_chromium()` -> the browser's path; skips the test when the browser is missing
  on a developer's machine, fails it under CI (`CI` set), where `make browser` installs it.
- `chromium()` -> context manager yielding a Playwright `BrowserContext` (headless, fresh
  user-data-dir, no sandbox, no GPU, no background traffic).
- `open_local_file(path)` -> context manager yielding a `PageVisit`: the loaded page, the
  console errors, uncaught page errors, the non-file network requests, and
  `screenshot(png_path)` for a full-page PNG.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # playwright is imported lazily: a missing browser must not break collection
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# quiet, reproducible, offline: no sandbox (CI runs as root), no GPU, no background calls home
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# schemes that never leave the machine (the page itself, inline images, blobs it made)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> Path | None:
    """The browser to drive, or None when it is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def require_chromium() -> Path:
    """The browser's path; skip (developer machine) or fail (CI) when it is missing."""
    path = chromium_path()
    reason = None
    if path is None:
        reason = f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed: run `make venv`"
    if reason is None:
        assert path is not None
        return path
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile, closed (and its profile removed) on exit."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with (
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(executable),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport=VIEWPORT,
            offline=True,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class PageVisit:
    """One local file opened in the browser, with what went wrong while it loaded."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        """Write a PNG of the page (the whole page by default) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def text(self) -> str:
        """The text a reader sees (the body's rendered text)."""
        return self.page.inner_text("body")


@contextmanager
def open_local_file(path: Path, *, context: BrowserContext | None = None) -> Iterator[PageVisit]:
    """Open `path` (a local HTML file) and wait until it has loaded.

    Pass `context` to reuse one browser for several pages; otherwise one is started and
    closed around this page.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    if context is None:
        with chromium() as own, open_local_file(path, context=own) as visit:
            yield visit
        return
    page = context.new_page()
    visit = PageVisit(page=page)
    page.on(
        "console",
        lambda message: (
            visit.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))

    def _route(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            visit.network_requests.append(request.url)
            route.abort()

    page.route("**/*", _route)
    try:
        page.goto(path.as_uri(), wait_until="load")
        yield visit
    finally:
        page.close()
