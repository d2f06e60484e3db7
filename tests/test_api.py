"""The HTTP API over a database of really coded Spanish articles."""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from hechos.api.client import RemoteStore, discovery_path, find_server
from hechos.api.server import create_app
from hechos.records import ActorRef, Article, Place, Quote
from hechos.store import EventStore, open_database

ARTICLES = [
    ("a1", "2024-03-04", "EFE", "Cumbre en Bogotá",
     "El presidente de Colombia se reunió el lunes en Bogotá con su homólogo venezolano para discutir la "
     "seguridad en la frontera común. El gobierno de Colombia firmó un acuerdo de cooperación con Venezuela "
     "para combatir el contrabando."),
    ("a2", "2024-03-12", "AFP", "Ataque en Arauca",
     "Guerrilleros del ELN atacaron una base militar en Arauca. El ejército colombiano respondió con "
     "bombardeos contra sus campamentos. La Unión Europea condenó el ataque."),
    ("a3", "2024-04-02", "EFE", "Protestas en Caracas",
     "Miles de estudiantes marcharon en Caracas para exigir más presupuesto. La policía venezolana detuvo a "
     "doce manifestantes."),
    ("a4", "2024-04-20", "Reuters", "Tensión en Europa",
     "Rusia amenazó con sanciones a Ucrania. El gobierno de México expresó su preocupación por la escalada. "
     "El canciller de España visitó Kiev y prometió ayuda humanitaria a Ucrania."),
    ("a5", "2024-05-15", "AFP", "Diálogo en La Habana",
     "El gobierno de Colombia y el ELN reanudaron las negociaciones de paz en La Habana. Estados Unidos "
     "elogió el acuerdo entre las partes. El presidente de Argentina criticó al gobierno de Venezuela."),
]

# Where each article happened, for events the geocoder leaves without a place (the map
# needs coordinates whatever stage of the pipeline is wired in).
PLACES = {
    "a1": Place("Bogotá", "COL", "Bogotá D.C.", 4.61, -74.08, "city", "Bogotá", "test"),
    "a2": Place("Arauca", "COL", "Arauca", 7.08, -70.76, "city", "Arauca", "test"),
    "a3": Place("Caracas", "VEN", "Capital", 10.49, -66.88, "city", "Caracas", "test"),
    "a4": Place("Kyiv", "UKR", "Kyiv City", 50.45, 30.52, "city", "Kiev", "test"),
}


def coded_results(pipeline) -> list:
    out = []
    for article_id, day, source, title, text in ARTICLES:
        result = pipeline.code(Article(id=article_id, text=text, date=day, source=source, title=title,
                                       url=f"https://example.org/{article_id}"))
        place = PLACES.get(article_id)
        for event in result.events:
            if event.location is None and place is not None:
                event.location = place
        if not result.quotes and result.events:
            # one quote linked to the first event, so the evidence view has one to show
            first = result.events[0]
            speaker = first.source or ActorRef("portavoz", None, None, None)
            result.quotes.append(Quote(article_id, first.sentence_index, "Seguiremos adelante", speaker,
                                       "declaró", "direct", first.event_id, f"{article_id}-q0"))
        out.append(result)
    return out


def build_db(path: Path, pipeline) -> list:
    results = coded_results(pipeline)
    with EventStore(path) as store:
        for r in results:
            store.add(r)
    return results


@pytest.fixture(scope="module")
def results(pipeline):
    return coded_results(pipeline)


