"""Make docs/screenshot.png: the bundled seed graph's page, drawn by headless Chromium.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright, like the browser tests;
never downloads a browser. Run: ``.venv/bin/python docs/make_screenshot.py``
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from influencegraph.graph import open_source
from influencegraph.render import viz_page, write_page

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent / "screenshot.png"


def main() -> None:
    width, height = (int(x) for x in (sys.argv[1:3] or ("1280", "860")))
    with tempfile.TemporaryDirectory() as tmp:
        html = write_page(viz_page(open_source()), Path(tmp) / "seed.html")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(
                viewport={"width": width, "height": height}, device_scale_factor=1.5
            )
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            page.goto(html.resolve().as_uri())
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60000)
            page.mouse.move(5, 5)
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
