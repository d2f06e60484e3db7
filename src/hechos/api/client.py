"""Writing to a database that a running `hechos serve` holds.

While the server has the DuckDB file open, no other process can open it; coded
results go to the server instead, which writes them with the same transaction as the
local store:

    url = find_server("hechos.duckdb")
    store = RemoteStore(url) if url else EventStore("hechos.duckdb")
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..errors import HechosError
from ..records import ArticleResult
from ..store.rows import result_rows
from .wire import rows_to_json


def discovery_path(db_path: str | Path) -> Path:
    """Where a server announces itself for the database at `db_path`."""
    return Path(str(Path(db_path).resolve()) + ".serve.json")


def find_server(db_path: str | Path, timeout: float = 2.0) -> str | None:
    """The URL of the live server holding `db_path`, or None (no file, stale file, other db)."""
    import httpx

    path = discovery_path(db_path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        url = str(info["url"]).rstrip("/")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        reply = httpx.get(f"{url}/health", timeout=timeout)
        health = reply.json()
    except (httpx.HTTPError, ValueError):
        return None
    if reply.status_code != 200 or health.get("db") != str(Path(db_path).resolve()):
        return None
    return url


class RemoteStore:
    """EventStore's interface (add, flush, close, counters) over POST /ingest."""

    def __init__(self, url: str, batch_articles: int = 200, with_mentions: bool = True,
                 timeout: float = 120.0):
        import httpx

        self.url = url.rstrip("/")
        self.path = self.url
        self.batch_articles = batch_articles
        self.with_mentions = with_mentions
        self._http = httpx.Client(base_url=self.url, timeout=timeout)
        self._pending: list[dict] = []
        self.articles_written = 0
        self.events_written = 0
        self.articles_unchanged = 0
        self.duplicates_skipped = 0

    def add(self, result: ArticleResult) -> None:
        rows = result_rows(result, datetime.now(UTC).replace(tzinfo=None), self.with_mentions)
        self._pending.append(rows_to_json(rows))
        if len(self._pending) >= self.batch_articles:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        import httpx

        try:
            reply = self._http.post("/ingest", json={"results": self._pending})
        except httpx.HTTPError as exc:
            raise HechosError(f"server {self.url} did not take the batch: {exc}") from exc
        if reply.status_code != 200:
            try:
                message = reply.json().get("error", reply.text)
            except ValueError:
                message = reply.text
            raise HechosError(f"server {self.url} refused the batch ({reply.status_code}): {message}")
        counts = reply.json()
        self.articles_written += counts["articles_written"]
        self.events_written += counts["events_written"]
        self.articles_unchanged += counts["articles_unchanged"]
        self.duplicates_skipped += counts["duplicates_skipped"]
        self._pending = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._http.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
