"""`make bench-store`: build a synthetic database of a million events and time every export.

Writes its figures to docs/performance.md under "## Store and exports (make bench-store)",
replacing only that section (up to the next "## " heading) so the other sections stay.

    python benchmarks/bench_store.py [--events N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import cpu_model  # noqa: E402
from synth_db import make_synthetic_db  # noqa: E402

from hechos.store.export import export, open_for_export  # noqa: E402

HEADING = "## Store and exports (make bench-store)"
DOC = ROOT / "docs" / "performance.md"

# (label, format, output name, options)
RUNS = [
    ("parquet (events, quotes, articles by month)", "parquet", "dataset", {}),
    ("gdelt (asserted + attempted)", "gdelt", "events.gdelt.tsv", {}),
    ("gdelt --one-a-day", "gdelt", "daily.gdelt.tsv", {"one_a_day": True}),
    ("csv", "csv", "events.csv", {}),
    ("plover-jsonl", "plover-jsonl", "events.jsonl", {}),
    ("csv --where \"cameo_root = '19'\"", "csv", "force.csv", {"where": "cameo_root = '19'"}),
]


def _size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6
    return path.stat().st_size / 1e6


def _peak_rss_mb() -> float:
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak across
    # fork and exec, and the children here are started by the process that built the database
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024




def export_once(db: Path, run_index: int, out: Path) -> dict:
    """One export, timed; run in a child process so its peak RSS is its own."""
    label, fmt, _, options = RUNS[run_index]
    con = open_for_export(db)
    try:
        t0 = time.perf_counter()
        result = export(con, fmt, out, **options)
        seconds = time.perf_counter() - t0
    finally:
        con.close()
    rows = result.rows["events"]
    return {"label": label, "rows": rows, "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds) if seconds else 0, "mb": round(_size_mb(out), 1),
            "peak_rss_mb": round(_peak_rss_mb())}


def run(n_events: int, workdir: Path) -> dict:
    db = workdir / "synthetic.duckdb"
    stats = make_synthetic_db(db, n_events)
    print(f"synthetic database: {stats.articles} articles, {stats.events} events, {stats.quotes} quotes "
          f"in {stats.seconds} s ({_size_mb(db):.0f} MB)", flush=True)
    results = []
    for i, (label, _, name, _) in enumerate(RUNS):
        child = subprocess.run([sys.executable, __file__, "--child", str(db), str(i), str(workdir / name)],
                               check=True, capture_output=True, text=True)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{label:48} {r['rows']:>9} rows {r['seconds']:7.2f} s {r['rows_per_s']:>9} rows/s "
              f"{r['mb']:>8} MB {r['peak_rss_mb']:>6} MB RSS", flush=True)
    return {"stats": stats, "db_mb": round(_size_mb(db)), "results": results, "build_rss_mb": round(_peak_rss_mb())}


def section(figures: dict) -> str:
    s = figures["stats"]
    machine = f"{os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, {platform.system()}"
    lines = [
        HEADING, "",
        "Produced by `make bench-store` (`benchmarks/bench_store.py`): a synthetic database from "
        "`benchmarks/synth_db.py` (seed 0: two years, ~4 events an article, CAMEO codes weighted by root, "
        "60 % of events placed), then each export through `hechos.store.export` — DuckDB `COPY`, nothing "
        "loaded into Python lists.", "",
        f"Run {date.today().isoformat()} on {machine}. Synthetic database: {s.events} events, {s.articles} "
        f"articles, {s.quotes} quotes, built in {s.seconds} s ({figures['db_mb']} MB, peak RSS "
        f"{figures['build_rss_mb']} MB). Each export runs in its own process: *peak RSS* is that export's.", "",
        "| export | rows | seconds | rows/s | output MB | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in figures["results"]:
        lines.append(f"| {r['label']} | {r['rows']} | {r['seconds']} | {r['rows_per_s']} | {r['mb']} | "
                     f"{r['peak_rss_mb']} |")
    return "\n".join(lines) + "\n"


def write_section(text: str, doc: Path = DOC) -> None:
    """Replace our section of the document (or append it), keeping every other section."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        body = old.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        body = "".join(lines[:start]) + text + ("\n" + tail if tail else "")
    doc.write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--keep", default=None, help="work in this folder and keep the database and outputs")
    p.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    p.add_argument("--child", nargs=3, metavar=("DB", "RUN", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        db, index, out = args.child
        print(json.dumps(export_once(Path(db), int(index), Path(out))))
        return 0
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
        figures = run(args.events, workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="hechos-bench-store-") as tmp:
            figures = run(args.events, Path(tmp))
    if not args.no_doc:
        write_section(section(figures))
        print(f"figures written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
