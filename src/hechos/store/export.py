"""`hechos export`: the event database as Parquet, CSV, GDELT 1.0 or PLOVER JSON lines.

Every format is one DuckDB `COPY (SELECT ...) TO ...` (one per month for Parquet): rows
go from the database file to the output without passing through Python objects, so a
million-event export needs no more memory than DuckDB's own buffers. The SQL is built
here from the schema's column lists; docs/exports.md describes each layout.

Outputs are deterministic (fixed row order, fixed file names): the same database gives
byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require
from ..errors import DictionaryError, HechosError
from .schema import ARTICLE_COLUMNS, EVENT_COLUMNS, QUOTE_COLUMNS, SCHEMA_VERSION

__all__ = ["FORMATS", "GDELT_COLUMNS", "GROUP_MODALITIES", "ExportResult", "export", "fips_codes",
           "run_export", "selected_events_sql", "write_csv", "write_gdelt", "write_parquet_dataset",
           "write_plover_jsonl"]

FORMATS = ("parquet", "csv", "gdelt", "plover-jsonl")

# GDELT 1.0 event table, in file order: 57 columns in the historical back-files, 58 in
# the daily files since April 2013 (SOURCEURL added); we write the 58.
_GDELT_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GDELT_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor1{c}" for c in _GDELT_ACTOR], *[f"Actor2{c}" for c in _GDELT_ACTOR],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"Actor1Geo_{c}" for c in _GDELT_GEO], *[f"Actor2Geo_{c}" for c in _GDELT_GEO],
    *[f"ActionGeo_{c}" for c in _GDELT_GEO],
    "DATEADDED", "SOURCEURL",
)

# the GDELT columns filled from free text (the others are codes, numbers and dates)
_GDELT_TEXT = frozenset({"Actor1Code", "Actor1Name", "Actor2Code", "Actor2Name", "ActionGeo_FullName", "SOURCEURL"})

# What GDELT, ICEWS-style grouping and the `event_groups` view count as having happened.
GROUP_MODALITIES = ("asserted", "attempted")
_HAPPENED = "modality IN ('asserted', 'attempted')"

FIPS_FILE = Path(__file__).with_name("gdelt_countries.yaml")
_FIPS_VIEW = "hechos_export_fips"  # registered on the connection only while an export runs

# The month a row belongs to, as a hive partition value.
_EVENT_MONTH = "coalesce(strftime(event_day, '%Y-%m'), 'unknown')"
_ARTICLE_MONTH = (r"CASE WHEN regexp_matches(a.date, '^\d{4}-(0[1-9]|1[0-2])') THEN substr(a.date, 1, 7) "
                  "ELSE 'unknown' END")


@dataclass
class ExportResult:
    format: str
    out: str
    rows: dict[str, int] = field(default_factory=dict)  # table or file → rows written


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, tuple[str | None, str]]:
    """ISO alpha-3 → (FIPS 10-4 code or None, English name), from gdelt_countries.yaml."""
    file = display_path(FIPS_FILE)
    table: dict[str, tuple[str | None, str]] = {}
    for entry in load_entries(FIPS_FILE):
        line = entry.get(LINE_KEY, 0)
        code = require(entry, "code", str, file)
        name = require(entry, "name", str, file)
        fips = entry.get("fips")
        if len(code) != 3 or not code.isalpha() or not code.isupper():
            raise DictionaryError(file, line, f"'code' must be an ISO alpha-3 code, got {code!r}")
        if fips is not None and not (isinstance(fips, str) and len(fips) == 2 and fips.isalnum()
                                     and fips.isupper()):
            raise DictionaryError(file, line, f"'fips' must be a 2-character FIPS 10-4 code, got {fips!r}")
        if code in table:
            raise DictionaryError(file, line, f"duplicate country {code!r}")
        table[code] = (fips, name)
    return table


def _fips_arrow():
    import pyarrow as pa

    codes = sorted(fips_codes())
    return pa.table({"code": codes, "fips": [fips_codes()[c][0] for c in codes],
                     "name": [fips_codes()[c][1] for c in codes]})


# -- the rows an export writes --------------------------------------------------------------
def _cols(columns: list[tuple[str, str]], alias: str) -> str:
    return ", ".join(f'{alias}."{name}"' for name, _ in columns)


def selected_events_sql(where: str | None = None, one_a_day: bool = False, extra: str | None = None) -> str:
    """SELECT of the events an export writes, with the events table's columns in schema order.

    `where` is the user's condition on the events table; `extra` a further condition
    (a month, for Parquet). With `one_a_day` the events that happened (asserted or
    attempted) are grouped ICEWS-style by (event_day, source_code, target_code, cameo),
    the `event_groups` view's key: one row per group, the group's first event (lowest
    event_id) with num_events, num_mentions, num_articles and num_sources appended.
    """
    conds = [f"({where})" if where else "true"]
    if extra:
        conds.append(f"({extra})")
    cols = _cols(EVENT_COLUMNS, "e")
    if not one_a_day:
        return f"SELECT {cols} FROM events e WHERE {' AND '.join(conds)}"
    conds.append(_HAPPENED)
    # num_sources: an article whose outlet is unknown counts as a source of its own, so
    # a group never claims fewer sources than one (the view counts only named outlets)
    return f"""
        WITH sel AS (SELECT {cols} FROM events e WHERE {' AND '.join(conds)}),
        grp AS (
            SELECT s.event_day, coalesce(s.source_code, '') AS sc, coalesce(s.target_code, '') AS tc, s.cameo,
                   count(*) AS num_events, sum(s.mentions)::BIGINT AS num_mentions,
                   count(DISTINCT s.article_id) AS num_articles,
                   count(DISTINCT coalesce(a.source, '#' || s.article_id)) AS num_sources,
                   min(s.event_id) AS first_event_id
            FROM sel s LEFT JOIN articles a ON a.article_id = s.article_id
            GROUP BY s.event_day, coalesce(s.source_code, ''), coalesce(s.target_code, ''), s.cameo)
        SELECT {cols}, g.num_events, g.num_mentions, g.num_articles, g.num_sources
        FROM grp g JOIN sel e ON e.event_id = g.first_event_id"""


_ORDER = "ORDER BY e.event_day NULLS LAST, e.event_id"


def _copy(con, query: str, target: str | Path, options: str) -> int:
    path = str(target).replace("'", "''")
    rows = con.execute(f"COPY ({query}) TO '{path}' ({options})").fetchall()
    return int(rows[0][0]) if rows else 0


def _months(con, where: str | None, one_a_day: bool) -> list[str]:
    """The months the selected events fall in, in order, `unknown` (no date) last."""
    rows = con.execute(f"SELECT DISTINCT {_EVENT_MONTH} AS month "
                       f"FROM ({selected_events_sql(where, one_a_day)}) ORDER BY month").fetchall()
    return [m for (m,) in rows]


def _month_condition(month: str) -> str:
    if month == "unknown":
        return "event_day IS NULL"
    return f"event_day >= DATE '{month}-01' AND event_day < DATE '{month}-01' + INTERVAL 1 MONTH"


def _write_by_month(con, out: Path, where: str | None, one_a_day: bool, query_for: Callable[[str], str],
                    options: str, header: bool = False) -> int:
    """COPY month by month into parts, then join them into `out`.

    Sorting a month at a time keeps DuckDB's memory to a month of rows (a global ORDER BY
    over a million wide rows holds them all), and months in order then (day, event_id)
    within a month is the same order as a global sort. The parts and the joined file
    live in a hidden folder beside `out`, renamed into place at the end: a failed export
    leaves no half-written file.
    """
    months = _months(con, where, one_a_day) or [""]  # no rows: one empty part (a CSV header)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        n = 0
        parts = []
        for i, month in enumerate(months):
            part = work / f"part-{i:05d}"
            with_header = f", HEADER {str(header and i == 0).lower()}" if "csv" in options else ""
            n += _copy(con, query_for(_month_condition(month) if month else "false"), part, options + with_header)
            parts.append(part)
        joined = work / "joined"
        with open(joined, "wb") as dst:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
                part.unlink()
        os.replace(joined, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return n


# -- CSV -------------------------------------------------------------------------------------
def write_csv(con, out: str | Path, where: str | None = None, one_a_day: bool = False) -> int:
    """The events table as CSV with a header; lists as JSON text."""
    def query(month: str) -> str:
        return (f"SELECT * REPLACE (to_json(e.sentence_indexes)::VARCHAR AS sentence_indexes) "
                f"FROM ({selected_events_sql(where, one_a_day, month)}) e {_ORDER}")
    return _write_by_month(con, Path(out), where, one_a_day, query, "FORMAT csv", header=True)


# -- GDELT 1.0 -------------------------------------------------------------------------------
def _chunks(expr: str) -> list[str]:
    return [f"nullif(substr({expr}, {1 + 3 * i}, 3), '')" for i in range(3)]


def _gdelt_actor(p: str, f: str) -> list[str]:
    """Actor columns for `source` or `target`; `f` is its FIPS-table alias (joined on country).

    A country in the table is a state: CountryCode, and the sector's 3-letter chunks as
    types. Anything else (IGO, NGO, MNC...) is a group: no CountryCode, the whole code as
    types and the sector as KnownGroupCode (IGOUNO → known group UNO, types IGO, UNO).
    """
    state = f"{f}.code IS NOT NULL"
    types = f"CASE WHEN {state} THEN coalesce(e.{p}_sector, '') ELSE coalesce(e.{p}_code, '') END"
    return [f"e.{p}_code", f"upper(e.{p}_text)",
            f"CASE WHEN {state} THEN e.{p}_country END",
            f"CASE WHEN NOT ({state}) THEN nullif(substr(coalesce(e.{p}_sector, ''), 1, 3), '') END",
            "NULL", "NULL", "NULL", *_chunks(types)]


def _gdelt_action_geo() -> list[str]:
    usa = "e.location_country = 'USA'"
    kind = ("CASE WHEN e.location_name IS NULL AND e.location_country IS NULL THEN 0 "
            "WHEN e.location_feature = 'country' THEN 1 "
            f"WHEN e.location_feature = 'admin1' THEN CASE WHEN {usa} THEN 2 ELSE 5 END "
            f"ELSE CASE WHEN {usa} THEN 3 ELSE 4 END END")
    full = ("CASE WHEN e.location_feature = 'country' THEN coalesce(fl.name, e.location_name) "
            "ELSE nullif(concat_ws(', ', e.location_name, "
            "CASE WHEN e.location_admin1 IS DISTINCT FROM e.location_name THEN e.location_admin1 END, "
            "fl.name), '') END")
    return [kind, full, "fl.fips", "fl.fips", "round(e.location_lat, 4)", "round(e.location_lon, 4)",
            "CASE WHEN e.location_feature = 'country' THEN fl.fips END"]


def gdelt_select_sql(rows_sql: str, one_a_day: bool = False) -> str:
    """SELECT of GDELT 1.0 rows (GDELT_COLUMNS, in order) over `rows_sql` (selected_events_sql)."""
    day = "e.event_day"
    # GDELT's event ids are integers: the first 60 bits of our hexadecimal event_id (a
    # hash of the article id and the event), or a hash of an id that is not hexadecimal
    event_id = ("coalesce(TRY_CAST('0x' || substr(e.event_id, 1, 15) AS BIGINT), "
                "(hash(e.event_id) % 1152921504606846976)::BIGINT)")
    # GDELT's FractionDate: YYYY + ((month - 1) * 30 + day) / 365, four decimals (1 January
    # 1979 is 1979.0027 in GDELT's files)
    fraction = (f"round(year({day}) + ((month({day}) - 1) * 30 + day({day})) / 365.0, 4)")
    counts = (["e.num_mentions", "e.num_sources", "e.num_articles"] if one_a_day
              else ["e.mentions", "1", "1"])
    exprs = [
        event_id, f"strftime({day}, '%Y%m%d')", f"strftime({day}, '%Y%m')", f"year({day})", fraction,
        *_gdelt_actor("source", "fs"), *_gdelt_actor("target", "ft"),
        "(e.sentence_index = 0)::INTEGER", "e.cameo", "substr(e.cameo, 1, 3)", "e.cameo_root",
        "e.quad_class", "e.goldstein", *counts, "NULL",
        "0", *["NULL"] * 6, "0", *["NULL"] * 6,
        *_gdelt_action_geo(),
        "strftime(a.ingested_at, '%Y%m%d')", "a.url",
    ]
    assert len(exprs) == len(GDELT_COLUMNS)
    # GDELT files are tab-separated without quoting: tabs and line breaks in text become spaces
    select = ", ".join(
        f"translate({x}, chr(9) || chr(10) || chr(13), '   ') AS \"{name}\"" if name in _GDELT_TEXT else f"{x} AS \"{name}\""
        for x, name in zip(exprs, GDELT_COLUMNS, strict=True))
    return f"""SELECT {select} FROM ({rows_sql}) e
        LEFT JOIN articles a ON a.article_id = e.article_id
        LEFT JOIN {_FIPS_VIEW} fs ON fs.code = e.source_country
        LEFT JOIN {_FIPS_VIEW} ft ON ft.code = e.target_country
        LEFT JOIN {_FIPS_VIEW} fl ON fl.code = e.location_country
        {_ORDER}"""


def write_gdelt(con, out: str | Path, where: str | None = None, one_a_day: bool = False,
                header: bool = False) -> int:
    """GDELT 1.0 event rows, tab-separated, no header unless asked (GDELT files have none).

    Without `where`, only events that happened (asserted, attempted) are written: GDELT
    has no column for negated, hypothetical or future events.
    """
    if where is None and not one_a_day:
        where = _HAPPENED
    def query(month: str) -> str:
        return gdelt_select_sql(selected_events_sql(where, one_a_day, month), one_a_day)
    with _registered(con, _FIPS_VIEW, _fips_arrow()):
        return _write_by_month(con, Path(out), where, one_a_day, query,
                               "FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE ''", header=header)


# -- PLOVER JSON lines -----------------------------------------------------------------------
def _plover_actor(p: str) -> str:
    return (f"CASE WHEN e.{p}_text IS NULL AND e.{p}_code IS NULL THEN [] ELSE "
            f"[struct_pack(entity_text := e.{p}_text, code := e.{p}_code, country := e.{p}_country, "
            f"sector := e.{p}_sector, resolved_from := e.{p}_resolved_from)] END")


def plover_select_sql(rows_sql: str, one_a_day: bool = False) -> str:
    """SELECT of PLOVER/POLECAT-style records (one JSON object a row) over `rows_sql`."""
    groups = ("e.num_events, e.num_mentions, e.num_articles, e.num_sources" if one_a_day
              else "e.mentions AS num_mentions")
    return f"""SELECT
        e.event_id AS id, strftime(e.event_day, '%Y-%m-%d') AS date,
        e.plover_type AS event_type, e.plover_mode AS mode,
        []::VARCHAR[] AS contexts,
        {_plover_actor("source")} AS actor, {_plover_actor("target")} AS recipient,
        CASE WHEN e.location_name IS NULL AND e.location_country IS NULL THEN NULL ELSE
          struct_pack(name := e.location_name, text := e.location_text, country := e.location_country,
                      admin1 := e.location_admin1, lat := e.location_lat, lon := e.location_lon,
                      feature := e.location_feature, how := e.location_how) END AS location,
        e.modality, e.is_symmetric AS symmetric,
        struct_pack(value := e.date, precision := e.date_precision, source := e.date_source,
                    phrase := e.date_phrase) AS date_detail,
        e.cameo, e.cameo_root, e.cameo_label, e.goldstein, e.quad_class,
        e.sentence, e.sentence_index, e.sentence_indexes, e.trigger, e.rule, e.confidence,
        {groups},
        struct_pack(id := e.article_id, url := a.url, title := a.title, source := a.source,
                    date := a.date, lang := a.lang) AS article
        FROM ({rows_sql}) e LEFT JOIN articles a ON a.article_id = e.article_id
        {_ORDER}"""


def write_plover_jsonl(con, out: str | Path, where: str | None = None, one_a_day: bool = False) -> int:
    def query(month: str) -> str:
        return plover_select_sql(selected_events_sql(where, one_a_day, month), one_a_day)
    return _write_by_month(con, Path(out), where, one_a_day, query, "FORMAT json")


# -- Parquet dataset -------------------------------------------------------------------------
def write_parquet_dataset(source, out_dir: str | Path, where: str | None = None,
                          one_a_day: bool = False) -> dict[str, int]:
    """Write OUT/events, OUT/quotes, OUT/articles as hive-partitioned Parquet (month=YYYY-MM).

    `source` is a DuckDB connection holding the hechos tables, or a mapping of table
    name → Arrow table / record batch reader with the schema's columns (what the Spark
    job holds), exported through an in-memory DuckDB. One file a partition,
    `<table>/month=<YYYY-MM|unknown>/part-0.parquet`, rows in id order; see docs/exports.md.
    Returns rows written per table.
    """
    if isinstance(source, Mapping):
        import duckdb

        con = duckdb.connect()
        try:
            for name in ("events", "articles", "quotes"):
                con.register(name, source[name])
            return write_parquet_dataset(con, out_dir, where, one_a_day)
        finally:
            con.close()
    con = source
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise HechosError(f"{out} exists and is not a folder (parquet exports write a folder)")
    out.mkdir(parents=True, exist_ok=True)
    for table in ("events", "quotes", "articles"):
        if (out / table).exists():
            shutil.rmtree(out / table)  # only our own sub-folders, never OUT itself
        (out / table).mkdir()
    filtered = bool(where) or one_a_day
    counts = {"events": 0, "quotes": 0, "articles": 0}
    try:
        for month in _months(con, where, one_a_day):
            rows = selected_events_sql(where, one_a_day, extra=_month_condition(month))
            counts["events"] += _copy_partition(con, f"SELECT * FROM ({rows}) e ORDER BY e.event_id",
                                                out / "events", month)
        # articles and quotes of the exported events only, when the export is a selection
        keep = ""
        if filtered:
            happened = " AND ".join(c for c in (f"({where})" if where else "", _HAPPENED if one_a_day else "") if c)
            con.execute("CREATE OR REPLACE TEMP TABLE hechos_export_articles AS SELECT DISTINCT article_id "
                        f"FROM ({selected_events_sql(happened)}) s")
            keep = "JOIN hechos_export_articles k ON k.article_id = a.article_id"
        # a quote belongs to its event's month, else to its article's
        con.execute(f"""CREATE OR REPLACE TEMP TABLE hechos_export_parts AS
            SELECT 'article' AS kind, a.article_id AS id, {_ARTICLE_MONTH} AS month FROM articles a {keep}
            UNION ALL
            SELECT 'quote', q.quote_id || chr(0) || q.article_id, coalesce(
                (SELECT strftime(min(ev.event_day), '%Y-%m') FROM events ev
                 WHERE ev.event_id = q.event_id AND ev.article_id = q.article_id), {_ARTICLE_MONTH})
            FROM quotes q JOIN articles a ON a.article_id = q.article_id {keep}""")
        for kind, table, columns, alias, key in (
                ("article", "articles", ARTICLE_COLUMNS, "a", "a.article_id"),
                ("quote", "quotes", QUOTE_COLUMNS, "q", "q.quote_id || chr(0) || q.article_id")):
            parts = [m for (m,) in con.execute("SELECT DISTINCT month FROM hechos_export_parts "
                                               "WHERE kind = ? ORDER BY month", [kind]).fetchall()]
            for month in parts:
                query = (f"SELECT {_cols(columns, alias)} FROM {table} {alias} "
                         f"JOIN hechos_export_parts p ON p.kind = '{kind}' AND p.id = {key} "
                         f"WHERE p.month = '{month}' ORDER BY {key}")
                counts[table] += _copy_partition(con, query, out / table, month)
    finally:
        for temp in ("hechos_export_articles", "hechos_export_parts"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
    return counts


def _copy_partition(con, query: str, folder: Path, month: str) -> int:
    part = folder / f"month={month}"
    part.mkdir(exist_ok=True)
    return _copy(con, query, part / "part-0.parquet", "FORMAT parquet, COMPRESSION zstd")


# -- entry points ----------------------------------------------------------------------------
@contextmanager
def _registered(con, name: str, table) -> Iterator[None]:
    """con.register for the duration of a with-block (an Arrow lookup the SQL joins)."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


