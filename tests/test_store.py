"""The DuckDB store: schema, migration from version 1, idempotent ingestion."""

from __future__ import annotations

import duckdb
import pytest

from hechos.records import Article
from hechos.store import SCHEMA_VERSION, EventStore, content_hash, open_database
from hechos.store.schema import ARTICLE_COLUMNS

TEXT = ("El Ejército de Colombia atacó un campamento del ELN en el Cauca. "
        "El presidente Gustavo Petro condenó el atentado.")


@pytest.fixture(scope="module")
def result(pipeline):
    return pipeline.code(Article(id="a1", text=TEXT, date="2024-06-05", source="EFE"))


def counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "mentions")}
    finally:
        con.close()


def test_same_article_twice_writes_nothing_new(tmp_path, result):
    db = tmp_path / "x.duckdb"
    with EventStore(db) as store:
        store.add(result)
    first = counts(db)
    assert first["articles"] == 1 and first["events"] == len(result.events) > 0
    assert first["mentions"] == sum(len(m) for m in result.mentions)
    with EventStore(db) as store:
        store.add(result)
    assert counts(db) == first
    assert store.articles_unchanged == 1 and store.articles_written == 0


def test_same_content_under_another_id_is_a_duplicate(tmp_path, result, pipeline):
    db = tmp_path / "x.duckdb"
    copy = pipeline.code(Article(id="a1-copy", text=TEXT, date="2024-06-05"))
    with EventStore(db) as store:
        store.add(result)
    with EventStore(db) as store:
        store.add(copy)
    assert counts(db)["articles"] == 1
    assert store.duplicates_skipped == 1


def test_same_text_coded_by_other_dictionaries_is_coded_again(tmp_path, result):
    from dataclasses import replace

    from hechos.pipeline import coder_fingerprint

    assert result.coder == coder_fingerprint("es") and len(result.coder) == 16
    db = tmp_path / "x.duckdb"
    stale = replace(result, events=result.events[:1], coder="0" * 16)  # as an older release coded it
    with EventStore(db) as store:
        store.add(stale)
    assert counts(db)["events"] == 1
    with EventStore(db) as store:
        store.add(result)
    assert store.articles_unchanged == 0 and store.articles_written == 1
    assert counts(db)["events"] == len(result.events) > 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT coder FROM articles").fetchall() == [(result.coder,)]
    con.close()


def test_changed_article_replaces_its_rows(tmp_path, result, pipeline):
    db = tmp_path / "x.duckdb"
    with EventStore(db) as store:
        store.add(result)
    changed = pipeline.code(Article(id="a1", text="Rusia atacó Ucrania.", date="2024-06-05"))
    with EventStore(db) as store:
        store.add(changed)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT cameo, source_code, target_code FROM events").fetchall()
    con.close()
    assert rows == [("190", "RUS", "UKR")]


def test_event_columns_carry_spans(tmp_path, result):
    db = tmp_path / "x.duckdb"
    with EventStore(db) as store:
        store.add(result)
    con = duckdb.connect(str(db), read_only=True)
    sentence, start, end, trigger = con.execute(
        "SELECT sentence, trigger_start, trigger_end, trigger FROM events ORDER BY sentence_index LIMIT 1").fetchone()
    src = con.execute("SELECT sentence, source_start, source_end, source_text FROM events "
                      "WHERE source_text IS NOT NULL LIMIT 1").fetchone()
    con.close()
    assert sentence[start:end] == trigger.split()[0]
    assert src[0][src[1]:src[2]] == src[3]


def test_version_1_database_is_migrated(tmp_path, result):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    con.execute("""CREATE TABLE articles (article_id VARCHAR PRIMARY KEY, content_hash VARCHAR, title VARCHAR,
        url VARCHAR, source VARCHAR, date VARCHAR, lang VARCHAR, ingested_at TIMESTAMP)""")
    con.execute("""CREATE TABLE events (event_id VARCHAR, article_id VARCHAR, sentence_index INTEGER,
        sentence VARCHAR, trigger VARCHAR, cameo VARCHAR, cameo_root VARCHAR, cameo_label VARCHAR,
        plover_type VARCHAR, plover_mode VARCHAR, goldstein DOUBLE, quad_class INTEGER,
        source_text VARCHAR, source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR,
        target_text VARCHAR, target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        modality VARCHAR, is_symmetric BOOLEAN, date VARCHAR, confidence DOUBLE, rule VARCHAR)""")
    con.execute("INSERT INTO articles VALUES ('old', 'h', NULL, NULL, NULL, '2020-01-01', 'es', NULL)")
    con.execute("INSERT INTO events (event_id, article_id, sentence_index, cameo) VALUES ('e', 'old', 2, '190')")
    con.close()
    with EventStore(db) as store:
        store.add(result)
    con = open_database(db, read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT mentions, sentence_indexes FROM events WHERE event_id = 'e'").fetchone() == (1, [2])
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    con.close()


def test_version_2_database_gains_the_coder_column(tmp_path, result):
    db = tmp_path / "v2.duckdb"
    con = open_database(db)
    columns = ", ".join(f'"{n}" {t}' for n, t in ARTICLE_COLUMNS if n != "coder")
    con.execute("DROP TABLE articles")
    con.execute(f"CREATE TABLE articles ({columns}, PRIMARY KEY (article_id))")
    con.execute("INSERT INTO articles (article_id, content_hash) VALUES ('a1', ?)", [content_hash(TEXT)])
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version VALUES (2)")
    con.close()
    with EventStore(db) as store:
        store.add(result)  # the same text, but nothing says what coded it: coded again
    assert store.articles_written == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT coder FROM articles").fetchall() == [(result.coder,)]
    con.close()


def test_newer_schema_is_refused(tmp_path):
    from hechos.errors import HechosError

    db = tmp_path / "new.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute(f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION + 1})")
    con.close()
    with pytest.raises(HechosError, match="newer"):
        EventStore(db)


def test_quotes_dates_and_places_are_stored(tmp_path, pipeline):
    text = ("BOGOTÁ, 5 jun (EFE) – El presidente de Colombia, Gustavo Petro, condenó ayer en Cali el ataque "
            "del ELN. «No habrá impunidad», dijo el mandatario.")
    result = pipeline.code(Article(id="q1", text=text, date="2024-06-05"))
    db = tmp_path / "x.duckdb"
    with EventStore(db) as store:
        store.add(result)
    con = duckdb.connect(str(db), read_only=True)
    quotes = con.execute("SELECT quote, speaker_code, verb FROM quotes").fetchall()
    event = con.execute("SELECT date, date_source, event_day, location_name, location_country "
                        "FROM events WHERE cameo_root = '11'").fetchone()
    con.close()
    assert ("No habrá impunidad", "COLGOV", "dijo") in quotes
    assert event[0] == "2024-06-04" and event[1] == "text" and str(event[2]) == "2024-06-04"
    assert event[3] == "Cali" and event[4] == "COL"
