"""The embedded event database (DuckDB), written in Arrow batches.

    with EventStore("hechos.duckdb") as store:
        for result in pipeline.code_many(articles):
            store.add(result)

Ingestion is idempotent: an article already stored with the same content and coded by
the same code and dictionaries (`content_key`: content hash and coder fingerprint) is
skipped; a changed article (same id, new content, or coded again after a dictionary
change) replaces all its old rows in the same transaction that writes the new ones.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..records import ArticleResult
from .rows import CONTENT_KEY_SQL, content_hash, content_key, result_rows, to_arrow
from .schema import SCHEMA_VERSION, TABLES, migrate

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "EventStore", "content_hash", "content_key", "dumps_event",
           "open_database", "write_tables"]

DEFAULT_DB = "hechos.duckdb"


def open_database(path: str | Path, read_only: bool = False):
    """A DuckDB connection with the schema created or migrated (read-write only)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


class EventStore:
    """Buffer results and write them to DuckDB in batches, one transaction a batch."""

    def __init__(self, path: str | Path = DEFAULT_DB, batch_articles: int = 500, con=None,
                 with_mentions: bool = True):
        self.path = str(path)
        self._owns_connection = con is None
        self.con = open_database(self.path) if con is None else con
        if con is not None:
            migrate(con)
        self.batch_articles = batch_articles
        self.with_mentions = with_mentions
        self._pending: dict[str, list[dict]] = {t: [] for t in TABLES}
        self._pending_ids: dict[str, str] = {}  # article id → content key, in this batch
        self.articles_written = 0
        self.events_written = 0
        self.articles_unchanged = 0  # same id and content as already stored: skipped
        self.duplicates_skipped = 0  # same content under another id: skipped

    def add(self, result: ArticleResult) -> None:
        self.add_rows(result_rows(result, datetime.now(UTC).replace(tzinfo=None), self.with_mentions))

    def add_rows(self, rows: dict[str, list[dict]]) -> None:
        """One article's rows (as `rows.result_rows` makes them): what the server's
        /ingest and the batch workers hand over."""
        article = rows["articles"][0]
        key = content_key(article["content_hash"], article.get("coder"))
        if key in self._pending_ids.values() and article["article_id"] not in self._pending_ids:
            self.duplicates_skipped += 1
            return
        if article["article_id"] in self._pending_ids:  # the same id twice in a batch: last wins
            self._drop_pending(article["article_id"])
        self._pending_ids[article["article_id"]] = key
        for table, table_rows in rows.items():
            if table == "mentions" and not self.with_mentions:
                continue
            self._pending[table].extend(table_rows)
        if len(self._pending_ids) >= self.batch_articles:
            self.flush()

    def _drop_pending(self, article_id: str) -> None:
        for table in TABLES:
            self._pending[table] = [r for r in self._pending[table] if r["article_id"] != article_id]

    def stored_keys(self, article_ids: list[str] | None = None) -> dict[str, str]:
        """article id → content key (`content_key`) of what is stored (all articles, or
        those given)."""
        if article_ids is None:
            rows = self.con.execute(f"SELECT article_id, {CONTENT_KEY_SQL} FROM articles").fetchall()
        else:
            rows = self._joined("article_id", article_ids, f"SELECT a.article_id, {CONTENT_KEY_SQL} FROM articles a "
                                                           "JOIN wanted USING (article_id)")
        return dict(rows)

    def flush(self) -> None:
        if not self._pending_ids:
            return
        con = self.con
        ids = list(self._pending_ids)
        stored = self.stored_keys(ids)
        stored_by_key = self.stored_ids_for_keys(list(self._pending_ids.values()))
        skip = set()
        for article_id, key in self._pending_ids.items():
            if stored.get(article_id) == key:
                skip.add(article_id)
                self.articles_unchanged += 1
            elif stored_by_key.get(key, article_id) != article_id:
                skip.add(article_id)
                self.duplicates_skipped += 1
        tables = {t: to_arrow(t, [r for r in rows if r["article_id"] not in skip])
                  for t, rows in self._pending.items()}
        n_articles = tables["articles"].num_rows
        write_tables(con, tables)
        self.articles_written += n_articles
        self.events_written += tables["events"].num_rows
        self._pending = {t: [] for t in TABLES}
        self._pending_ids = {}

    def stored_ids_for_keys(self, keys: list[str]) -> dict[str, str]:
        """content key → the (smallest) article id stored with that content and coder."""
        return dict(self._joined("content_key", keys, f"SELECT a.content_key, min(a.article_id) FROM "
                                                      f"(SELECT article_id, {CONTENT_KEY_SQL} AS content_key "
                                                      f"FROM articles) a JOIN wanted USING (content_key) GROUP BY 1"))

    def _joined(self, column: str, values: list[str], query: str) -> list[tuple]:
        """Rows of `query`, which joins the table `wanted` (one string column `column`
        holding `values`) registered for the time of the query."""
        import pyarrow as pa

        self.con.register("wanted", pa.table({column: pa.array(values, pa.string())}))
        try:
            return self.con.execute(query).fetchall()
        finally:
            self.con.unregister("wanted")

    def close(self) -> None:
        self.flush()
        if self._owns_connection:
            self.con.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_tables(con, tables: dict) -> None:
    """Replace the rows of the articles in `tables["articles"]` with `tables`, in one
    transaction (a reader never sees an article half written)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table, data in tables.items():
            con.register(f"new_{table}", data)
        for table in TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM new_articles)")
        for table in TABLES:
            cols = ", ".join(f'"{c}"' for c, _ in TABLES[table])
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM new_{table}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for table in TABLES:
            con.unregister(f"new_{table}")


def dumps_event(record: dict) -> str:
    """One JSON line, stable key order and formatting (byte-identical reruns)."""
    return json.dumps(record, ensure_ascii=False)
