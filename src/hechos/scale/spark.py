"""`hechos spark`: code a corpus on Apache Spark and write Parquet datasets.

Input: JSON lines (the `hechos extract` record: id, text, date, title, url, source,
lang) or Parquet with those columns. Each record goes through the same checks as
`ingest.record_to_article`. Output, under OUTPUT_DIR:

    events/month=YYYY-MM/part-NNNNN.parquet   (month of event_day; month=unknown without)
    quotes/month=YYYY-MM/...                  (its event's month, else its article's)
    articles/month=YYYY-MM/...                (month of the article's date)

with exactly the Arrow schemas of `store/rows.py` (the `month` partition column is in
the folder names only), the ones DuckDB and `hechos export --format parquet` use.

Spark schedules and moves the work; the Python workers that code a split also write
its rows with pyarrow, into a staging folder, and the driver commits the files of the
tasks that succeeded: each month written is emptied first, so a re-run replaces the
months it writes and produces the same rows. Event ids are those of `hechos extract`
because every article is coded by the same `Pipeline.code_many`. Keeping Spark SQL out
of the write path matters in local mode: planning, code generation and a columnar cache
cost the JVM several CPU-seconds that the Python workers need.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime

from ..errors import BadInput, HechosError

RECORD_FIELDS = ("id", "text", "date", "title", "url", "source", "lang")
OUTPUT_TABLES = ("articles", "events", "quotes")


@functools.cache
def _executor_pipeline(lang: str):
    """One Pipeline per Python worker process, reused by every partition it codes."""
    from ..pipeline import Pipeline

    return Pipeline(lang).load()


def month_of(day) -> str:
    if day is None:
        return "unknown"
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    return text[:7] if len(text) >= 7 and text[4] == "-" else "unknown"


SORT_KEYS = {"articles": ("article_id",), "events": ("article_id", "event_id"), "quotes": ("article_id", "quote_id")}
FLUSH_ARTICLES = 1000  # rows of this many articles are sorted and written as one row group


def output_filesystem(output: str):
    """(pyarrow file system, path) for a local folder or any URI pyarrow knows (s3://, gs://, hdfs://)."""
    from pyarrow import fs

    if output.startswith("file:"):
        output = "file://" + os.path.abspath(output.removeprefix("file:").removeprefix("//"))
    elif "://" not in output:
        output = os.path.abspath(output)
    elif output.startswith(("s3a://", "s3n://")):  # Hadoop's names for S3; pyarrow knows s3://
        output = "s3://" + output.split("://", 1)[1]
    return fs.FileSystem.from_uri(output)


def code_partition(split: int, records: Iterable[dict], lang: str, ingested_at: datetime,
                   staging: str) -> Iterator[tuple[str, str, str, int]]:
    """Code one input split and write its rows under `staging`, one Parquet file per
    table and month: yields (table, month, path, rows) for the driver to commit."""
    import pyarrow.parquet as pq

    from ..records import Article
    from ..store.rows import SCHEMAS, event_day, result_rows, to_arrow

    try:
        from pyspark import TaskContext

        attempt = TaskContext.get().attemptNumber()
    except Exception:  # noqa: BLE001 - outside a Spark task (tests): the first attempt
        attempt = 0
    filesystem, root = output_filesystem(staging)
    writers: dict[tuple[str, str], tuple[object, str]] = {}
    counts: dict[tuple[str, str], int] = {}
    pending: dict[tuple[str, str], list[dict]] = {}

    def flush() -> None:
        for (table, month), rows in sorted(pending.items()):
            if (table, month) not in writers:
                path = f"{root}/{table}/month={month}/part-{split:05d}-{attempt}.parquet"
                filesystem.create_dir(path.rsplit("/", 1)[0])
                writers[table, month] = (pq.ParquetWriter(path, SCHEMAS[table], filesystem=filesystem,
                                                          compression="zstd"), path)
            rows.sort(key=lambda row, keys=SORT_KEYS[table]: tuple(row[k] for k in keys))
            writers[table, month][0].write_table(to_arrow(table, rows))
            counts[table, month] = counts.get((table, month), 0) + len(rows)
        pending.clear()

    articles = (Article(id=r["id"], text=r["text"], date=r["date"], lang=r["lang"], title=r["title"],
                        url=r["url"], source=r["source"]) for r in records)
    pipeline = _executor_pipeline(lang)
    try:
        for n, result in enumerate(pipeline.code_many(articles), 1):
            rows = result_rows(result, ingested_at, with_mentions=False)
            article_month = month_of(event_day(None, result.article.date))
            event_months = {}
            for row in rows["events"]:
                event_months[row["event_id"]] = month_of(row["event_day"])
                pending.setdefault(("events", event_months[row["event_id"]]), []).append(row)
            for row in rows["quotes"]:  # as `hechos export` files them
                pending.setdefault(("quotes", event_months.get(row["event_id"], article_month)), []).append(row)
            pending.setdefault(("articles", article_month), []).extend(rows["articles"])
            if n % FLUSH_ARTICLES == 0:
                flush()
        flush()
    finally:
        for writer, _ in writers.values():
            writer.close()
    for (table, month), (_, path) in sorted(writers.items()):
        yield table, month, path, counts[table, month]


def commit(output: str, staging: str, written: list[tuple[str, str, str, int]]) -> dict[str, int]:
    """Move the tasks' files from `staging` into OUTPUT/<table>/month=<m>/, emptying
    each month written first (a re-run replaces it); returns rows per table."""
    from pyarrow import fs as pafs

    filesystem, root = output_filesystem(output)
    for table in OUTPUT_TABLES:  # present even when empty, as `hechos export` leaves them
        filesystem.create_dir(f"{root}/{table}")
    for table, month in sorted({(t, m) for t, m, _, _ in written}):
        folder = f"{root}/{table}/month={month}"
        if filesystem.get_file_info(folder).type != pafs.FileType.NotFound:
            filesystem.delete_dir_contents(folder)
        filesystem.create_dir(folder)
    counts = dict.fromkeys(OUTPUT_TABLES, 0)
    for table, month, path, rows in sorted(written):
        name = path.rsplit("/", 1)[1].rsplit("-", 1)[0] + ".parquet"  # part-NNNNN-<attempt> → part-NNNNN
        filesystem.move(path, f"{root}/{table}/month={month}/{name}")  # `path` is the task's, in this file system
        counts[table] += rows
    _remove_staging(staging)  # what is left there: attempts that failed
    return counts


def _check(record: dict, where: str, lang: str) -> tuple[dict | None, str | None]:
    """(article fields, None) or (None, reason): the checks `hechos extract` makes."""
    from ..ingest import record_to_article

    errors: list[BadInput] = []
    article = record_to_article(record, where, None, None, lang, errors.append)
    if article is None:
        return None, errors[0].reason if errors else "bad record"
    if article.lang != lang:
        return None, f"language {article.lang!r} has no pack loaded"
    return {"id": article.id, "text": article.text, "date": article.date, "title": article.title,
            "url": article.url, "source": article.source, "lang": article.lang}, None


def _parse_json_line(line: str, lang: str) -> tuple[dict | None, str | None]:
    import json

    if not line.strip():
        return None, None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return None, "a line must be a JSON object"
    return _check(record, "json", lang)


def make_context(master: str | None):
    """A SparkContext: the job needs no Spark SQL (it is made only to read Parquet
    input), and a context alone starts about 2 s sooner than a SparkSession."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext

    conf = (SparkConf().setAppName("hechos")
            .set("spark.python.worker.reuse", "true")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.sql.session.timeZone", "UTC"))
    if master:
        conf = conf.setMaster(master)
    elif not os.environ.get("SPARK_HOME") and "--master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        master = "local[*]"
        conf = conf.setMaster(master).set("spark.ui.enabled", "false")
    if master and master.startswith("local"):
        # In local mode the JVM only moves small rows between Python workers and Parquet
        # files, while its start-up competes with them for the same cores: the client
        # compiler and serial GC start it about 2 s sooner (measured on 2 cores).
        conf = conf.set("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("WARN")
    return sc


def read_records(sc, inputs: list[str], lang: str, partitions: int | None = None):
    """Every input record as (position, article fields or None, reason or None).

    The position (input kind, partition, index in it) is the same on every pass over
    the same input, which lets the de-duplication pass name the records to leave out.
    """
    parquet = [p for p in inputs if p.rstrip("/").endswith(".parquet") or _is_parquet_dir(p)]
    jsonl = [p for p in inputs if p not in parquet]
    rdds = []
    if jsonl:
        # several splits per core: articles differ in length, and the cores that finish
        # their splits early take the remaining ones instead of waiting
        lines = sc.textFile(",".join(jsonl), minPartitions=partitions or 4 * sc.defaultParallelism)
        rdds.append(lines.mapPartitionsWithIndex(
            lambda split, part: (((0, split, i), *_parse_json_line(line, lang)) for i, line in enumerate(part))))
    if parquet:
        from pyspark.sql import SparkSession

        df = SparkSession(sc).read.parquet(*parquet)
        cols = [c for c in RECORD_FIELDS if c in df.columns]
        if "id" not in cols or "text" not in cols:
            raise HechosError(f"Parquet input needs 'id' and 'text' columns, has {', '.join(df.columns)}")
        wanted = partitions or 4 * sc.defaultParallelism
        if df.rdd.getNumPartitions() < wanted:  # a few big files: spread them (Spark sorts first: deterministic)
            df = df.repartition(wanted)
        rdds.append(df.select(*cols).rdd.mapPartitionsWithIndex(
            lambda split, part: (((1, split, i), *_check(row.asDict(), "parquet", lang))
                                 for i, row in enumerate(part))))
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


def _first_of_content(group: tuple[str, Iterable[tuple[str, tuple]]]) -> Iterator[tuple[str, tuple]]:
    """(content hash, [(id, position)]) → (id, (hash, position, dropped)) for each record:
    the smallest id, at its first position, is kept."""
    content, records = group
    (first_id, first_position), *others = sorted(records)
    yield first_id, (content, first_position, False)
    for id_, position in others:
        yield id_, (content, position, True)


def _greatest_hash_of_id(group: tuple[str, Iterable[tuple[str, tuple, bool]]]) -> list[tuple]:
    """(id, [(hash, position, dropped)]) → positions to leave out: the dropped ones, and
    all but the greatest hash among those kept."""
    _, entries = group
    entries = list(entries)
    kept = max((e for e in entries if not e[2]), default=None)
    return [position for content, position, dropped in entries if dropped or (content, position, dropped) != kept]


def duplicate_positions(records) -> set[tuple]:
    """Positions of the records to leave out, by EventStore's rules made order-free:
    the same content under several ids is kept once (smallest id), and an id given
    twice with different texts keeps the greatest content hash; an exact repeat of a
    record keeps its first position. Only small (position, id, hash) tuples are
    shuffled, never texts, in two shuffles whose stages each run one Python step (a
    stage that runs two holds two Python workers a core, and every extra worker loads
    the model again when coding starts); the answer, usually empty, goes to the driver.
    """
    from ..store.rows import content_hash

    return set(records.filter(lambda item: item[1] is not None)
               .map(lambda item: (content_hash(item[1]["text"]), (item[1]["id"], item[0])))
               .groupByKey().flatMap(_first_of_content)
               .groupByKey().flatMap(_greatest_hash_of_id)
               .collect())


def _is_parquet_dir(path: str) -> bool:
    if "://" in path and not path.startswith("file:"):
        return False
    p = path.removeprefix("file:")
    return os.path.isdir(p) and any(name.endswith(".parquet") for _, _, files in os.walk(p) for name in files)


def _remove_staging(staging: str) -> None:
    from pyarrow import fs as pafs

    filesystem, path = output_filesystem(staging)
    if filesystem.get_file_info(path).type != pafs.FileType.NotFound:
        filesystem.delete_dir(path)


def run_spark(args: argparse.Namespace) -> int:
    import uuid

    from ..lang import get_language
    from . import run_timestamp

    get_language(args.lang)
    sc = make_context(args.master)
    lang = args.lang
    ingested_at = run_timestamp()
    bad = sc.accumulator(0)
    output = args.output.rstrip("/")
    staging = f"{output}/_staging-{uuid.uuid4().hex[:12]}"
    try:
        records = read_records(sc, list(args.inputs), lang, args.partitions)
        left_out = sc.broadcast(duplicate_positions(records))

        def keep(item) -> bool:
            position, record, reason = item
            if reason is not None:
                bad.add(1)
            return record is not None and position not in left_out.value

        # the input's own splits are coded where they are read: no shuffle of texts
        written = (records.filter(keep).map(lambda item: item[1])
                   .mapPartitionsWithIndex(lambda split, part: code_partition(split, part, lang, ingested_at,
                                                                                staging))
                   .collect())
        counts = commit(output, staging, written)
    except BaseException:
        _remove_staging(staging)
        raise
    finally:
        sc.stop()
    print(f"hechos: spark coded {counts['articles']} article(s): {counts['events']} event(s), "
          f"{counts['quotes']} quote(s) written under {args.output}; {bad.value} input record(s) skipped",
          file=sys.stderr)
    return 3 if bad.value else 0
