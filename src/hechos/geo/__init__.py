"""Geography: the gazetteer (countries, regions, cities, sites) and namesake resolution."""

from .gazetteer import (
    Candidate,
    Gazetteer,
    GeoEntry,
    build_gazetteer,
    load_gazetteer,
    name_key,
    resolve,
)

__all__ = ["Candidate", "Gazetteer", "GeoEntry", "build_gazetteer", "load_gazetteer", "name_key", "resolve"]
