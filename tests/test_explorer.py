"""The evidence explorer: addresses, page data, routes, the server hook and ``publish``."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.errors import InfluenceGraphError
from influencegraph.explorer import pages
from influencegraph.explorer.addresses import Links, iri_of, slug
from influencegraph.explorer.publish import MARKER, publish_site
from influencegraph.explorer.routes import handle
from influencegraph.graph import open_source
from influencegraph.vocab import IGD

CHALLENGE = IGD + "the-challenge"
ICS = IGD + "integrated-communities-strategy"


@pytest.fixture(scope="module")
def ox():
    """The bundled graph read by Oxigraph, as ``serve`` gives the explorer."""
    return open_source()


def get(source, path, **params):
    return handle(source, "GET", path, {k: [v] for k, v in params.items()})


def text(response) -> str:
    return response.body.decode("utf-8")


# ---------------------------------------------------------------- addresses


@given(st.text(min_size=1, max_size=60))
def test_every_iri_has_an_address_that_reads_back(local):
    for iri in (IGD + local, "https://example.org/" + local, local):
        assert iri_of(slug(iri)) == iri
        assert "/" not in slug(iri) and "?" not in slug(iri)


def test_own_entities_are_addressed_by_their_local_name():
    assert slug(CHALLENGE) == "the-challenge"
    assert slug(IGD + "a/b").startswith("~")
    assert slug(IGD + "x.html").startswith("~")  # never confused with a page file


NOT_CANONICAL = "~aHR0cHM6Ly93M2lkLm9yZy9pbmZsdWVuY2VncmFwaC9pZC90aGUtY2hhbGxlbmdl"
"""The challenge's IRI in base64: it has a shorter address, so this one is refused."""


@pytest.mark.parametrize("bad", ["~%%%", NOT_CANONICAL, "../etc", "", "~", "~/w=="])
def test_a_bad_address_is_an_error(bad):
    with pytest.raises(InfluenceGraphError):
        iri_of(bad)


def test_links_are_relative_and_static_sites_add_html():
    server, static = Links().at(1), Links(static=True).at(2)
    assert server.entity(CHALLENGE) == "../entity/the-challenge"
    assert static.entity(CHALLENGE) == "../../entity/the-challenge.html"
    assert (
        static.path(CHALLENGE, ICS, "strongest")
        == "../../path/strongest/the-challenge/integrated-communities-strategy.html"
    )
    assert server.path(CHALLENGE, ICS, "shortest").startswith("../path?from=https%3A")
    partial = Links(static=True, entities=frozenset([ICS]))
    assert partial.entity(CHALLENGE) is None and partial.entity(ICS)


# ---------------------------------------------------------------- pages and routes


def test_entity_page_has_claims_both_ways_with_status_and_evidence_type(ox):
    page = pages.entity_page(ox, IGD + "all-together-now")
    [out] = [c for c in page.values["claims_out"] if c["kind"] == "endorses"]
    assert out["other"] == ICS and out["status"] == "self-reported"
    assert out["evidence_type"] == "endorses" and out["claimant"] == "The Challenge"
    assert out["evidence"].startswith("The Government")
    assert any(r["kind"] == "publishes" for r in page.values["relations"])
    assert page.values["view"].node_items()


def test_entity_route_shows_quote_source_claimant_and_a_claim_link(ox):
    response = get(ox, "/entity/all-together-now")
    body = text(response)
    assert response.status == 200
    assert "Content-Security-Policy" in response.headers
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert 'http-equiv="Content-Security-Policy"' in body
    assert "self-reported" in body and "Policy Impact (The Challenge)" in body
    assert 'href="../claim/claim-ics-endorses-atn"' in body
    assert 'src="../assets/vis-network.min.js"' in body
    assert not re.search(r'(src|href)="(https?:)?//', body)  # nothing from another host


def test_claim_page_states_status_why_and_evidence_type(ox):
    response = get(ox, "/claim/claim-ics-endorses-atn")
    body = text(response)
    assert response.status == 200
    assert "self-reported" in body and "Why:" in body and "The Challenge" in body
    assert "claim-ics-endorses-atn" in body  # the citable IRI is on the page