_SQL_STRING = re.compile(r"'(?:[^']|'')*'")


def _check_where(con, where: str | None) -> None:
    """Bind the condition without running it: a typo is one clear line, not a traceback."""
    if not where:
        return
    import duckdb

    # one condition, not a second statement (the connection is read-only anyway)
    if ";" in _SQL_STRING.sub("", where):
        raise HechosError(f"--where must be one SQL condition, without ';': {where!r}")
    try:
        con.execute(f"EXPLAIN SELECT 1 FROM events e WHERE ({where})").fetchall()
    except duckdb.Error as exc:
        # DuckDB appends the whole generated query ("LINE 1: ..."): not the user's text
        message = " ".join(str(exc).split("LINE 1:")[0].split())
        raise HechosError(f"bad --where {where!r}: {message}") from None


def export(con, fmt: str, out: str | Path, where: str | None = None, one_a_day: bool = False,
           header: bool = False) -> ExportResult:
    """Export the database open on `con` in format `fmt` to `out` (a folder for parquet)."""
    if fmt not in FORMATS:
        raise HechosError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    _check_where(con, where)
    out_path = Path(out)
    if fmt != "parquet":
        if out_path.is_dir():
            raise HechosError(f"{out_path} is a folder; {fmt} exports write one file")
        if not out_path.parent.is_dir():
            raise HechosError(f"folder {out_path.parent} does not exist")
    result = ExportResult(fmt, str(out_path))
    if fmt == "parquet":
        result.rows = write_parquet_dataset(con, out_path, where, one_a_day)
    elif fmt == "csv":
        result.rows = {"events": write_csv(con, out_path, where, one_a_day)}
    elif fmt == "gdelt":
        result.rows = {"events": write_gdelt(con, out_path, where, one_a_day, header)}
    else:
        result.rows = {"events": write_plover_jsonl(con, out_path, where, one_a_day)}
    return result


def open_for_export(path: str | Path):
    """A read-only connection (a --where cannot change the database), migrated first if old."""
    import duckdb

    from . import open_database

    db = Path(path)
    if not db.is_file():
        raise HechosError(f"no database at {db} (create one with `hechos extract`, or pass --db)")
    try:
        con = duckdb.connect(str(db), read_only=True)
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    except duckdb.Error as exc:
        raise HechosError(f"cannot open database {db}: {' '.join(str(exc).split())}") from None
    if version is not None and version < SCHEMA_VERSION:
        con.close()
        open_database(db).close()  # migrates, once
        con = duckdb.connect(str(db), read_only=True)
    return con


def run_export(args: argparse.Namespace) -> int:
    """`hechos export`; args: out, db, format, where, one_a_day (and header, when wired)."""
    from . import DEFAULT_DB

    con = open_for_export(args.db or DEFAULT_DB)
    try:
        result = export(con, args.format, args.out, where=args.where, one_a_day=args.one_a_day,
                        header=getattr(args, "header", False))
    finally:
        con.close()
    written = ", ".join(f"{n} {table}" for table, n in result.rows.items())
    print(f"hechos: exported {written} to {result.out} ({result.format})", file=sys.stderr)
    return 0
