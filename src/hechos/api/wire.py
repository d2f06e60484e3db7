"""The /ingest wire format: `result_rows` output as JSON, and the store that writes it.

A coded article travels as the exact rows the local store would write
({"articles": [...], "events": [...], "quotes": [...], "mentions": [...]}), with DATE
and TIMESTAMP values as ISO strings, so the server and `hechos extract --db` write
byte-for-byte the same rows with the same delete+insert transaction.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from functools import cache

from ..store.schema import TABLES


class WireError(ValueError):
    """A posted batch that does not match the tables' columns or types."""


def rows_to_json(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {table: [{k: _jsonable(v) for k, v in row.items()} for row in table_rows]
            for table, table_rows in rows.items()}


def _jsonable(value):
    if isinstance(value, datetime | Date):
        return value.isoformat()
    return value


@cache
def _types() -> dict[str, dict[str, str]]:
    return {table: dict(columns) for table, columns in TABLES.items()}


_SCALAR = {"VARCHAR": (str,), "INTEGER": (int,), "DOUBLE": (int, float), "BOOLEAN": (bool,)}


def rows_from_json(data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Check one article's rows against the schema and turn ISO strings back into dates."""
    types = _types()
    unknown = set(data) - set(types)
    if unknown:
        raise WireError(f"unknown tables: {', '.join(sorted(unknown))}")
    articles = data.get("articles") or []
    if len(articles) != 1:
        raise WireError("each result needs exactly one article row")
    article_id = articles[0].get("article_id")
    if not isinstance(article_id, str) or not article_id:
        raise WireError("article row without article_id")
    if not isinstance(articles[0].get("content_hash"), str):
        raise WireError(f"article {article_id!r}: content_hash is required")
    out: dict[str, list[dict]] = {t: [] for t in types}
    for table, table_rows in data.items():
        columns = types[table]
        if not isinstance(table_rows, list):
            raise WireError(f"{table}: a list of rows is expected")
        for n, row in enumerate(table_rows):
            if not isinstance(row, dict):
                raise WireError(f"{table}[{n}]: an object is expected")
            extra = set(row) - set(columns)
            if extra:
                raise WireError(f"{table}[{n}]: unknown columns {', '.join(sorted(extra))}")
            if row.get("article_id") != article_id:
                raise WireError(f"{table}[{n}]: article_id differs from the article's")
            out[table].append({c: _value(table, n, c, kind, row.get(c)) for c, kind in columns.items()})
    return out


def _value(table: str, n: int, column: str, kind: str, value):
    if value is None:
        return None
    try:
        if kind == "DATE":
            return Date.fromisoformat(value)
        if kind == "TIMESTAMP":
            return datetime.fromisoformat(value)
        if kind == "INTEGER[]":
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise TypeError
            return list(value)
        ok = _SCALAR[kind]
        if not isinstance(value, ok) or (kind in ("INTEGER", "DOUBLE") and isinstance(value, bool)):
            raise TypeError
        return float(value) if kind == "DOUBLE" else value
    except (TypeError, ValueError) as exc:
        raise WireError(f"{table}[{n}].{column}: expected {kind}, got {value!r}") from exc

