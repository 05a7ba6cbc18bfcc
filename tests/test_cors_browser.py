"""Cross-origin use of ``serve`` from a real browser: a page served on another loopback
port fetches /sparql. Allowed with --cors for that origin (preflighted POST included),
blocked by the browser without it."""

from __future__ import annotations

import http.server
import threading

import pytest

from influencegraph.server import Endpoint
from influencegraph.sparql import QueryRunner

PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>client</title></head>
<body><pre id="out">waiting</pre></body></html>"""

FETCH = """async ([url, how]) => {
  const query = "SELECT ?l WHERE { igd:the-challenge rdfs:label ?l }";
  const init = how === "post"
    ? {method: "POST", headers: {"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+json"}, body: query}
    : {headers: {"Accept": "application/sparql-results+json"}};
  const target = how === "post" ? url : url + "?query=" + encodeURIComponent(query);
  try {
    const response = await fetch(target, init);
    const data = await response.json();
    return data.results.bindings[0].l.value;
  } catch (error) {
    return "blocked: " + error.name;
  }
}"""


@pytest.fixture(scope="module")
def client_page():
    """A page on its own loopback origin, as YASGUI or a notebook would be."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("how", ["get", "post"])
def test_an_allowed_origin_reads_answers_and_others_are_blocked(
    browser, seed_source, client_page, how
):
    origin = client_page
    with (
        QueryRunner(seed_source) as runner,
        Endpoint(runner, port=0, cors_origins=(origin,)).start() as allowed,
        Endpoint(runner, port=0).start() as closed,
    ):
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(origin)
        url = allowed.query_url.replace("127.0.0.1", "localhost")
        assert page.evaluate(FETCH, [url, how]) == "The Challenge"
        refused = page.evaluate(FETCH, [closed.query_url.replace("127.0.0.1", "localhost"), how])
        assert refused.startswith("blocked")
        assert errors == []
        context.close()