def test_search_finds_by_typo_and_suggests_when_nothing_matches(ox):
    assert "The Challenge" in text(get(ox, "/search", q="challnge"))
    body = text(get(ox, "/search", q="Integratd Comunitiez"))
    assert "Integrated Communities Strategy" in body
    none = text(get(ox, "/search", q="zzqqxx"))
    assert "No entity matches" in none


def test_suggest_answers_json(ox):
    response = get(ox, "/suggest", q="challenge")
    assert response.headers["Content-Type"] == "application/json"
    found = json.loads(response.body)
    assert found[0] == {"label": "The Challenge", "type": "Organisation", "iri": CHALLENGE}


def test_path_page_shows_each_hop_and_highlights_the_path(ox):
    page = pages.path_page(ox, "The Challenge", "ICS", "strongest")
    result = page.values["result"]
    assert result.paths and page.values["view"].caption.startswith("influence path:")
    body = text(get(ox, "/path", **{"from": CHALLENGE, "to": "ICS", "mode": "shortest"}))
    assert "Integrated Communities Strategy" in body and "<blockquote>" in body


def test_no_path_gives_the_cli_hints(ox):
    body = text(get(ox, "/path", **{"from": "ICS", "to": "All Together Now"}))
    assert "no influence path from" in body
    assert "influence runs the other way" in body


def test_unknown_names_on_the_path_form_say_so(ox):
    response = get(ox, "/path", **{"from": "Nonesuch Zzq", "to": "ICS"})
    assert response.status == 404 and "no entity is called" in text(response)


def test_rankings_by_type_and_measure(ox):
    body = text(get(ox, "/rank/reach/organisation"))
    assert "Organisations by reach" in body and "The Challenge" in body
    assert get(ox, "/rank/nope/all").status == 404
    assert get(ox, "/rank/pagerank/nope").status == 404
    page = pages.rank_page(ox, "in-degree", "Report")
    assert {e.type for e in page.values["ranking"].entries} <= {"Report", "Survey"}
    assert [e.rank for e in page.values["ranking"].entries][:2] == [1, 2]


def test_dossier_route(ox):
    body = text(get(ox, "/dossier/the-challenge"))
    assert "Impact dossier: The Challenge" in body and "What to corroborate next" in body
    assert get(ox, "/dossier/integrated-communities-strategy").status == 400  # a work


@pytest.mark.parametrize(
    "path", ["/entity/nope", "/claim/the-challenge", "/nowhere", "/entity/~%%", "/assets/nope.js"]
)
def test_unknown_addresses_are_404(ox, path):
    assert get(ox, path).status == 404


def test_only_get_and_head(ox):
    assert handle(ox, "POST", "/", {}).status == 405
    assert handle(ox, "HEAD", "/", {}).status == 200


def test_hostile_labels_are_escaped(tiny_source):
    from influencegraph.names import name_index

    source = tiny_source("""
        :a a ig:Report ; rdfs:label "<img src=x onerror=alert(1)>" .
        :b a ig:Strategy ; rdfs:label "</script><script>alert(2)</script>" .
        :b prov:qualifiedInfluence :c .
        :c a prov:Influence ; prov:influencer :a ; ig:kind ig:endorses ;
           ig:evidence "<b>quote</b> & more" .
    """)
    name_index(source)
    body = text(get(source, "/entity/" + slug("https://example.org/a")))
    assert "<img src=x" not in body and "&lt;img src=x" in body
    assert "</script><script>alert(2)" not in body
    assert "&lt;b&gt;quote&lt;/b&gt; &amp; more" in body


# ---------------------------------------------------------------- the server hook


def test_serve_offers_the_explorer_at_root_and_sparql_at_sparql(seed_source, ox):
    from influencegraph.explorer.routes import explorer_for
    from influencegraph.server import Endpoint
    from influencegraph.sparql import QueryRunner

    with Endpoint(QueryRunner(seed_source), port=0, explorer=explorer_for(ox)).start() as server:
        with urllib.request.urlopen(server.url + "entity/the-challenge") as answer:
            assert answer.status == 200
            assert "frame-ancestors" in answer.headers["Content-Security-Policy"]
            assert b"The Challenge" in answer.read()
        form = urllib.request.Request(server.url + "sparql", headers={"Accept": "text/html"})
        with urllib.request.urlopen(form) as answer:  # the query form, for a browser
            assert b"<textarea" in answer.read()
        ask = server.query_url + "?query=ASK%7B%7D&format=json"
        assert json.load(urllib.request.urlopen(ask)) == {"head": {}, "boolean": True}
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "entity/nope")
        assert missing.value.code == 404


