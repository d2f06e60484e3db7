"""`hechos spark`: code a corpus on Apache Spark and write Parquet datasets.

Input: JSON lines (the `hechos extract` record: id, text, date, title, url, source,
lang) or Parquet with those columns. Each record goes through the same checks as
`ingest.record_to_article`. Output, under OUTPUT_DIR:

    events/month=YYYY-MM/part-*.parquet     (month of event_day; month=unknown without)
    quotes/month=YYYY-MM/...                (month of the article's date)
    articles/month=YYYY-MM/...              (month of the article's date)

with exactly the columns of `store/schema.py` (the `month` partition column is in the
folder names only). Writes use dynamic partition overwrite, so a re-run replaces the
months it writes and produces the same rows; event ids are those of `hechos extract`
because every article is coded by the same `Pipeline.code_many`.
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


def code_partition(records: Iterable[dict], lang: str, ingested_at: datetime) -> Iterator[tuple[str, tuple]]:
    """(table, row tuple in schema order + month) for every row of the partition's articles."""
    from ..records import Article
    from ..store.rows import event_day, result_rows
    from ..store.schema import TABLES

    articles = (Article(id=r["id"], text=r["text"], date=r["date"], lang=r["lang"], title=r["title"],
                        url=r["url"], source=r["source"]) for r in records)
    pipeline = _executor_pipeline(lang)
    for result in pipeline.code_many(articles):
        rows = result_rows(result, ingested_at, with_mentions=False)
        article_month = month_of(event_day(None, result.article.date))
        for table in OUTPUT_TABLES:
            for row in rows[table]:
                month = month_of(row["event_day"]) if table == "events" else article_month
                # Spark does not widen an int into a DOUBLE column: make floats here
                yield table, (*(float(row[c]) if k == "DOUBLE" and row[c] is not None else row[c]
                                for c, k in TABLES[table]), month)


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


def spark_type(kind: str):
    from pyspark.sql import types as T

    simple = {"VARCHAR": T.StringType(), "INTEGER": T.IntegerType(), "DOUBLE": T.DoubleType(),
              "BOOLEAN": T.BooleanType(), "DATE": T.DateType(), "TIMESTAMP": T.TimestampNTZType(),
              "INTEGER[]": T.ArrayType(T.IntegerType())}
    return simple[kind]


def spark_schema(table: str):
    from pyspark.sql import types as T

    from ..store.schema import TABLES

    return T.StructType([T.StructField(c, spark_type(k)) for c, k in TABLES[table]]
                        + [T.StructField("month", T.StringType(), False)])


_ARTICLE_INPUT = ("id", "text", "date", "title", "url", "source", "lang")


def make_session(master: str | None, partitions: int | None):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    shuffle = partitions or 8
    builder = (SparkSession.builder.appName("hechos")
               .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
               .config("spark.sql.shuffle.partitions", str(shuffle))
               .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.python.worker.reuse", "true")
               .config("spark.ui.showConsoleProgress", "false"))
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") and "--master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]").config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def read_records(spark, inputs: list[str], lang: str, bad):
    """Checked article records (RDD of dicts) from JSON lines and Parquet inputs."""
    parquet = [p for p in inputs if p.rstrip("/").endswith(".parquet") or _is_parquet_dir(p)]
    jsonl = [p for p in inputs if p not in parquet]
    rdds = []
    if jsonl:
        lines = spark.sparkContext.textFile(",".join(jsonl))
        rdds.append(lines.map(lambda line: _parse_json_line(line, lang)))
    if parquet:
        df = spark.read.parquet(*parquet)
        cols = [c for c in RECORD_FIELDS if c in df.columns]
        if "id" not in cols or "text" not in cols:
            raise HechosError(f"Parquet input needs 'id' and 'text' columns, has {', '.join(df.columns)}")
        rdds.append(df.select(*cols).rdd.map(lambda row: _check(row.asDict(), "parquet", lang)))
    checked = rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)

    def keep(item) -> bool:
        record, reason = item
        if reason is not None:
            bad.add(1)
        return record is not None

    return checked.filter(keep).map(lambda item: item[0])


def _is_parquet_dir(path: str) -> bool:
    if "://" in path and not path.startswith("file:"):
        return False
    p = path.removeprefix("file:")
    return os.path.isdir(p) and any(name.endswith(".parquet") for _, _, files in os.walk(p) for name in files)


def run_spark(args: argparse.Namespace) -> int:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
    from pyspark.sql.window import Window

    from ..lang import get_language
    from . import run_timestamp

    get_language(args.lang)
    spark = make_session(args.master, args.partitions)
    lang = args.lang
    ingested_at = run_timestamp()
    bad = spark.sparkContext.accumulator(0)
    try:
        records = read_records(spark, list(args.inputs), lang, bad)
        schema = T.StructType([T.StructField(c, T.StringType()) for c in _ARTICLE_INPUT])
        df = spark.createDataFrame(records.map(lambda r: tuple(r[c] for c in _ARTICLE_INPUT)), schema)
        # EventStore's rules, made order-free: the same content under several ids is kept
        # once (smallest id); an id given twice with different texts keeps the greatest hash
        df = df.withColumn("_hash", F.sha2(F.col("text"), 256))
        by_hash = Window.partitionBy("_hash").orderBy("id")
        by_id = Window.partitionBy("id").orderBy(F.col("_hash").desc())
        df = (df.withColumn("_n", F.row_number().over(by_hash)).where("_n = 1")
                .withColumn("_n", F.row_number().over(by_id)).where("_n = 1").drop("_n", "_hash"))
        partitions = args.partitions or spark.sparkContext.defaultParallelism
        df = df.repartition(partitions, "id").sortWithinPartitions("id")
        coded = df.rdd.map(lambda row: row.asDict()).mapPartitions(
            lambda part: code_partition(part, lang, ingested_at)).persist(StorageLevel.MEMORY_AND_DISK)
        counts = {}
        for table in OUTPUT_TABLES:
            rows = coded.filter(lambda item, t=table: item[0] == t).map(lambda item: item[1])
            out = spark.createDataFrame(rows, spark_schema(table), verifySchema=False)
            key = {"articles": ["article_id"], "events": ["article_id", "event_id"],
                   "quotes": ["article_id", "quote_id"]}[table]
            (out.repartition("month").sortWithinPartitions(*key)
                .write.mode("overwrite").partitionBy("month").parquet(os.path.join(args.output, table)))
            counts[table] = coded.filter(lambda item, t=table: item[0] == t).count()
        coded.unpersist()
    finally:
        spark.stop()
    print(f"hechos: spark coded {counts['articles']} article(s): {counts['events']} event(s), "
          f"{counts['quotes']} quote(s) written under {args.output}; {bad.value} input record(s) skipped",
          file=sys.stderr)
    return 3 if bad.value else 0
