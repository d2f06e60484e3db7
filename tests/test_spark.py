from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from hechos.ingest.sources import read_all
from hechos.scale import run_timestamp
from hechos.scale.spark import run_spark
from hechos.store import EventStore
from hechos.store.schema import TABLES
from tests.test_batch import ARTICLES

EXTRA = [
    ("tr1", "2023-11-30", "Turquía bombardeó posiciones de las milicias kurdas en el norte de Siria."),
    ("il1", "2023-11-02", "El ministro de Defensa israelí amenazó con represalias a Hamás."),
    ("sy1", None, "La ONU pidió ayuda humanitaria para los refugiados sirios."),
]


def records() -> list[dict]:
    return [{"id": i, "text": t, "date": d, "title": f"Nota {i}", "url": f"https://diario.example/{i}",
             "source": "Diario", "lang": "es"} for i, d, t in ARTICLES + EXTRA]


def read_dataset(folder: Path, table: str) -> list[tuple]:
    if not any((folder / table).glob("*/*.parquet")):
        return []  # Spark writes no file for an empty table
    cols = ", ".join(f'"{c}"' for c, _ in TABLES[table])
    con = duckdb.connect()
    rows = con.execute(f"SELECT {cols}, month FROM read_parquet('{folder / table}/*/*.parquet', "
                       f"hive_partitioning = true)").fetchall()
    return sorted(rows, key=repr)


def spark_args(inputs: list[Path], out: Path) -> argparse.Namespace:
    return argparse.Namespace(inputs=[str(i) for i in inputs], output=str(out), master="local[2]", lang="es",
                              partitions=2)


def test_spark_matches_extract_and_reruns_identically(tmp_path, pipeline, monkeypatch):
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records()]
    lines.insert(3, "{no es json")
    # an exact repeat, and the same content under another id: each coded once
    copy = dict(records()[1], id="zz-copia")
    lines += [lines[0], json.dumps(copy, ensure_ascii=False)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_spark(spark_args([src], out)) == 3  # one bad line, skipped and counted
    assert sorted(p.name for p in out.iterdir()) == ["articles", "events", "quotes"]  # no staging left

    # the same articles through the EventStore path of `hechos extract`
    db = tmp_path / "x.duckdb"
    with EventStore(db) as store:
        for result in pipeline.code_many(read_all([str(src)], on_error=lambda e: None)):
            store.add(result)
    con = duckdb.connect(str(db), read_only=True)
    expected = {}
    for table in ("articles", "events", "quotes"):
        cols = ", ".join(f'"{c}"' for c, _ in TABLES[table])
        # the store's rows get their own ingestion time: compare the rest, and the month
        expected[table] = sorted(con.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
    con.close()
    events = read_dataset(out, "events")
    assert len(events) >= len(records()) - 2
    without_month = sorted((r[:-1] for r in events), key=repr)
    assert without_month == expected["events"]
    assert {r[0] for r in events} == {r[0] for r in expected["events"]}  # event ids
    day = [c for c, _ in TABLES["events"]].index("event_day")
    assert all(r[-1] == (r[day].isoformat()[:7] if r[day] else "unknown") for r in events)
    arts = read_dataset(out, "articles")
    stamp = [c for c, _ in TABLES["articles"]].index("ingested_at")
    assert {r[stamp] for r in arts} == {run_timestamp()}
    strip = lambda rows: sorted((r[:stamp] + r[stamp + 1:] for r in rows), key=repr)  # noqa: E731
    assert strip([r[:-1] for r in arts]) == strip(expected["articles"])
    assert {(r[0], r[-1]) for r in arts} >= {("sy1", "unknown"), ("tr1", "2023-11")}
    assert sorted(r[:-1] for r in read_dataset(out, "quotes")) == sorted(expected["quotes"])

    # rerun from Parquet input with the same records: the months are overwritten (their
    # file count follows the input's partitions), no stale row is left, the rows are identical
    months_before = {p.relative_to(out).parent for p in out.rglob("*.parquet")}
    pq_in = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records()), pq_in)
    assert run_spark(spark_args([pq_in], out)) == 0
    assert read_dataset(out, "events") == events
    assert read_dataset(out, "articles") == arts
    assert {p.relative_to(out).parent for p in out.rglob("*.parquet")} == months_before


def test_duplicate_rules_are_order_free():
    from itertools import groupby, permutations

    from hechos.scale.spark import _first_of_content, _greatest_hash_of_id

    def left_out(records):  # (position, id, hash) → positions, grouped as Spark's groupByKey would
        def group(pairs):
            pairs = sorted(pairs, key=lambda kv: kv[0])
            return [(k, [v for _, v in g]) for k, g in groupby(pairs, key=lambda kv: kv[0])]
        marked = [m for g in group((h, (i, p)) for p, i, h in records) for m in _first_of_content(g)]
        return {p for g in group(marked) for p in _greatest_hash_of_id(g)}

    records = [(1, "b", "h1"),  # the same content as "a": "a" is the smaller id
               (2, "a", "h1"),
               (3, "a", "h1"),  # an exact repeat of position 2
               (4, "c", "h2"),  # "c" twice with different texts: the greater hash wins
               (5, "c", "h3"),
               (6, "d", "h4")]
    for order in permutations(records):
        assert left_out(order) == {1, 3, 4}
