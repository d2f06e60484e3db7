"""Command line: `hechos extract | explain | evaluate | lint | db`.

Errors a user can fix (bad input, a broken dictionary, a missing model) print one
clear line and exit non-zero; they never end in a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .errors import BadInput, HechosError

log = logging.getLogger("hechos")

EXIT_OK, EXIT_ERROR, EXIT_SKIPPED = 0, 1, 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if not args.verbose else logging.INFO,
                        format="hechos: %(message)s", stream=sys.stderr)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    import duckdb

    try:
        return args.func(args)
    except duckdb.Error as exc:
        print(f"hechos: database error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except HechosError as exc:
        print(f"hechos: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        print(f"hechos: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("hechos: interrupted", file=sys.stderr)
        return 130


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hechos", description="Political event data from news text (CAMEO / PLOVER).")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="code articles into events")
    ex.add_argument("inputs", nargs="*", default=["-"], help=".txt, .jsonl files or folders; '-' for stdin (JSON lines)")
    ex.add_argument("--lang", default="es", help="language pack (default: es)")
    ex.add_argument("--date", help="publication date YYYY-MM-DD for inputs that do not give one")
    ex.add_argument("--jsonl", metavar="PATH", help="write events as JSON lines to PATH ('-' for stdout) instead of the database")
    ex.add_argument("--db", metavar="PATH", default=None, help="DuckDB file (default: hechos.duckdb)")
    ex.add_argument("--table", action="store_true", help="also print a table of the events")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.set_defaults(func=_cmd_extract)

    xp = sub.add_parser("explain", help="show how a sentence is coded, rule by rule")
    xp.add_argument("sentence")
    xp.add_argument("--lang", default="es")
    xp.add_argument("--date", help="article date YYYY-MM-DD (roles of people depend on it)")
    xp.set_defaults(func=_cmd_explain)

    ev = sub.add_parser("evaluate", help="score the coder on PETRARCH-style gold XML or probe-set TSV files")
    ev.add_argument("gold", nargs="+")
    ev.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    ev.add_argument("--errors", type=int, default=0, metavar="N", help="show the N most instructive errors")
    ev.add_argument("--by-root", action="store_true", help="scores per CAMEO root and a confusion table")
    ev.add_argument("--gold-parse", action="store_true", help="code from the CoNLL-U parse in the file")
    ev.add_argument("--equivalent", action="append", metavar="R1=R2",
                    help="score these CAMEO roots as one (analysis aid, e.g. 14=15 for gold sets whose "
                         "PLOVER conversion files demonstrations under 15); repeatable")
    ev.add_argument("--lang", default="es")
    ev.set_defaults(func=_cmd_evaluate)

    li = sub.add_parser("lint", help="check dictionaries: every pattern codes its own example")
    li.add_argument("--lang", default="es")
    li.add_argument("--show", type=int, default=30, help="failures to show")
    li.set_defaults(func=_cmd_lint)

    # -- export (implemented in store/export.py) --
    xo = sub.add_parser("export", help="export events: parquet, csv, gdelt, plover-jsonl")
    xo.add_argument("out", help="output file, or folder for parquet")
    xo.add_argument("--db", default=None, help="DuckDB file (default: hechos.duckdb)")
    xo.add_argument("--format", required=True, choices=["parquet", "csv", "gdelt", "plover-jsonl"])
    xo.add_argument("--where", default=None,
                    help="SQL condition on the events table, e.g. \"cameo_root = '19' AND date >= '2024'\"")
    xo.add_argument("--one-a-day", action="store_true",
                    help="ICEWS-style: one record per date, dyad and CAMEO code (with mention counts)")
    xo.set_defaults(func=_lazy("hechos.store.export", "run_export"))

    # -- serve (implemented in api/) --
    sv = sub.add_parser("serve", help="HTTP API and dashboard over a database")
    sv.add_argument("--db", default=None, help="DuckDB file (default: hechos.duckdb)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--lang", default="es", help="language pack for POST /extract")
    sv.set_defaults(func=_lazy("hechos.api.server", "run_serve"))

    # -- batch (implemented in scale/batch.py) --
    ba = sub.add_parser("batch", help="code a corpus on all cores, resumable after any interruption")
    ba.add_argument("inputs", nargs="+", help="folders, .txt/.jsonl/.jsonl.gz/.html files, WARC files")
    ba.add_argument("--db", default=None, help="DuckDB file (default: hechos.duckdb)")
    ba.add_argument("--workers", type=int, default=None, help="worker processes (default: number of cores)")
    ba.add_argument("--restart", action="store_true", help="forget the checkpoint and start over")
    ba.add_argument("--lang", default="es")
    ba.add_argument("--date", help="publication date YYYY-MM-DD for inputs that do not give one")
    ba.add_argument("--quarantine", default=None, help="file for bad inputs (default: <db>.quarantine.tsv)")
    ba.add_argument("--no-progress", action="store_true")
    ba.set_defaults(func=_lazy("hechos.scale.batch", "run_batch"))

    # -- spark (implemented in scale/spark.py) --
    sp = sub.add_parser("spark", help="code a corpus on Apache Spark; writes Parquet datasets")
    sp.add_argument("inputs", nargs="+", help="JSON lines or Parquet inputs (any URI Spark reads)")
    sp.add_argument("output", help="output folder: events/, quotes/, articles/")
    sp.add_argument("--master", default=None, help="Spark master URL (default: local[*])")
    sp.add_argument("--lang", default="es")
    sp.add_argument("--partitions", type=int, default=None,
                    help="input splits to code (default: 4 per core, so fast cores take over slow splits)")
    sp.set_defaults(func=_lazy("hechos.scale.spark", "run_spark"))

    db = sub.add_parser("db", help="database commands")
    dbs = db.add_subparsers(dest="db_command")
    info = dbs.add_parser("info", help="schema version and counts")
    info.add_argument("--db", default=None)
    info.set_defaults(func=_cmd_db_info)
    return p


def _lazy(module: str, name: str):
    """Commands import their module only when run, so `hechos --help` stays fast."""
    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args)
    return run


# -- extract ------------------------------------------------------------------------
def _cmd_extract(args: argparse.Namespace) -> int:
    from .ingest import read_inputs
    from .pipeline import Pipeline
    from .store import DEFAULT_DB, dumps_event

    skipped: list[BadInput] = []

    def on_error(err: BadInput) -> None:
        skipped.append(err)
        print(f"hechos: skipped {err}", file=sys.stderr)

    if args.date:
        from .ingest import _DATE
        if not _DATE.match(args.date):
            raise HechosError(f"--date must be YYYY-MM-DD, got {args.date!r}")
    pipeline = Pipeline(args.lang).load()
    articles = read_inputs(args.inputs, default_date=args.date, default_lang=args.lang, on_error=on_error)
    articles = _only_language(articles, args.lang, on_error)
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm
        progress = tqdm(unit=" articles", file=sys.stderr)
    out = None
    store = None
    if args.jsonl == "-":
        out = sys.stdout
    elif args.jsonl:
        out = open(args.jsonl, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    else:
        store = _open_store(args.db or DEFAULT_DB)
    n_articles = n_events = n_quotes = 0
    shown = []
    try:
        for result in pipeline.code_many(articles):
            n_articles += 1
            n_events += len(result.events)
            n_quotes += len(result.quotes)
            if out is not None:
                for event in result.events:
                    out.write(dumps_event(event.as_dict()) + "\n")
                for quote in result.quotes:
                    out.write(dumps_event(quote.as_dict()) + "\n")
            if store is not None:
                store.add(result)
            if args.table:
                shown.extend(result.events)
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
        if store is not None:
            store.close()
        if out is not None and out is not sys.stdout:
            out.close()
    if args.table:
        print(format_table(shown))
    where = f"database {getattr(store, 'path', args.db)}" if store is not None else ("stdout" if out is sys.stdout else args.jsonl)
    print(f"hechos: {n_articles} article(s) coded, {n_events} event(s) and {n_quotes} quote(s) written to "
          f"{where}; {len(skipped)} input record(s) skipped", file=sys.stderr)
    unchanged = getattr(store, "articles_unchanged", 0) + getattr(store, "duplicates_skipped", 0)
    if unchanged:
        # the store keeps what it has for a text it already holds, coded by the same code
        # and dictionaries: say so, rather than let "written" suggest new rows
        print(f"hechos: {unchanged} of them were already stored, with the same text coded by this version "
              "and these dictionaries, and were kept as they were", file=sys.stderr)
    return EXIT_SKIPPED if skipped else EXIT_OK


def _open_store(path: str):
    """The database itself, or — when `hechos serve` holds it (DuckDB allows one writing
    process per file) — the server, which writes what we code."""
    from .store import EventStore

    try:
        from .api.client import find_server
    except ImportError:  # pragma: no cover - the API is part of the package
        find_server = None
    url = find_server(path) if find_server is not None else None
    if url is not None:
        from .api.client import RemoteStore

        log.warning("database %s is served by %s: sending results there", path, url)
        return RemoteStore(url)
    return EventStore(path)


def _only_language(articles, lang, on_error):
    for article in articles:
        if article.lang != lang:
            on_error(BadInput(article.id, None, f"language {article.lang!r} has no pack loaded (run with --lang {article.lang})"))
            continue
        yield article


def format_table(events) -> str:
    rows = [("cameo", "label", "source", "target", "modality", "trigger", "rule")]
    for e in events:
        rows.append((e.cameo, e.cameo_label[:32], (e.source.code or e.source.text) if e.source else "-",
                     (e.target.code or e.target.text) if e.target else "-", e.modality, e.trigger[:24], e.rule))
    if len(rows) == 1:
        return "(no events)"
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- explain ------------------------------------------------------------------------
def _cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain_text

    print(explain_text(args.sentence, lang=args.lang, date=args.date))
    return EXIT_OK


# -- evaluate -----------------------------------------------------------------------
def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate.report import run_evaluation

    return run_evaluation(args)


# -- lint ---------------------------------------------------------------------------
def _cmd_lint(args: argparse.Namespace) -> int:
    from .lint import lint_patterns

    report = lint_patterns(args.lang)
    for failure in report.failures[: args.show]:
        print(failure)
    print(f"{report.checked} patterns checked, {len(report.failures)} failing")
    return EXIT_OK if not report.failures else EXIT_ERROR


# -- db -----------------------------------------------------------------------------
def _cmd_db_info(args: argparse.Namespace) -> int:
    import duckdb

    from .store import DEFAULT_DB

    path = args.db or DEFAULT_DB
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise HechosError(f"cannot open database {path}: {exc}") from None
    version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    tables = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    print(f"database: {path}\nschema version: {version}")
    for table in ("articles", "events", "quotes", "mentions"):
        if table in tables:
            print(f"{table}: {con.execute(f'SELECT count(*) FROM {table}').fetchone()[0]}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