@pytest.fixture(scope="module")
def client(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    build_db(path, pipeline)
    con = open_database(path)
    app = create_app(con, str(path))
    # the app's pipeline for /extract: the session's, already loaded
    app.state.hechos._pipelines["es"] = pipeline
    with TestClient(app) as c:
        yield c
    con.close()


def all_events(client, **params) -> list[dict]:
    out, cursor = [], None
    while True:
        reply = client.get("/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert reply.status_code == 200, reply.text
        page = reply.json()
        out.extend(page["events"])
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def test_fixture_has_events(results):
    assert sum(len(r.events) for r in results) >= 10


def test_events_total_and_default_order(client, results):
    page = client.get("/events", params={"total": "true", "limit": 1000}).json()
    n = sum(len(r.events) for r in results)
    assert page["total"] == n == len(page["events"])
    days = [e["event_day"] for e in page["events"]]
    assert days == sorted(days, reverse=True)
    assert page["next_cursor"] is None


@pytest.mark.parametrize("sort", ["event_day", "-event_day", "goldstein", "-goldstein", "confidence",
                                  "-quad_class", "cameo", "event_id", "-event_id"])
def test_pagination_walks_every_event_once(client, results, sort):
    every = {e.event_id for r in results for e in r.events}
    walked = all_events(client, sort=sort, limit=3)
    ids = [e["event_id"] for e in walked]
    assert len(ids) == len(set(ids)) == len(every)
    assert set(ids) == every
    key = sort.lstrip("-")
    values = [e[key] for e in walked]
    assert values == sorted(values, reverse=sort.startswith("-"))
    # ties are broken by event_id, ascending
    for a, b in zip(walked, walked[1:], strict=False):
        if a[key] == b[key] and key != "event_id":
            assert a["event_id"] < b["event_id"]


def test_filters(client, results):
    events = [e for r in results for e in r.events]
    by_root = all_events(client, root="19")
    assert {e["event_id"] for e in by_root} == {e.event_id for e in events if e.cameo_root == "19"}
    assert by_root
    col = all_events(client, actor="col")  # case-insensitive, code prefix or country
    expected = {e.event_id for e in events
                if any(a and ((a.code or "").startswith("COL") or a.country == "COL") for a in (e.source, e.target))}
    assert {e["event_id"] for e in col} == expected and expected
    ukr_target = all_events(client, target="UKR")
    assert {e["event_id"] for e in ukr_target} == {e.event_id for e in events if e.target and e.target.code == "UKR"}
    march = all_events(client, start="2024-03-01", end="2024-03-31")
    assert {e["article_id"] for e in march} == {"a1", "a2"}
    text = all_events(client, q="CARACAS")
    assert text and all("Caracas" in e["sentence"] for e in text)
    quad = all_events(client, quad_class="1,2")
    assert {e["quad_class"] for e in quad} <= {1, 2} and len(quad) == sum(e.quad_class in (1, 2) for e in events)
    assert all_events(client, cameo="04") == all_events(client, root="04")
    assert len(all_events(client, article_id="a4")) == len(results[3].events)
    ukr = {e.event_id for e in events if e.location and e.location.country == "UKR"}
    assert {e["event_id"] for e in all_events(client, country="ukr")} == ukr and ukr
    assert all_events(client, q="100%_no_such") == []


def test_event_detail_has_evidence_offsets(client, results):
    event = next(e for r in results for e in r.events if e.source and e.target and e.source.span)
    reply = client.get(f"/events/{event.event_id}")
    assert reply.status_code == 200
    body = reply.json()
    s = body["sentence"]
    t0, t1 = body["trigger_span"]
    assert s[t0:t1] == event.sentence[event.trigger_span[0]:event.trigger_span[1]]
    a, b = body["source"]["span"]
    assert s[a:b] == event.source.text
    assert body["rule"] == event.rule and body["confidence"] == event.confidence
    assert body["article"]["title"] and body["event_day"]


def test_event_quotes_are_linked(client, results):
    quote = next(q for r in results for q in r.quotes if q.event_id)
    body = client.get(f"/events/{quote.event_id}").json()
    assert [q["quote"] for q in body["quotes"]] == [quote.quote]


def test_article_detail(client, results):
    body = client.get("/articles/a2").json()
    assert body["title"] == "Ataque en Arauca" and body["source"] == "AFP"
    assert sorted(e["event_id"] for e in body["events"]) == sorted(e.event_id for e in results[1].events)
    assert len(body["quotes"]) == len(results[1].quotes)


@pytest.mark.parametrize("path", ["/events/nope", "/articles/nope", "/no/such/route"])
def test_404_is_json(client, path):
    reply = client.get(path)
    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json()["error"]


@pytest.mark.parametrize("params", [
    {"start": "2024-13-45"}, {"end": "ayer"}, {"limit": "-1"}, {"limit": "0"}, {"limit": "1001"},
    {"limit": "diez"}, {"cursor": "garbage!!"}, {"cursor": "W1tdXQ"}, {"sort": "nombre"},
    {"root": "99"}, {"root": "x"}, {"quad_class": "5"}, {"modality": "maybe"}, {"cameo": "ab"},
    {"start": "2024-05-01", "end": "2024-01-01"}, {"total": "quizás"},
])
def test_bad_parameters_are_422_json(client, params):
    reply = client.get("/events", params=params)
    assert reply.status_code == 422, reply.text
    assert isinstance(reply.json()["error"], str) and reply.json()["error"]


def test_cursor_of_another_sort_is_rejected(client):
    cursor = client.get("/events", params={"limit": 1, "sort": "goldstein"}).json()["next_cursor"]
    assert cursor
    reply = client.get("/events", params={"limit": 1, "sort": "-event_day", "cursor": cursor})
    assert reply.status_code == 422 and "sort" in reply.json()["error"]


@pytest.mark.parametrize("path,params", [
    ("/dyads", {"level": "planet"}), ("/dyads", {"min_count": "0"}), ("/timeseries", {"interval": "year"}),
    ("/timeseries", {"start": "no"}), ("/map", {"limit": "-3"}),
])
def test_bad_aggregate_parameters(client, path, params):
    reply = client.get(path, params=params)
    assert reply.status_code == 422 and reply.json()["error"]


def test_dyads(client, results):
    events = [e for r in results for e in r.events]
    body = client.get("/dyads", params={"level": "country"}).json()
    pairs = {}
    for e in events:
        if e.source and e.target and e.source.country and e.target.country:
            pairs.setdefault((e.source.country, e.target.country), []).append(e.goldstein)
    got = {(d["source"], d["target"]): d for d in body["dyads"]}
    assert set(got) == set(pairs) and pairs
    for key, values in pairs.items():
        assert got[key]["count"] == len(values)
        assert got[key]["mean_goldstein"] == pytest.approx(sum(values) / len(values), abs=1e-3)
    counts = [d["count"] for d in body["dyads"]]
    assert counts == sorted(counts, reverse=True)
    many = client.get("/dyads", params={"min_count": 2}).json()["dyads"]
    assert [(d["source"], d["target"]) for d in many] == [k for k, v in got.items() if v["count"] >= 2]
    codes = client.get("/dyads", params={"level": "code", "root": "04"}).json()["dyads"]
    assert all(d["source"] and d["target"] for d in codes)


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timeseries_sums_to_event_counts(client, interval):
    for params in ({}, {"actor": "COL"}, {"root": "19"}, {"start": "2024-04-01"}):
        body = client.get("/timeseries", params={**params, "interval": interval}).json()
        n = len(all_events(client, **params))
        assert body["total"] == n
        assert sum(b["total"] for b in body["buckets"]) + body["undated"] == n
        for b in body["buckets"]:
            assert sum(b["counts"].values()) == b["total"]
    months = client.get("/timeseries", params={"interval": "month"}).json()["buckets"]
    assert [b["period"] for b in months] == ["2024-03-01", "2024-04-01", "2024-05-01"]


def test_map(client, results):
    body = client.get("/map").json()
    located = [e for r in results for e in r.events if e.location and e.location.lat is not None]
    assert sum(p["count"] for p in body["points"]) == len(located)
    codes = {c["country"]: c for c in body["countries"]}
    assert codes["COL"]["iso_numeric"] == "170" and codes["UKR"]["iso_numeric"] == "804"


def test_extract_codes_a_spanish_sentence(client):
    reply = client.post("/extract", json={"text": "El ejército de Rusia bombardeó la ciudad ucraniana de Járkov.",
                                          "date": "2024-02-10"})
    assert reply.status_code == 200, reply.text
    events = reply.json()["events"]
    assert events and events[0]["cameo_root"] in {"18", "19", "20"}
    assert events[0]["source"]["code"].startswith("RUS")
    # nothing was stored
    assert client.get("/events", params={"q": "Járkov"}).json()["events"] == []


def test_extract_limits_and_errors(client):
    big = client.post("/extract", json={"text": "a" * 100_001})
    assert big.status_code == 413 and "limit" in big.json()["error"]
    assert client.post("/extract", json={"txt": "Hola"}).status_code == 422
    assert client.post("/extract", json={"text": "Hola", "date": "mañana"}).status_code == 422
    assert client.post("/extract", json={"text": "Hola", "lang": "xx"}).status_code == 422
    reply = client.post("/extract", content=b"{not json", headers={"content-type": "application/json"})
    assert reply.status_code == 422 and reply.json()["error"]


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/dyads", "/timeseries", "/extract", "/ingest"} <= set(spec["paths"])


# -- ingest through a real server ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(path: Path, pipeline=None):
    """A real uvicorn server on a free port, in a thread, holding the database."""
    import uvicorn

    port = free_port()
    con = open_database(path)
    app = create_app(con, str(path), discovery={"host": "127.0.0.1", "port": port})
    if pipeline is not None:
        app.state.hechos._pipelines["es"] = pipeline
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        con.close()


def test_remote_store_ingests_while_readers_query(tmp_path, results):
    db = tmp_path / "live.duckdb"
    with live_server(db) as url:
        assert find_server(db) == url
        # the server holds the file: no other connection may open it
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(db), read_only=True)
        seen: list[list[int]] = [[], [], []]
        errors: list[str] = []
        stop = threading.Event()

        def reader(mine: list[int]):
            with httpx.Client(base_url=url, timeout=10) as http:
                while not stop.is_set():
                    reply = http.get("/events", params={"total": "true", "limit": 5})
                    if reply.status_code != 200:
                        errors.append(reply.text)
                    else:
                        mine.append(reply.json()["total"])

        readers = [threading.Thread(target=reader, args=(mine,)) for mine in seen]
        for t in readers:
            t.start()
        copies = []
        for round_ in range(6):  # 30 articles in 6 batches, distinct ids and texts
            for r in results:
                suffix = f" (r{round_})"
                art = replace(r.article, id=f"{r.article.id}-{round_}", text=r.article.text + suffix)
                events = [replace(e, article_id=art.id, event_id=f"{e.event_id}-{round_}") for e in r.events]
                quotes = [replace(q, article_id=art.id, quote_id=f"{q.quote_id}-{round_}",
                                  event_id=f"{q.event_id}-{round_}" if q.event_id else None) for q in r.quotes]
                copies.append(replace(r, article=art, events=events, quotes=quotes))
        store = RemoteStore(url, batch_articles=len(results))
        for c in copies:
            store.add(c)
        store.close()
        stop.set()
        for t in readers:
            t.join()
        n_events = sum(len(c.events) for c in copies)
        assert not errors
        assert store.articles_written == len(copies) and store.events_written == n_events
        # readers only ever see whole batches: totals are multiples of a batch's events
        per_batch = sum(len(r.events) for r in results)
        for mine in seen:
            assert mine and all(s % per_batch == 0 for s in mine) and mine == sorted(mine)
        final = httpx.get(f"{url}/events", params={"total": "true", "limit": 1}).json()["total"]
        assert final == n_events
        # the same articles again change nothing
        again = RemoteStore(url)
        for c in copies[:5]:
            again.add(c)
        again.close()
        assert again.articles_unchanged == 5 and again.articles_written == 0
        assert discovery_path(db).exists()
    assert not discovery_path(db).exists()
    assert find_server(db) is None
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == n_events
        assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] == sum(len(c.quotes) for c in copies)
    finally:
        con.close()


