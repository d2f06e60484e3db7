"""Database schema, versioned, with migrations from every earlier version.

A new database is created at the latest version; an older one is migrated one step
at a time, each step in its own transaction, so a file written by any earlier
release opens in this one. `hechos db info` prints the version.
"""

from __future__ import annotations

SCHEMA_VERSION = 3

# The columns of each table, in order, with their DuckDB types. rows.py builds Arrow
# tables with exactly these columns; exports and the Spark job share them.
ARTICLE_COLUMNS: list[tuple[str, str]] = [
    ("article_id", "VARCHAR"), ("content_hash", "VARCHAR"), ("title", "VARCHAR"), ("url", "VARCHAR"),
    ("source", "VARCHAR"), ("date", "VARCHAR"), ("lang", "VARCHAR"), ("ingested_at", "TIMESTAMP"),
    ("n_sentences", "INTEGER"), ("n_events", "INTEGER"), ("n_quotes", "INTEGER"),
    # `pipeline.coder_fingerprint`: the same text coded by other code or dictionaries is
    # coded again, not skipped as unchanged
    ("coder", "VARCHAR"),
]

_ACTOR = ["text", "code", "country", "sector", "start", "end", "resolved_from"]
_ACTOR_TYPES = {"start": "INTEGER", "end": "INTEGER"}

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("event_id", "VARCHAR"), ("article_id", "VARCHAR"), ("sentence_index", "INTEGER"),
    ("sentence", "VARCHAR"), ("trigger", "VARCHAR"), ("trigger_start", "INTEGER"),
    ("trigger_end", "INTEGER"), ("cameo", "VARCHAR"), ("cameo_root", "VARCHAR"),
    ("cameo_label", "VARCHAR"), ("plover_type", "VARCHAR"), ("plover_mode", "VARCHAR"),
    ("goldstein", "DOUBLE"), ("quad_class", "INTEGER"),
    *[(f"source_{f}", _ACTOR_TYPES.get(f, "VARCHAR")) for f in _ACTOR],
    *[(f"target_{f}", _ACTOR_TYPES.get(f, "VARCHAR")) for f in _ACTOR],
    ("modality", "VARCHAR"), ("is_symmetric", "BOOLEAN"),
    ("date", "VARCHAR"), ("date_precision", "VARCHAR"), ("date_source", "VARCHAR"),
    ("date_phrase", "VARCHAR"),
    # `date` as a DATE (first day of its month or year at coarser precision; the
    # article date when the text gives none): what range filters and timelines use
    ("event_day", "DATE"),
    ("location_name", "VARCHAR"), ("location_text", "VARCHAR"), ("location_country", "VARCHAR"),
    ("location_admin1", "VARCHAR"), ("location_lat", "DOUBLE"), ("location_lon", "DOUBLE"),
    ("location_feature", "VARCHAR"), ("location_how", "VARCHAR"),
    ("mentions", "INTEGER"), ("sentence_indexes", "INTEGER[]"),
    ("confidence", "DOUBLE"), ("rule", "VARCHAR"),
]

QUOTE_COLUMNS: list[tuple[str, str]] = [
    ("quote_id", "VARCHAR"), ("article_id", "VARCHAR"), ("sentence_index", "INTEGER"),
    ("quote", "VARCHAR"), ("kind", "VARCHAR"), ("verb", "VARCHAR"),
    ("speaker_text", "VARCHAR"), ("speaker_code", "VARCHAR"), ("speaker_country", "VARCHAR"),
    ("speaker_sector", "VARCHAR"), ("speaker_resolved_from", "VARCHAR"), ("event_id", "VARCHAR"),
]

MENTION_COLUMNS: list[tuple[str, str]] = [
    ("article_id", "VARCHAR"), ("sentence_index", "INTEGER"), ("start", "INTEGER"), ("end", "INTEGER"),
    ("text", "VARCHAR"), ("code", "VARCHAR"), ("country", "VARCHAR"), ("sectors", "VARCHAR"),
    ("kind", "VARCHAR"),
]

TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": ARTICLE_COLUMNS, "events": EVENT_COLUMNS, "quotes": QUOTE_COLUMNS, "mentions": MENTION_COLUMNS,
}


def _create(table: str) -> str:
    cols = ", ".join(f'"{name}" {kind}' for name, kind in TABLES[table])
    key = ", PRIMARY KEY (article_id)" if table == "articles" else ""
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols}{key})"


# GDELT's NumMentions / NumArticles / NumSources: the same happening reported by many
# articles is one group here, and every row stays in `events` (nothing is dropped).
_GROUPS_VIEW = """
CREATE OR REPLACE VIEW event_groups AS
SELECT e.event_day, coalesce(e.source_code, '') AS source_code, coalesce(e.target_code, '') AS target_code,
       e.cameo, any_value(e.cameo_root) AS cameo_root, any_value(e.quad_class) AS quad_class,
       any_value(e.goldstein) AS goldstein,
       count(*) AS num_events, sum(e.mentions) AS num_mentions,
       count(DISTINCT e.article_id) AS num_articles,
       count(DISTINCT coalesce(a.source, '#' || e.article_id)) AS num_sources,
       min(e.event_id) AS first_event_id
FROM events e JOIN articles a USING (article_id)
WHERE e.modality IN ('asserted', 'attempted')
GROUP BY e.event_day, coalesce(e.source_code, ''), coalesce(e.target_code, ''), e.cameo
"""

_INDEXES = [
    "CREATE INDEX IF NOT EXISTS events_article ON events (article_id)",
    "CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id)",
    "CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)",
]


def _v1_to_v2() -> list[str]:
    """Version 1 had articles and events only, without dates, places, spans or counts."""
    v1_events = {"event_id", "article_id", "sentence_index", "sentence", "trigger", "cameo", "cameo_root",
                 "cameo_label", "plover_type", "plover_mode", "goldstein", "quad_class", "source_text",
                 "source_code", "source_country", "source_sector", "target_text", "target_code",
                 "target_country", "target_sector", "modality", "is_symmetric", "date", "confidence", "rule"}
    v1_articles = {"article_id", "content_hash", "title", "url", "source", "date", "lang", "ingested_at"}
    out = [f'ALTER TABLE events ADD COLUMN "{n}" {t}' for n, t in EVENT_COLUMNS if n not in v1_events]
    out += [f'ALTER TABLE articles ADD COLUMN "{n}" {t}' for n, t in ARTICLE_COLUMNS if n not in v1_articles]
    out += ["UPDATE events SET mentions = 1, sentence_indexes = [sentence_index], date_source = 'none'",
            _create("quotes"), _create("mentions")]
    return out


def _v2_to_v3() -> list[str]:
    """Version 2 did not record what coded an article: its articles are coded again."""
    return ['ALTER TABLE articles ADD COLUMN IF NOT EXISTS "coder" VARCHAR']


MIGRATIONS = {2: _v1_to_v2, 3: _v2_to_v3}


def migrate(con) -> int:
    """Create or upgrade the schema; returns the version the database is now at."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    version = row[0] if row and row[0] is not None else None
    if version is None:
        con.execute("BEGIN TRANSACTION")
        for table in TABLES:
            con.execute(_create(table))
        con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION])
        con.execute("COMMIT")
        version = SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        from ..errors import HechosError

        raise HechosError(f"database schema version {version} is newer than this hechos "
                          f"(knows up to {SCHEMA_VERSION}); upgrade hechos")
    while version < SCHEMA_VERSION:
        step = version + 1
        con.execute("BEGIN TRANSACTION")
        for statement in MIGRATIONS[step]():
            con.execute(statement)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (?)", [step])
        con.execute("COMMIT")
        version = step
    for statement in _INDEXES:
        con.execute(statement)
    con.execute(_GROUPS_VIEW)
    return version