# ---------------------------------------------------------------- publish


@pytest.fixture(scope="module")
def site(ox, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pub") / "site"
    return folder, publish_site(ox, folder)


def test_publish_writes_every_page_with_relative_links_only(site):
    folder, done = site
    assert done.entities >= 49 and done.claims > 10 and done.dossiers > 10 and done.paths > 0
    assert (folder / MARKER).is_file() and (folder / "index.html").is_file()
    pages_written = list(folder.rglob("*.html"))
    assert len(pages_written) + len(list((folder / "assets").iterdir())) == done.files
    for page in pages_written:
        body = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in body
        for link in re.findall(r'(?:href|src|action)="([^"]*)"', body):
            assert not link.startswith(("/", "http:", "https:")), (page, link)
            target = page.parent / link.split("?")[0].split("#")[0]
            assert not link or link.startswith("#") or target.exists(), (page, link)


def test_published_search_and_path_pages_embed_the_index(site):
    folder, _ = site
    body = (folder / "path.html").read_text(encoding="utf-8")
    index = json.loads(re.search(r'id="ig-index">(.*?)</script>', body).group(1))
    assert index["entities"][[r[0] for r in index["entities"]].index("The Challenge")][:3] == [
        "The Challenge",
        "Organisation",
        "entity/the-challenge.html",
    ]
    key = "shortest entity/the-challenge.html entity/integrated-communities-strategy.html"
    assert (folder / index["paths"][key]).is_file()


def test_publish_around_an_entity_links_only_pages_it_wrote(ox, tmp_path):
    done = publish_site(ox, tmp_path / "part", around="All Together Now", depth=1)
    assert 2 < done.entities < 20
    body = (tmp_path / "part" / "entity" / "all-together-now.html").read_text()
    for link in re.findall(r'href="(\.\./entity/[^"]+)"', body):
        assert (tmp_path / "part" / link[3:]).is_file()


def test_publish_refuses_a_folder_it_did_not_write(ox, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(InfluenceGraphError, match="--force"):
        publish_site(ox, mine, around="ICS", depth=0)
    assert (mine / "thesis.tex").read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # nothing left behind
    publish_site(ox, mine, around="ICS", depth=0, force=True)
    assert not (mine / "thesis.tex").exists() and (mine / MARKER).exists()
    publish_site(ox, mine, around="ICS", depth=0)  # its own site: replaced without --force
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_publish_command(invoke, tmp_path):
    result = invoke("publish", "-o", str(tmp_path / "s"), "--around", "ICS", "--depth", "1")
    assert result.exit_code == 0, result.output
    assert re.match(r"wrote .*/s/: \d+ entities, \d+ claims", result.output)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x")
    refused = invoke("publish", "-o", str(tmp_path / "other"))
    assert refused.exit_code == 2 and "not written by publish" in refused.output
    bad = invoke("publish", "-o", str(tmp_path / "t"), "--depth", "2")
    assert bad.exit_code == 2 and "--depth needs --around" in bad.output
    unknown = invoke("publish", "-o", str(tmp_path / "t"), "--around", "Nonesuch Zzq")
    assert unknown.exit_code == 2 and not (tmp_path / "t").exists()


def test_the_same_pages_from_a_store_and_an_endpoint(ox, seed_store, oxigraph_endpoint):
    files = pages.entity_page(ox, CHALLENGE).values
    for source in (open_source(store=seed_store), open_source(endpoint=oxigraph_endpoint)):
        values = pages.entity_page(source, CHALLENGE).values
        assert [c["claim"] for c in values["claims_out"]] == [
            c["claim"] for c in files["claims_out"]
        ]
        assert [c["status"] for c in values["claims_out"]] == [
            c["status"] for c in files["claims_out"]
        ]
        assert get(source, "/claim/claim-ics-endorses-atn").status == 200
        assert "The Challenge" in text(get(source, "/search", q="challnge"))
