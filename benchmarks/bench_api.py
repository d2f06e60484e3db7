"""Latency of the HTTP API on a large synthetic database.

    python benchmarks/bench_api.py                      # builds 1M events in bench-out/
    python benchmarks/bench_api.py --db X.duckdb --runs 30

Requests go through the whole FastAPI stack in-process (TestClient: routing,
validation, SQL, JSON), without a network in between. Prints p50/p95 per query and
writes them to bench-out/api.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

QUERIES: list[tuple[str, str, dict]] = [
    ("events: newest 100", "/events", {}),
    ("events: one month", "/events", {"start": "2024-06-01", "end": "2024-06-30"}),
    ("events: actor VEN", "/events", {"actor": "VEN"}),
    ("events: source+target", "/events", {"source": "COLGOV", "target": "VEN"}),
    ("events: root 19 asserted", "/events", {"root": "19", "modality": "asserted"}),
    ("events: country COL by -goldstein", "/events", {"country": "COL", "sort": "-goldstein"}),
    ("events: text search", "/events", {"q": "frontera"}),
    ("events: actor COL + total", "/events", {"actor": "COL", "total": "true"}),
    ("events: limit 1000", "/events", {"limit": "1000"}),
    ("events: page 2 (cursor)", "/events", {"__page2__": "1"}),
    ("timeseries: day", "/timeseries", {"interval": "day"}),
    ("timeseries: month, actor COL", "/timeseries", {"interval": "month", "actor": "COL"}),
    ("timeseries: week, 2024", "/timeseries", {"interval": "week", "start": "2024-01-01"}),
    ("dyads: country", "/dyads", {"level": "country"}),
    ("dyads: code, root 04", "/dyads", {"level": "code", "root": "04"}),
    ("map", "/map", {}),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="existing database (default: build a synthetic one)")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cluster", action="store_true",
                    help="rewrite events in event_day order first, as chronological ingestion leaves them")
    ap.add_argument("--out", default=str(ROOT / "bench-out" / "api.json"))
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from hechos.api.server import create_app
    from hechos.store import open_database

    if args.db:
        db = Path(args.db)
    else:
        from synth_db import make_synthetic_db

        db = ROOT / "bench-out" / f"api-{args.events}.duckdb"
        db.parent.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        make_synthetic_db(db, args.events, seed=0)
        print(f"built {db} ({args.events} events) in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    con = open_database(db)
    if args.cluster:
        # zone maps (min/max per row group) only prune when rows of a day sit together
        t0 = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TEMP TABLE clustered AS SELECT * FROM events ORDER BY event_day, article_id")
        con.execute("DELETE FROM events")
        con.execute("INSERT INTO events SELECT * FROM clustered")
        con.execute("COMMIT")
        con.execute("DROP TABLE clustered")
        con.execute("CHECKPOINT")
        print(f"clustered events by day in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    results = []
    with TestClient(create_app(con, str(db))) as client:
        for name, path, params in QUERIES:
            if "__page2__" in params:
                first = client.get(path).json()
                params = {"cursor": first["next_cursor"]}
            times, size = [], 0
            for run in range(args.runs + 2):
                t0 = time.perf_counter()
                reply = client.get(path, params=params)
                elapsed = (time.perf_counter() - t0) * 1000
                if reply.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {reply.status_code} {reply.text[:200]}")
                if run >= 2:  # two warm-up runs
                    times.append(elapsed)
                size = len(reply.content)
            row = {"query": name, "path": path, "params": params, "p50_ms": round(statistics.median(times), 1),
                   "p95_ms": round(percentile(times, 95), 1), "bytes": size}
            results.append(row)
            print(f"{name:38s} p50 {row['p50_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} ms   {size:>8d} B")
    con.close()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"db": str(db), "events": n_events, "runs": args.runs, "results": results},
                              indent=2) + "\n", encoding="utf-8")
    print(f"{n_events} events; written {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
