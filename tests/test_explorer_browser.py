"""The evidence explorer in a real browser (Debian's Chromium driven by Playwright).

A person's route through the served explorer, search -> entity -> path -> dossier ->
claim, then the same through a published site opened from ``file://``: on every page no
console error, no request that leaves the server (or the site's folder), and no serious
or critical axe-core accessibility violation. axe-core comes from npm into ``.cache/axe``
(never committed); without npm the accessibility checks skip and say why.

``INFLUENCEGRAPH_SCREENSHOTS=1`` also writes the documentation's screenshots
(``docs/explorer-*.png``) from the same route.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from influencegraph.explorer.publish import publish_site
from influencegraph.explorer.routes import explorer_for
from influencegraph.graph import open_source
from influencegraph.server import Endpoint
from influencegraph.sparql import QueryRunner

ROOT = Path(__file__).resolve().parent.parent
AXE_DIR = ROOT / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs"
SCREENSHOTS = os.environ.get("INFLUENCEGRAPH_SCREENSHOTS") == "1"


@pytest.fixture(scope="module")
def axe() -> str | None:
    """axe-core's script, installed from npm into .cache/axe on first use (None: no npm)."""
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            return None
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                "axe-core@4",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not AXE_JS.is_file():
            return None
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def explorer():
    """``serve``'s explorer over the bundled graph, on a free loopback port."""
    source = open_source()
    with Endpoint(
        QueryRunner(open_source()), port=0, explorer=explorer_for(source)
    ).start() as server:
        yield server


class Visit:
    """One browser tab that records console messages and every request it makes."""

    def __init__(self, browser: Any, allowed: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.allowed = allowed
        self.console: list[tuple[str, str]] = []
        self.requests: list[str] = []
        if not allowed.startswith("file:"):  # Chromium cannot intercept file:// loads
            self.context.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(allowed) else r.abort()
            )
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))

    def ready(self) -> None:
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20000)

    def check(self, axe: str | None, shot: str | None = None) -> None:
        """No console error, no request elsewhere, no serious axe violation on this page."""
        self.ready()
        errors = [m for m in self.console if m[0] in ("error", "pageerror")]
        assert errors == [], self.page.url
        assert [u for u in self.requests if not u.startswith(self.allowed)] == []
        if axe is not None:
            self.page.evaluate(axe)  # through DevTools: the page's CSP still forbids it
            found = self.page.evaluate("""async () => (await axe.run(document, {
                runOnly: ['wcag2a', 'wcag2aa', 'best-practice'], preload: false})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
            assert found == [], (self.page.url, found)
        if shot and SCREENSHOTS:
            self.page.screenshot(path=str(DOCS / f"explorer-{shot}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


def test_a_persons_route_through_the_served_explorer(browser, explorer, axe):
    visit = Visit(browser, explorer.url)
    page = visit.page
    try:
        page.goto(explorer.url)
        visit.check(axe)
        page.fill("#home-q", "challnge")  # a typo
        page.keyboard.press("Enter")
        page.wait_for_url("**/search?q=challnge")
        visit.check(axe, "search")
        page.get_by_role("link", name="The Challenge", exact=True).click()
        page.wait_for_url("**/entity/the-challenge")
        visit.check(axe, "entity")
        assert page.locator("table caption", has_text="The Challenge influenced").count() == 1
        assert page.locator(".status-self-reported").count() > 0
        drawn = page.evaluate("influencegraph.network.body.nodeIndices.length")
        assert drawn > 5

        page.get_by_role("link", name="Trace a path from here").click()
        assert page.input_value("#path-from") == "The Challenge"
        page.fill("#path-to", "")
        page.type("#path-to", "Integrated Comm", delay=20)  # suggestions come from /suggest
        page.wait_for_function(
            "() => document.querySelectorAll('#path-to-list option').length > 0", timeout=5000
        )
        assert any("/suggest?q=" in u for u in visit.requests)
        page.fill("#path-to", "Integrated Communities Strategy Green Paper")
        page.check("input[value=strongest]")
        page.get_by_role("button", name="Find path").click()
        page.wait_for_url("**/path?**")
        visit.check(axe, "path")
        assert page.locator("ol.hops > li").count() >= 1
        assert page.locator(".caption").inner_text().startswith("influence path: The Challenge")

        page.goto(explorer.url + "entity/the-challenge")
        page.get_by_role("link", name="Impact dossier").click()
        page.wait_for_url("**/dossier/the-challenge")
        visit.check(axe, "dossier")
        page.locator("article.claim-entry h3 a").first.click()
        page.wait_for_url("**/claim/**")
        visit.check(axe, "claim")
        assert "Corroboration status" in page.inner_text("main")
        page.emulate_media(media="print")
        assert page.locator("header.site").is_hidden()  # prints without the navigation
    finally:
        visit.close()


def test_no_path_shows_the_hints_and_keyboard_reaches_the_content(browser, explorer, axe):
    visit = Visit(browser, explorer.url)
    page = visit.page
    try:
        page.goto(explorer.url + "path?from=ICS&to=All+Together+Now")
        visit.check(axe)
        assert "influence runs the other way" in page.inner_text("main")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
    finally:
        visit.close()


def test_the_published_site_works_from_files(browser, tmp_path, axe):
    folder = tmp_path / "site"
    publish_site(open_source(), folder)
    visit = Visit(browser, folder.resolve().as_uri() + "/")
    page = visit.page
    try:
        page.goto((folder / "index.html").resolve().as_uri())
        visit.check(axe)
        page.fill("#home-q", "challnge")
        page.keyboard.press("Enter")
        page.wait_for_selector("ol.hits li")
        visit.check(axe)
        page.get_by_role("link", name="The Challenge", exact=True).click()
        page.wait_for_url("**/entity/the-challenge.html")
        visit.check(axe)
        page.get_by_role("link", name="Trace a path from here").click()
        page.fill("#path-from", "The Challenge")
        page.fill("#path-to", "ICS")
        page.get_by_role("button", name="Find path").click()
        page.wait_for_url("**/path/shortest/the-challenge/integrated-communities-strategy.html")
        visit.check(axe)
        page.locator("ol.hops a").first.click()
        page.wait_for_url("**/entity/*.html")
        visit.check(axe)
    finally:
        visit.close()


def test_axe_core_is_available(axe):
    """Says loudly when the accessibility checks above could not run."""
    if axe is None:
        pytest.skip("axe-core could not be installed from npm: accessibility checks skipped")
    assert "axe" in axe[:2000]
