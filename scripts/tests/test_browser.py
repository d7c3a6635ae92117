"""The headless-browser helper (browser.py) sees what a reader would see, offline."""

from __future__ import annotations

from pathlib import Path

from browser import chromium, open_local_file, require_chromium

# a 1x1 PNG inline: a data: URL is not a network request
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
    "BAEAwS2OUAAAAABJRU5ErkJggg=="
)
PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>probe</title>
<link rel="stylesheet" href="https://cdn.example.invalid/style.css">
</head><body>
<h1>Steward report</h1>
<div style="width: 3000px">a wide table</div>
<img src="{PIXEL}">
<script>console.error("report broke"); console.log("not an error");</script>
</body></html>
"""
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_open_local_file_reports_errors_network_and_screenshots(tmp_path: Path) -> None:
    require_chromium()
    html = tmp_path / "probe.html"
    html.write_text(PAGE, encoding="utf-8")
    with open_local_file(html) as visit:
        assert visit.page.title() == "probe"
        assert "Steward report" in visit.text()
        # console.log is not an error; the refused stylesheet is logged as one too
        assert "report broke" in visit.console_errors
        assert "not an error" not in visit.console_errors
        # the stylesheet is refused and recorded; the inline image is not network
        assert visit.network_requests == ["https://cdn.example.invalid/style.css"]
        png = visit.screenshot(tmp_path / "shot.png")
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC)
    # full page: the 3000 px wide block makes the image wider than the 1280 px viewport
    width = int.from_bytes(data[16:20], "big")
    assert width > 1280


def test_one_browser_serves_several_pages(tmp_path: Path) -> None:
    require_chromium()
    clean = tmp_path / "clean.html"
    clean.write_text("<!doctype html><title>clean</title><p>fine</p>", encoding="utf-8")
    with chromium() as context:
        for _ in range(2):
            with open_local_file(clean, context=context) as visit:
                assert visit.text() == "fine"
                assert visit.console_errors == []
                assert visit.page_errors == []
                assert visit.network_requests == []