def test_ingest_rejects_bad_rows(tmp_path):
    db = tmp_path / "bad.duckdb"
    con = open_database(db)
    with TestClient(create_app(con, str(db))) as c:
        for body in ({"results": [{"articles": []}]},
                     {"results": [{"articles": [{"article_id": "x", "content_hash": "h", "n_events": "many"}]}]},
                     {"results": [{"articles": [{"article_id": "x", "content_hash": "h"}],
                                   "events": [{"article_id": "y", "event_id": "e"}]}]},
                     {"results": [{"articles": [{"article_id": "x", "content_hash": "h", "color": 1}]}]},
                     {"results": [{"widgets": []}]}, {"rows": []}):
            reply = c.post("/ingest", json=body)
            assert reply.status_code == 422, body
            assert reply.json()["error"]
        ok = c.post("/ingest", json={"results": [{"articles": [{"article_id": "x", "content_hash": "h",
                                                                "ingested_at": "2024-01-01T00:00:00"}]}]})
        assert ok.status_code == 200 and ok.json()["articles_written"] == 1
    con.close()


def test_find_server_ignores_stale_discovery_file(tmp_path):
    db = tmp_path / "stale.duckdb"
    discovery_path(db).write_text(json.dumps({"url": f"http://127.0.0.1:{free_port()}"}), encoding="utf-8")
    assert find_server(db, timeout=0.5) is None
    discovery_path(db).write_text("not json", encoding="utf-8")
    assert find_server(db) is None
