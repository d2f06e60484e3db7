"""`hechos export`: Parquet, CSV, GDELT 1.0 and PLOVER JSON lines from a database of real coded articles."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from hechos.cli import main
from hechos.datafile import load_entries
from hechos.records import Article, Quote
from hechos.store import EventStore
from hechos.store.export import GDELT_COLUMNS, fips_codes, open_for_export, write_parquet_dataset
from hechos.store.export import export as export_to
from hechos.store.schema import EVENT_COLUMNS

ARTICLES = [
    Article(id="a1", text="Rusia atacó Ucrania.", date="2024-06-05", url="https://efe.example/a1", source="EFE"),
    # the same attack reported by another outlet the same day: one ICEWS-style record
    Article(id="a2", text="Rusia atacó Ucrania. El presidente Gustavo Petro condenó el atentado.",
            date="2024-06-05", url="https://elpais.example/a2", source="El País"),
    Article(id="a3", text="Estados Unidos no atacó a Irán.", date="2024-07-10", url="https://x.example/a3",
            source="EFE"),
    Article(id="a4", text="La ONU condenó a Israel.", date="2024-07-11", url="https://x.example/a4",
            source="Clarín"),
    Article(id="a6", text="Miles de personas protestaron en Caracas.", date="2024-07-12",
            url="https://x.example/a6", source="El Nacional"),
    # no date anywhere: its events belong to month=unknown
    Article(id="a5", text="El Ejército de Colombia atacó un campamento del ELN.", url="https://x.example/a5",
            source="El Tiempo"),
]


@pytest.fixture(scope="module")
def db(pipeline, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "events.duckdb"
    with EventStore(path) as store:
        for article in ARTICLES:
            result = pipeline.code(article)
            if article.id == "a2":
                # a quote written through the real records → rows path, so the quotes
                # dataset is exercised whatever the quotes stage finds
                attack = next(e for e in result.events if e.cameo_root == "19")
                result.quotes.append(Quote(article_id="a2", sentence_index=0, quote="No vamos a detenernos",
                                           speaker=attack.source, verb="declaró", event_id=attack.event_id,
                                           quote_id="q-a2"))
            store.add(result)
    return path


def sql(db: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def export(db: Path, fmt: str, out: Path, *extra: str) -> Path:
    assert main(["export", "--db", str(db), "--format", fmt, *extra, str(out)]) == 0
    return out


def gdelt_rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == len(GDELT_COLUMNS) for r in rows)
    return [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in rows]


def test_gdelt_has_the_58_gdelt_columns_in_order():
    assert len(GDELT_COLUMNS) == 58
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_row_of_a_known_event(db, tmp_path):
    rows = gdelt_rows(export(db, "gdelt", tmp_path / "events.tsv"))
    attack = next(r for r in rows if r["SOURCEURL"] == "https://efe.example/a1")
    assert attack["EventRootCode"] == "19" and attack["EventBaseCode"] == attack["EventCode"][:3]
    assert attack["Actor1Code"] == "RUS" and attack["Actor1CountryCode"] == "RUS"
    assert attack["Actor2CountryCode"] == "UKR" and attack["Actor1Name"] == "RUSIA"
    assert (attack["SQLDATE"], attack["MonthYear"], attack["Year"]) == ("20240605", "202406", "2024")
    assert attack["FractionDate"] == "2024.4247"  # 2024 + (5 * 30 + 5) / 365
    assert attack["QuadClass"] == "4" and float(attack["GoldsteinScale"]) < -5
    assert attack["IsRootEvent"] == "1" and attack["NumArticles"] == "1"
    # "atacó Ucrania": a country-level place, in FIPS 10-4 (Ukraine is UP, not UKR)
    assert (attack["ActionGeo_Type"], attack["ActionGeo_CountryCode"], attack["ActionGeo_FullName"]) == (
        "1", "UP", "Ukraine")
    assert attack["ActionGeo_FeatureID"] == "UP" and attack["Actor1Geo_Type"] == "0"
    assert int(attack["GLOBALEVENTID"]) > 0 and len(attack["DATEADDED"]) == 8
    # ids are stable integers, one per event
    assert len({r["GLOBALEVENTID"] for r in rows}) == len(rows)


def test_gdelt_places_groups_and_default_modality(db, tmp_path):
    rows = gdelt_rows(export(db, "gdelt", tmp_path / "events.tsv"))
    placed = next(r for r in rows if r["SOURCEURL"] == "https://x.example/a6")  # "protestaron en Caracas"
    assert placed["ActionGeo_Type"] == "4"  # a city outside the United States
    assert placed["ActionGeo_CountryCode"] == "VE" and placed["ActionGeo_FullName"] == "Caracas, Venezuela"
    lat, lon = sql(db, "SELECT location_lat, location_lon FROM events WHERE article_id = 'a6'")[0]
    assert (placed["ActionGeo_Lat"], placed["ActionGeo_Long"]) == (str(round(lat, 4)), str(round(lon, 4)))
    assert placed["ActionGeo_FeatureID"] == ""
    un = next(r for r in rows if r["SOURCEURL"] == "https://x.example/a4")
    assert un["Actor1Code"] == "IGOUNO" and un["Actor1CountryCode"] == ""
    assert un["Actor1KnownGroupCode"] == "UNO" and un["Actor1Type1Code"] == "IGO"
    assert un["Actor2CountryCode"] == "ISR"
    # "no atacó" is negated: not in GDELT unless asked for
    assert not any(r["SOURCEURL"] == "https://x.example/a3" for r in rows)
    everything = gdelt_rows(export(db, "gdelt", tmp_path / "all.tsv", "--where", "true"))
    assert len(everything) == sql(db, "SELECT count(*) FROM events")[0][0] == len(rows) + 1


def test_gdelt_is_byte_identical_on_rerun(db, tmp_path):
    first = export(db, "gdelt", tmp_path / "1.tsv").read_bytes()
    assert first == export(db, "gdelt", tmp_path / "2.tsv").read_bytes()


def test_one_a_day_merges_two_articles_and_keeps_the_counts(db, tmp_path):
    rows = gdelt_rows(export(db, "gdelt", tmp_path / "daily.tsv", "--one-a-day"))
    attacks = [r for r in rows if (r["Actor1Code"], r["Actor2Code"], r["SQLDATE"]) == ("RUS", "UKR", "20240605")]
    assert len(attacks) == 1
    assert (attacks[0]["NumArticles"], attacks[0]["NumSources"], attacks[0]["NumMentions"]) == ("2", "2", "2")
    # nothing silently dropped: the counts carry every event that happened
    happened = sql(db, "SELECT count(*), sum(mentions) FROM events WHERE modality IN ('asserted', 'attempted')")[0]
    assert sum(int(r["NumMentions"]) for r in rows) == happened[1]
    assert len(rows) == happened[0] - 1
    with open(export(db, "csv", tmp_path / "daily.csv", "--one-a-day"), encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    assert sum(int(r["num_events"]) for r in records) == happened[0]


def test_parquet_dataset_is_partitioned_by_month(db, tmp_path):
    out = export(db, "parquet", tmp_path / "ds")
    months = sorted(p.name for p in (out / "events").iterdir())
    assert months == ["month=2024-06", "month=2024-07", "month=unknown"]
    assert all([f.name for f in (out / "events" / m).iterdir()] == ["part-0.parquet"] for m in months)
    con = duckdb.connect()
    for table in ("events", "quotes", "articles"):
        n = con.execute(f"SELECT count(*) FROM read_parquet('{out}/{table}/*/*.parquet')").fetchall()[0][0]
        assert n == sql(db, f"SELECT count(*) FROM {table}")[0][0], table
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/events/*/*.parquet', "
                                                  "hive_partitioning = false)").fetchall()]
    assert columns == [name for name, _ in EVENT_COLUMNS]
    by_month = dict(con.execute(f"SELECT month, count(*) FROM read_parquet('{out}/events/*/*.parquet', "
                                "hive_partitioning = true) GROUP BY month").fetchall())
    assert by_month["unknown"] == sql(db, "SELECT count(*) FROM events WHERE event_day IS NULL")[0][0] > 0
    # the quote goes with its event's month; rows in event_id order within a partition
    quote_month = con.execute(f"SELECT month FROM read_parquet('{out}/quotes/*/*.parquet', hive_partitioning = true) "
                              "WHERE quote_id = 'q-a2'").fetchall()
    assert quote_month == [("2024-06",)]
    ids = [r[0] for r in con.execute(f"SELECT event_id FROM read_parquet('{out}/events/month=2024-06/*.parquet')")
           .fetchall()]
    assert ids == sorted(ids) and len(ids) >= 3
    again = export(db, "parquet", tmp_path / "ds2")
    assert all((out / f.relative_to(again)).read_bytes() == f.read_bytes() for f in again.rglob("*.parquet"))


def test_csv_has_the_events_columns_and_json_lists(db, tmp_path):
    with open(export(db, "csv", tmp_path / "events.csv"), encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        records = list(reader)
    assert reader.fieldnames == [name for name, _ in EVENT_COLUMNS]
    assert len(records) == sql(db, "SELECT count(*) FROM events")[0][0]
    attack = next(r for r in records if r["article_id"] == "a1")
    assert json.loads(attack["sentence_indexes"]) == [0] and attack["source_code"] == "RUS"


def test_where_selects_rows(db, tmp_path):
    with open(export(db, "csv", tmp_path / "force.csv", "--where", "cameo_root = '19'"), encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    assert {r["cameo_root"] for r in records} == {"19"}
    assert len(records) == sql(db, "SELECT count(*) FROM events WHERE cameo_root = '19'")[0][0] >= 3
    out = export(db, "parquet", tmp_path / "ds", "--where", "cameo_root = '11'")
    articles = duckdb.connect().execute(f"SELECT article_id FROM read_parquet('{out}/articles/*/*.parquet') "
                                        "ORDER BY 1").fetchall()
    assert articles == [("a2",), ("a4",)]  # only the articles of the selected events


def test_plover_jsonl_fields(db, tmp_path):
    lines = export(db, "plover-jsonl", tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == sql(db, "SELECT count(*) FROM events")[0][0]
    attack = next(r for r in records if r["article"]["id"] == "a1")
    assert attack["event_type"] == "ASSAULT" and attack["date"] == "2024-06-05"
    assert attack["actor"][0]["code"] == "RUS" and attack["actor"][0]["entity_text"] == "Rusia"
    assert attack["recipient"][0]["country"] == "UKR"
    assert attack["article"]["url"] == "https://efe.example/a1" and attack["sentence"] == "Rusia atacó Ucrania."
    assert attack["modality"] == "asserted"
    assert attack["location"]["country"] == "UKR" and attack["location"]["feature"] == "country"
    negated = next(r for r in records if r["article"]["id"] == "a3")
    assert negated["modality"] == "negated"
    protest = next(r for r in records if r["article"]["id"] == "a6")
    assert protest["cameo_root"] == "14" and protest["recipient"] == []
    assert protest["actor"][0]["country"] == "VEN" and protest["location"]["name"] == "Caracas"


def test_bad_where_is_one_clear_line(db, tmp_path, capsys):
    assert main(["export", "--db", str(db), "--format", "csv", "--where", "no_such_column = 1",
                 str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("hechos: error: bad --where") and "no_such_column" in err and "\n" not in err
    assert not (tmp_path / "x.csv").exists()
    assert main(["export", "--db", str(db), "--format", "gdelt", "--where", "true; DROP TABLE events",
                 str(tmp_path / "x.tsv")]) == 1
    assert sql(db, "SELECT count(*) FROM events")[0][0] > 0


def test_missing_database_is_a_clear_error(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--format", "csv", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert "no database at" in err and "Traceback" not in err


def test_every_known_country_has_a_fips_entry():
    countries = load_entries(Path(__file__).resolve().parents[1] / "src/hechos/geo/data/countries.yaml")
    assert [c["code"] for c in countries if c["code"] not in fips_codes()] == []
    # no single FIPS 10-4 code for these three: documented in the data file
    assert sorted(c for c, (fips, _) in fips_codes().items() if fips is None) == ["ALA", "BES", "UMI"]
    assert fips_codes()["DEU"][0] == "GM" and fips_codes()["ESP"][0] == "SP"


def test_gdelt_header_on_request(db, tmp_path):
    con = open_for_export(db)
    try:
        result = export_to(con, "gdelt", tmp_path / "h.tsv", header=True)
    finally:
        con.close()
    lines = (tmp_path / "h.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    assert len(lines) == result.rows["events"] + 1


def test_parquet_from_arrow_tables_matches_the_database_export(db, tmp_path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {t: con.sql(f"SELECT * FROM {t}").to_arrow_table() for t in ("events", "articles", "quotes")}
    finally:
        con.close()
    counts = write_parquet_dataset(tables, tmp_path / "from_arrow")
    assert counts["events"] == tables["events"].num_rows
    reference = export(db, "parquet", tmp_path / "from_db")
    files = sorted(f.relative_to(reference) for f in reference.rglob("*.parquet"))
    assert files == sorted(f.relative_to(tmp_path / "from_arrow") for f in (tmp_path / "from_arrow").rglob("*.parquet"))
    # same rows, same order, same types (the Parquet bytes differ only in REQUIRED/OPTIONAL:
    # DuckDB marks a column REQUIRED when its stored column has no NULL at all)
    reader = duckdb.connect()
    for f in files:
        ours, theirs = (reader.sql(f"SELECT * FROM read_parquet('{root / f}')") for root in (reference, tmp_path / "from_arrow"))
        assert ours.types == theirs.types and ours.columns == theirs.columns, f
        assert ours.fetchall() == theirs.fetchall(), f
