"""The dashboard in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.test_api import build_db, live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    db = tmp_path_factory.mktemp("dash") / "dash.duckdb"
    results = build_db(db, pipeline)
    with live_server(db) as url:
        yield url, results


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (or `make browser`)")
    from playwright.sync_api import sync_playwright

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1500})
        outside: list[str] = []
        # the dashboard must work offline: any request off the server is an error
        pg.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
        problems: list[str] = []
        pg.on("pageerror", lambda e: problems.append(str(e)))
        pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        pg.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        pg.goto(url + "/")
        pg.wait_for_selector("body[data-ready]", timeout=20_000)
        pg.problems = problems
        pg.outside = outside
        yield pg
        browser.close()


def api(server, path: str, **params) -> dict:
    return httpx.get(server[0] + path, params=params, timeout=10).json()


def test_page_loads_without_errors_or_outside_requests(page):
    assert page.problems == []
    assert page.outside == []


def test_timeline_bars_add_up_to_the_events(page, server):
    total = api(server, "/timeseries", interval="day")["total"]
    counts = page.eval_on_selector_all("#timeline rect.bar", "els => els.map(e => +e.dataset.count)")
    assert sum(counts) == total == sum(len(r.events) for r in server[1])
    classes = set(page.eval_on_selector_all("#timeline rect.bar", "els => els.map(e => e.getAttribute('class'))"))
    assert {"bar q1", "bar q4"} <= classes
    assert page.text_content("#timeline-summary").startswith(f"{total} eventos")


def test_network_has_a_node_per_actor(page, server):
    dyads = api(server, "/dyads", level="country", limit=150)["dyads"]
    actors = {d["source"] for d in dyads} | {d["target"] for d in dyads}
    nodes = page.eval_on_selector_all("#network g.node", "els => els.map(e => e.dataset.id)")
    assert sorted(nodes) == sorted(actors) and len(nodes) >= 4
    edges = page.eval_on_selector_all("#network path.edge", "els => els.map(e => +e.dataset.count)")
    assert sum(edges) == sum(d["count"] for d in dyads if d["source"] != d["target"])
    # switching to full codes redraws with the code-level actors
    page.click("#level-toggle button[data-level=code]")
    codes = api(server, "/dyads", level="code", limit=150)["dyads"]
    expected = sorted({d["source"] for d in codes} | {d["target"] for d in codes})
    page.wait_for_function("n => document.querySelectorAll('#network g.node').length === n", arg=len(expected))
    assert sorted(page.eval_on_selector_all("#network g.node", "els => els.map(e => e.dataset.id)")) == expected
    page.click("#level-toggle button[data-level=country]")


def test_map_has_countries_and_event_dots(page, server):
    assert page.locator("#map path.country").count() > 150
    shaded = page.eval_on_selector_all("#map path.country.has-events", "els => els.map(e => e.dataset.id)")
    expected = {c["iso_numeric"] for c in api(server, "/map")["countries"] if c["iso_numeric"]}
    assert set(shaded) == expected and "170" in shaded  # Colombia
    dots = page.eval_on_selector_all("#map circle.dot", "els => els.map(e => +e.dataset.count)")
    assert dots and sum(dots) == sum(p["count"] for p in api(server, "/map")["points"])


def test_table_lists_events_and_filters(page, server):
    n = sum(len(r.events) for r in server[1])
    assert page.locator("#events tbody tr").count() == min(n, 50)
    assert page.text_content("#table-summary") == f"{min(n, 50)} de {n} eventos"
    before = int(page.evaluate("() => document.body.dataset.ready"))
    page.select_option("#filters [name=root]", "19")
    page.click("#filters button[type=submit]")
    expected = len(api(server, "/events", root="19", limit=1000)["events"])
    page.wait_for_function("n => document.querySelectorAll('#events tbody tr').length === n", arg=expected)
    page.wait_for_function("n => +document.body.dataset.ready > n", arg=before)
    bars = page.eval_on_selector_all("#timeline rect.bar", "els => els.map(e => +e.dataset.count)")
    assert sum(bars) == expected
    page.click("#filters button[type=reset]")
    page.wait_for_function("n => document.querySelectorAll('#events tbody tr').length === n", arg=min(n, 50))


def test_clicking_an_event_highlights_its_evidence(page, server):
    event = next(e for r in server[1] for e in r.events
                 if e.source and e.source.span and e.target and e.target.span and e.trigger_span)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.click(f"#events tbody tr[data-event-id='{event.event_id}']")
    page.wait_for_selector(f"#detail-body[data-event-id='{event.event_id}'] .evidence mark")
    marks = {kind: "".join(page.eval_on_selector_all(f"#detail-body .evidence mark.{kind}",
                                                     "els => els.map(e => e.textContent)"))
             for kind in ("trigger", "source", "target")}
    s = event.sentence
    assert marks["trigger"] == s[event.trigger_span[0]:event.trigger_span[1]]
    assert marks["source"] == s[event.source.span[0]:event.source.span[1]] == event.source.text
    assert marks["target"] == s[event.target.span[0]:event.target.span[1]]
    assert page.text_content("#detail-body .evidence") == s
    detail = page.text_content("#detail-body")
    assert event.rule in detail and event.cameo in detail and event.modality in detail
    page.screenshot(path=str(ARTIFACTS / "dashboard-event.png"), full_page=True)
    # the article view lists the article's events and quotes
    page.click("#detail-body a.article-link")
    page.wait_for_selector(f"#article-view[data-article-id='{event.article_id}'] .event")
    article = next(r for r in server[1] if r.article.id == event.article_id)
    assert page.locator("#article-view .event").count() == len(article.events)
    assert page.locator("#article-view blockquote.quote").count() == len(article.quotes)
    assert page.is_hidden("#dashboard")
    page.screenshot(path=str(ARTIFACTS / "dashboard-article.png"), full_page=True)
