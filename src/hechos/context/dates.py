"""When did the event happen? A date for every event, from its own clause when it can.

`DateResolver(language).resolve(sent, trigger_index, article_date)` gives a
`ResolvedDate`: an ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), its precision, where it
came from (`text`, `article` or `none`) and the words that gave it.

How:

1. Date phrases are found in the sentence by token matching driven by the language
   pack's `dates.yaml` (month and weekday names, number words, units, relative words,
   markers such as "pasado"/"próximo"/"este"). The code only knows the shapes: calendar
   dates ("el 3 de marzo de 2019", "3/3/2019"), months and years ("a finales de
   septiembre", "en 2019"), weekdays ("el pasado martes"), relative days ("ayer",
   "mañana"), periods ("la semana pasada", "este año"), counted shifts ("hace dos
   semanas", "48 horas atrás", "dentro de tres días") and vague phrases
   ("recientemente") that name no date.
2. Each phrase is attached to a clause: the head of the phrase's top token, climbed up to
   the nearest clause head (a verb, the root, or a clausal dependent).
3. The event takes a phrase from the trigger's own clause; failing that from the clauses
   governing it (complement, coordination, adverbial clause: "dijo ayer que el ataque
   ocurrió el martes" dates "ocurrió" on the martes and "dijo" on ayer). It never climbs
   out of a relative clause ("los soldados que atacaron ... fueron detenidos ayer": the
   attack is not dated ayer), nor from a future clause into a non-future one ("anunció
   ayer que visitará Madrid": the visit is not ayer). A vague phrase in the clause stops
   the search: the article date stands, phrase None.
4. Relative phrases resolve against the article date and the tense of the clause they
   sit in (future: "visitará en julio" is the next July; otherwise the most recent one):
   - bare weekday: the most recent such day on or before the article date; future
     tense: the next one strictly after it. "el pasado martes": strictly before;
     "el próximo viernes": strictly after; "este lunes": that day of the article's
     (Monday-first) week, moved a week back if the tense is past and it is still to
     come, a week on if the tense is future and it is gone.
   - "el 3 de marzo" without a year: the most recent such date on or before the article
     date, or the next one on or after it for the future. "en julio" alike, by month.
   - weeks are not in the contract, so "la semana pasada" / "esta semana" / "la próxima
     semana" give the month of that week's Thursday (ISO 8601's rule for which month or
     year a week belongs to), month precision: a straddling week goes to the month
     holding most of its days.
   - "hace N horas/días/semanas" gives a day (hours floored to whole days), "hace N meses"
     a month, "hace N años" a year.
   - "el martes 4 de junio": the year (of the article's and its neighbours) on which
     the weekday fits.
   Absolute dates need no article date; relative ones without an article date give
   nothing, and the event gets source `none`.
5. Tense of a clause: future for a future verb or auxiliary, "ir (present) a + inf", a
   complement of a future governor (grammar.yaml `future_governors`: "planea visitar"),
   a simple conditional ("viajaría el martes": announced, to come) and a present
   subjunctive ("pidió que liberen"); past for perfects ("ha atacado", "habría
   atacado"); otherwise present or past, and the present reads as past except in
   "este lunes".

Everything a sentence yields is computed once and kept for the next event of the same
sentence object; the per-event cost is a few dictionary look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError
from ..lang import LanguagePack
from ..records import ParsedSentence, Token
from ..textnorm import normalize

Phrase = tuple[str, ...]  # normalized words

PAST, PRESENT, FUTURE = "past", "present", "future"

# UD relations that make a token head its own clause, and those a date search may climb
# from a clause to the clause governing it (not acl: a relative clause is another event).
_CLAUSAL = frozenset({"ccomp", "xcomp", "csubj", "advcl", "acl", "parataxis"})
_CLIMB = frozenset({"ccomp", "xcomp", "csubj", "advcl", "conj", "parataxis"})
_UNIT_FIELDS = ("minute", "hour", "day", "week", "month", "year")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DIGITS = re.compile(r"^(\d{1,4})[º°ª]?$")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_DIGITISH = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$|^\d{4}(?:-\d\d-\d\d)?$")
# How many tokens of openers may precede a date word: "a partir del próximo | martes"
_REACH = 6

_LISTS = ("past_markers", "next_markers", "this_markers", "determiners", "prepositions", "habitual",
          "blocked_after", "year_openers", "of", "day_words", "month_words", "period_edges", "ago_before",
          "ago_after", "ahead_before", "approximators", "vague", "future_auxiliaries", "future_links",
          "perfect_auxiliaries")
_MAPS = ("months", "weekdays", "numbers", "units")
# The lists whose words may open a date phrase before its anchor, in order of preference.
_PREFIX_ROLES = ("period_edges", "this_markers", "past_markers", "next_markers", "year_openers",
                 "determiners", "prepositions", "day_words", "month_words", "of", "habitual")


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    date: str | None
    precision: str | None  # day | month | year
    source: str  # text | article | none
    phrase: str | None


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A date phrase found in a sentence, not yet resolved (that needs tense and article date).

    kind: calendar (year/month/day, any of them None) | relday (offset) | weekday (weekday)
    | period (unit, offset) | shift (unit, count × sign) | vague. `mode` is the marker:
    bare | past | next | this.
    """

    start: int
    end: int  # exclusive
    text: str
    kind: str
    mode: str = "bare"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int = 0
    offset: int = 0
    unit: str = ""
    count: float = 0.0


# -- data -----------------------------------------------------------------------------

class Table:
    """Phrases of one or more words, looked up by their first word, longest first."""

    __slots__ = ("by_first",)

    def __init__(self, items: dict[Phrase, object]):
        by_first: dict[str, list[tuple[Phrase, object]]] = {}
        for words, value in items.items():
            by_first.setdefault(words[0], []).append((words, value))
        for entries in by_first.values():
            entries.sort(key=lambda e: (-len(e[0]), e[0]))
        self.by_first = by_first

    def match(self, norms: list[str], i: int) -> tuple[object, int] | None:
        """(value, end) of the longest phrase starting at token i."""
        if i >= len(norms):
            return None
        entries = self.by_first.get(norms[i])
        if not entries:
            return None
        for words, value in entries:
            n = len(words)
            if n == 1 or tuple(norms[i:i + n]) == words:
                return value, i + n
        return None

    def matches(self, norms: list[str], i: int) -> list[tuple[object, int]]:
        """(value, end) of every phrase starting at token i, longest first."""
        if i >= len(norms):
            return []
        return [(value, i + len(words)) for words, value in self.by_first.get(norms[i], ())
                if tuple(norms[i:i + len(words)]) == words]

    def ends_at(self, norms: list[str], end: int) -> bool:
        """Whether some phrase of the table ends just before token `end`."""
        for entries in self.by_first.values():
            for words, _ in entries:
                n = len(words)
                if end - n >= 0 and tuple(norms[end - n:end]) == words:
                    return True
        return False


@dataclass(frozen=True)
class DateWords:
    """The contents of a pack's `dates.yaml`, normalized and indexed."""

    lists: dict[str, Table]
    months: Table
    weekdays: Table
    numbers: Table
    units: Table  # value: (field, multiplier)
    relative_days: Table  # value: (offset, frozenset of words that block it when just before)
    words: dict[str, frozenset[Phrase]]  # the lists as sets, for membership tests
    anchors: frozenset[str]  # words without which a sentence has no date phrase
    prefixes: Table  # words that may open a date phrase → their roles (see _PREFIX_ROLES)
    starters: frozenset[str]  # first words of every kind of phrase (besides digits)


def _phrase(text: str) -> Phrase:
    words = tuple(normalize(str(text)).split())
    return words


@cache
def load_date_words(path: Path) -> DateWords:
    """Load and validate a `dates.yaml` (errors carry file:line)."""
    file = display_path(path)
    lists: dict[str, dict[Phrase, object]] = {}
    maps: dict[str, dict[Phrase, object]] = {}
    relative: dict[Phrase, object] = {}
    for entry in load_entries(path):
        line = entry[LINE_KEY]
        name = require(entry, "name", str, file)
        if name == "relative_day":
            offset = require(entry, "offset", int, file)
            blockers = frozenset(w for text in string_list(entry, "not_after", file) for w in _phrase(text))
            for text in string_list(entry, "phrases", file, required=True):
                words = _phrase(text)
                if not words or words in relative:
                    raise DictionaryError(file, line, f"empty or repeated relative day {text!r}")
                relative[words] = (offset, blockers)
            continue
        if name in lists or name in maps:
            raise DictionaryError(file, line, f"duplicate entry {name!r}")
        if name in _LISTS:
            lists[name] = {_phrase(w): True for w in string_list(entry, "words", file, required=True) if _phrase(w)}
        elif name in _MAPS:
            raw = require(entry, "map", dict, file)
            maps[name] = {_phrase(k): _map_value(name, k, v, file, line)
                          for k, v in raw.items() if k != LINE_KEY}
        else:
            raise DictionaryError(file, line, f"unknown entry {name!r}; expected one of "
                                  f"{', '.join(_LISTS + _MAPS + ('relative_day',))}")
    for name in _LISTS + _MAPS:
        if name not in lists and name not in maps:
            raise DictionaryError(file, 0, f"missing entry {name!r}")
    if not relative:
        raise DictionaryError(file, 0, "no relative_day entries")
    # Every phrase holds one of these words, at most _REACH tokens after its start: a
    # month, weekday or unit, the last word of a relative day or vague phrase ("en" of
    # "en los últimos días" is everywhere, "días" is not), the first of a shift opener
    # ("dentro" of "dentro de").
    anchors = frozenset(
        [phrase[-1] for table in (maps["months"], maps["weekdays"], maps["units"], relative, lists["vague"])
         for phrase in table]
        + [phrase[0] for table in (lists["ago_before"], lists["ahead_before"]) for phrase in table])
    prefixes: dict[Phrase, tuple[str, ...]] = {}
    for role in _PREFIX_ROLES:
        for phrase in lists[role]:
            prefixes[phrase] = (*prefixes.get(phrase, ()), role)
    return DateWords(lists={k: Table(v) for k, v in lists.items()}, months=Table(maps["months"]),
                     weekdays=Table(maps["weekdays"]), numbers=Table(maps["numbers"]), units=Table(maps["units"]),
                     relative_days=Table(relative), words={k: frozenset(v) for k, v in lists.items()},
                     anchors=anchors, prefixes=Table(prefixes),
                     starters=frozenset(phrase[0] for table in (*lists.values(), *maps.values(), relative)
                                        for phrase in table))


def _map_value(name: str, key: object, value: object, file: str, line: int) -> object:
    bad = DictionaryError(file, line, f"{name}: bad value {value!r} for {key!r}")
    if not str(key).strip():
        raise DictionaryError(file, line, f"{name}: empty key")
    if name == "months":
        if not isinstance(value, int) or not 1 <= value <= 12:
            raise bad
    elif name == "weekdays":
        if not isinstance(value, int) or not 1 <= value <= 7:
            raise bad
    elif name == "numbers":
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise bad
    elif name == "units":
        parts = str(value).split()
        if len(parts) == 1 and parts[0] in _UNIT_FIELDS:
            return parts[0], 1
        if len(parts) == 2 and parts[0].isdigit() and parts[1] in _UNIT_FIELDS:
            return parts[1], int(parts[0])
        raise DictionaryError(file, line, f"units: bad value {value!r} for {key!r}; "
                              f"expected one of {', '.join(_UNIT_FIELDS)}, optionally after a number")
    return value


# -- finding phrases -----------------------------------------------------------------

class _Finder:
    """Scan one sentence for date phrases (left to right, longest match at each start)."""

    def __init__(self, w: DateWords, sent: ParsedSentence):
        self.w = w
        self.sent = sent
        self.toks = sent.tokens
        self.norms = [t.norm or normalize(t.text) for t in sent.tokens]

    def text(self, start: int, end: int) -> str:
        first, last = self.toks[start], self.toks[end - 1]
        return self.sent.text[first.idx:last.idx + len(last.text)]

    def find(self) -> list[DatePhrase]:
        # Most tokens are far from any date word: only starts up to a few tokens before
        # one ("a finales de | septiembre") are tried, which keeps a sentence without
        # dates to one pass of set look-ups.
        anchors = self.w.anchors
        hot: set[int] = set()
        for k, norm in enumerate(self.norms):
            if norm in anchors or (norm[:1].isdigit() and _DIGITISH.match(norm)):
                hot.update(range(max(0, k - _REACH), k + 1))
        out: list[DatePhrase] = []
        if not hot:
            return out
        i, n = 0, len(self.norms)
        while i < n:
            if i not in hot or not (self.norms[i] in self.w.starters or self.norms[i][:1].isdigit()):
                i += 1
                continue
            found = self.at(i)
            if found is None:
                i += 1
                continue
            phrase, end = found
            if phrase is not None and not self.blocked(phrase.start):
                out.append(phrase)
            i = max(end, i + 1)
        return out

    def blocked(self, start: int) -> bool:
        norms = self.norms
        lists = self.w.lists
        return lists["blocked_after"].ends_at(norms, start) or lists["habitual"].ends_at(norms, start)

    def at(self, i: int) -> tuple[DatePhrase | None, int] | None:
        w, norms = self.w, self.norms
        vague = w.lists["vague"].match(norms, i)
        if vague:
            return DatePhrase(i, vague[1], self.text(i, vague[1]), "vague"), vague[1]
        rel = w.relative_days.match(norms, i)
        if rel:
            (offset, blockers), end = rel
            # "la mañana", "mañana del lunes": the morning, not tomorrow
            morning = bool(blockers) and (i > 0 and norms[i - 1] in blockers
                                          or w.lists["of"].match(norms, end) is not None)
            if not morning:
                return DatePhrase(i, end, self.text(i, end), "relday", offset=offset), end
        shift = self.shift(i)
        if shift:
            return shift
        return self.anchored(i)

    # "hace dos semanas", "dentro de tres días", "dos semanas atrás"
    def shift(self, i: int) -> tuple[DatePhrase, int] | None:
        w, norms = self.w, self.norms
        sign = 0
        j = i
        opener = w.lists["ago_before"].match(norms, i)
        if opener:
            sign, j = -1, opener[1]
        else:
            opener = w.lists["ahead_before"].match(norms, i)
            if opener:
                sign, j = 1, opener[1]
        while (approx := w.lists["approximators"].match(norms, j)) is not None:
            j = approx[1]
        count = self.number(j)
        if count is None:
            if sign and w.units.match(norms, j):
                # "hace unos días", "hace años": no count, no date
                end = w.units.match(norms, j)[1]
                return DatePhrase(i, end, self.text(i, end), "vague"), end
            return None
        value, j = count
        unit = w.units.match(norms, j)
        if unit is None:
            return None
        (field, multiplier), j = unit
        if not sign:
            after = w.lists["ago_after"].match(norms, j)
            if after is None:
                return None
            sign, j = -1, after[1]
        return DatePhrase(i, j, self.text(i, j), "shift", unit=field, count=sign * value * multiplier), j

    def number(self, j: int) -> tuple[float, int] | None:
        if j >= len(self.norms):
            return None
        m = _DIGITS.match(self.norms[j])
        if m:
            return float(m.group(1)), j + 1
        found = self.w.numbers.match(self.norms, j)
        if found:
            return float(found[0]), found[1]
        return None

    def anchored(self, i: int) -> tuple[DatePhrase | None, int] | None:
        """Optional openers ("a finales de", "el pasado", "en", "el día") then an anchor."""
        found = self.search(i, i, [])
        if found is None:
            return None
        phrase, end, prefix = found
        if any(role == "habitual" for role, _ in prefix):
            return None, end  # "los lunes", "cada martes": skip it whole
        return phrase, end

    def search(self, i: int, j: int, prefix: list[tuple[str, int]]
               ) -> tuple[DatePhrase, int, list[tuple[str, int]]] | None:
        # Openers overlap ("en" opens a year and a month, "el año 2019" vs "el año
        # pasado"): try each reading, at most a few tokens deep.
        found = self.anchor(i, j, prefix)
        if found is not None:
            return found[0], found[1], prefix
        if len(prefix) >= 5:
            return None
        for roles, end in self.w.prefixes.matches(self.norms, j):  # longest first
            for role in roles:
                deeper = self.search(i, end, [*prefix, (role, end)])
                if deeper is not None:
                    return deeper
        return None

    def mode(self, prefix: list[tuple[str, int]], j: int) -> tuple[str, int]:
        """The marker before (in the openers) or just after the anchor ("el martes pasado")."""
        lists = self.w.lists
        for role, name in (("past_markers", "past"), ("next_markers", "next")):
            m = lists[role].match(self.norms, j)
            if m:
                return name, m[1]
        roles = {role for role, _ in prefix}
        for role, name in (("past_markers", "past"), ("next_markers", "next"), ("this_markers", "this")):
            if role in roles:
                return name, j
        return "bare", j

    def anchor(self, i: int, j: int, prefix: list[tuple[str, int]]) -> tuple[DatePhrase, int] | None:
        if j >= len(self.norms):
            return None
        w, norms, tok = self.w, self.norms, self.toks[j]
        # numeric dates: ISO, or day/month/year when the order cannot be mistaken
        m = _ISO_DATE.match(norms[j])
        if m:
            return self.calendar(i, j + 1, "bare", int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _NUMERIC_DATE.match(norms[j])
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if a == b or a > 12:
                return self.calendar(i, j + 1, "bare", year, b, a)
            if b > 12:
                return self.calendar(i, j + 1, "bare", year, a, b)
            return None
        # "el 3 de marzo [de 2019]", "el día 3"
        number = self.number(j)
        if number is not None and number[0] == int(number[0]) and 1 <= number[0] <= 31:
            day, k = int(number[0]), number[1]
            of = w.lists["of"].match(norms, k)
            month = self.month(of[1], after_day=True) if of else None
            if month is not None:
                month_no, k = month
                year, k = self.year_after(k)
                mode, k = self.mode(prefix, k)
                return self.calendar(i, k, mode, year, month_no, day)
            if prefix and prefix[-1][0] == "day_words" and not _YEAR.match(norms[j]):
                mode, k = self.mode(prefix, k)
                return self.calendar(i, k, mode, None, None, day)
        # "en julio", "a finales de septiembre", "en marzo de 2019", "el pasado julio"
        month = self.month(j)
        if month is not None:
            month_no, k = month
            year, k = self.year_after(k)
            mode, k = self.mode(prefix, k)
            return self.calendar(i, k, mode, year, month_no, None)
        # "en 2019", "el año 2019"
        if prefix and prefix[-1][0] == "year_openers" and _YEAR.match(norms[j]) and tok.dep != "nummod":
            return self.calendar(i, j + 1, "bare", int(norms[j]), None, None)
        # "el martes", "el pasado martes", "el martes 4 de junio"
        weekday = w.weekdays.match(norms, j)
        if weekday is not None:
            value, k = weekday
            merged = self.anchor(i, k, [])
            if merged is not None and merged[0].kind == "calendar" and merged[0].day is not None:
                # the weekday can tell the year: "el martes 4 de junio"
                return replace(merged[0], weekday=int(value)), merged[1]
            mode, k = self.mode(prefix, k)
            return DatePhrase(i, k, self.text(i, k), "weekday", mode=mode, weekday=int(value)), k
        # "la semana pasada", "este año", "el próximo mes", "el año que viene"
        unit = w.units.match(norms, j)
        if unit is not None and unit[0][0] in ("week", "month", "year") and unit[0][1] == 1:
            mode, k = self.mode(prefix, unit[1])
            if mode != "bare":
                offset = {"past": -1, "next": 1, "this": 0}[mode]
                return DatePhrase(i, k, self.text(i, k), "period", mode=mode, unit=unit[0][0], offset=offset), k
        return None

    def month(self, j: int, after_day: bool = False) -> tuple[int, int] | None:
        found = self.w.months.match(self.norms, j)
        if found is None:
            return None
        text = self.toks[j].text
        # Spanish writes months in lower case: a capital "Julio" is a name ("Julio
        # Borges"), unless a day number comes first ("3 de Marzo") or all is capitals
        if text[:1].isupper() and not after_day and not text.isupper():
            return None
        return int(found[0]), found[1]

    def year_after(self, k: int) -> tuple[int | None, int]:
        of = self.w.lists["of"].match(self.norms, k)
        if of and of[1] < len(self.norms) and _YEAR.match(self.norms[of[1]]):
            return int(self.norms[of[1]]), of[1] + 1
        return None, k

    def calendar(self, i: int, end: int, mode: str, year: int | None, month: int | None,
                 day: int | None) -> tuple[DatePhrase, int] | None:
        if year is not None and month is not None and day is not None:
            try:
                date(year, month, day)
            except ValueError:
                return None
        return DatePhrase(i, end, self.text(i, end), "calendar", mode=mode, year=year, month=month, day=day), end


# -- resolving -------------------------------------------------------------------------

def _parse_article_date(value: str | None) -> tuple[date | None, str | None, str | None]:
    """(day date or None, ISO string, precision) of an article date; lenient on form."""
    if not value:
        return None, None, None
    text = value.strip()
    try:
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            d = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
            return d, d.isoformat(), "day"
        if len(text) == 7 and text[4] == "-":
            date(int(text[:4]), int(text[5:7]), 1)
            return None, text, "month"
        if len(text) == 4 and text.isdigit():
            return None, text, "year"
    except ValueError:
        pass
    return None, None, None


def _month_shift(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_phrase(p: DatePhrase, art: date | None, tense: str) -> tuple[str, str] | None:
    """(ISO date, precision) of a phrase, given the article date and the clause tense."""
    future = tense == FUTURE
    if p.kind == "calendar":
        if p.year is not None:
            if p.day is not None and p.month is not None:
                return date(p.year, p.month, p.day).isoformat(), "day"
            if p.month is not None:
                return f"{p.year:04d}-{p.month:02d}", "month"
            return f"{p.year:04d}", "year"
        if art is None:
            return None
        forward = p.mode == "next" or (future and p.mode != "past")
        strict = p.mode in ("past", "next")
        if p.month is not None and p.day is not None:
            if p.weekday:
                # the year, near the article's, on which that day falls on that weekday
                fits = [d for d in (_valid(art.year + k, p.month, p.day) for k in (0, -1, 1))
                        if d is not None and d.isoweekday() == p.weekday]
                if fits:
                    return fits[0].isoformat(), "day"
            for step in range(9):  # Feb 29 may need a few years
                year = art.year + step if forward else art.year - step
                d = _valid(year, p.month, p.day)
                if d is None:
                    continue
                if (d > art or (d == art and not strict)) if forward else (d < art or (d == art and not strict)):
                    return d.isoformat(), "day"
            return None
        if p.month is not None:
            here, there = (art.year, art.month), (art.year, p.month)
            ok = (there > here or (there == here and not strict)) if forward else \
                (there < here or (there == here and not strict))
            year = art.year if ok else art.year + (1 if forward else -1)
            return f"{year:04d}-{p.month:02d}", "month"
        if p.day is not None:
            for step in range(4):
                year, month = _month_shift(art, step if forward else -step)
                d = _valid(year, month, p.day)
                if d is None:
                    continue
                if (d > art or (d == art and not strict)) if forward else (d < art or (d == art and not strict)):
                    return d.isoformat(), "day"
        return None
    if art is None or p.kind == "vague":
        return None
    try:
        if p.kind == "relday":
            return (art + timedelta(days=p.offset)).isoformat(), "day"
        if p.kind == "weekday":
            wd = art.isoweekday()
            if p.mode == "this":
                d = art + timedelta(days=p.weekday - wd)
                if tense == PAST and d > art:
                    d -= timedelta(days=7)
                elif future and d < art:
                    d += timedelta(days=7)
            elif p.mode == "next" or (future and p.mode != "past"):
                d = art + timedelta(days=(p.weekday - wd) % 7 or 7)
            else:
                back = (wd - p.weekday) % 7
                d = art - timedelta(days=back or (7 if p.mode == "past" else 0))
            return d.isoformat(), "day"
        if p.kind == "period":
            if p.unit == "week":
                thursday = art + timedelta(days=4 - art.isoweekday() + 7 * p.offset)
                return f"{thursday.year:04d}-{thursday.month:02d}", "month"
            if p.unit == "month":
                year, month = _month_shift(art, p.offset)
                return f"{year:04d}-{month:02d}", "month"
            return f"{art.year + p.offset:04d}", "year"
        if p.kind == "shift":
            if p.unit in ("minute", "hour", "day", "week"):
                per_day = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7}[p.unit]
                days = p.count * per_day
                # whole days back (or ahead) from the article date: 36 hours ago is yesterday
                shift = -int(-days) if days < 0 else int(days)
                return (art + timedelta(days=shift)).isoformat(), "day"
            if p.unit == "month":
                year, month = _month_shift(art, int(p.count))
                return f"{year:04d}-{month:02d}", "month"
            return f"{art.year + int(p.count):04d}", "year"
    except (OverflowError, ValueError):  # "hace 5000 años": out of the calendar
        return None
    return None


@dataclass(slots=True)
class _Analysis:
    phrases: list[DatePhrase]
    clauses: list[int]  # clause head of each phrase
    tenses: dict[int, str]  # clause head → tense, filled on demand


class DateResolver:
    """Dates for events; see the module docstring for the rules."""

    def __init__(self, language: LanguagePack):
        self.words = load_date_words(language.folder / "dates.yaml")
        w = self.words.words
        self.future_aux = frozenset(p[0] for p in w["future_auxiliaries"])
        self.future_links = frozenset(p[0] for p in w["future_links"])
        self.perfect_aux = frozenset(p[0] for p in w["perfect_auxiliaries"])
        self.future_governors = language.grammar["future_governors"]
        self._last: tuple[ParsedSentence, _Analysis] | None = None

    # public ------------------------------------------------------------------------
    def phrases(self, sent: ParsedSentence) -> list[DatePhrase]:
        return list(self._analyse(sent).phrases)

    def resolve(self, sent: ParsedSentence, trigger_index: int, article_date: str | None) -> ResolvedDate:
        art, art_iso, art_precision = _parse_article_date(article_date)
        fallback = (ResolvedDate(art_iso, art_precision, "article", None) if art_iso
                    else ResolvedDate(None, None, "none", None))
        if not 0 <= trigger_index < len(sent.tokens):
            return fallback
        analysis = self._analyse(sent)
        if not analysis.phrases:
            return fallback
        toks = sent.tokens
        clause = self._clause_of(sent, trigger_index)
        for _ in range(8):
            here = [n for n, c in enumerate(analysis.clauses) if c == clause]
            if here:
                tense = self._tense(sent, clause, analysis)
                best: tuple | None = None
                for n in here:
                    p = analysis.phrases[n]
                    got = resolve_phrase(p, art, tense)
                    if got is None:
                        continue
                    absolute = 0 if p.kind == "calendar" and p.year is not None else 1
                    distance = min(abs(trigger_index - p.start), abs(trigger_index - (p.end - 1)))
                    key = (_PRECISION_RANK[got[1]], absolute, distance, p.start)
                    if best is None or key < best[0]:
                        best = (key, got, p)
                if best is not None:
                    (_, (iso, precision), p) = best
                    return ResolvedDate(iso, precision, "text", p.text)
                return fallback  # a vague phrase, or a relative one with no article date
            head = toks[clause]
            dep = head.dep.split(":", 1)[0]
            if head.head == clause or dep not in _CLIMB:
                break
            governor = self._clause_of(sent, head.head)
            if dep != "xcomp" and self._tense(sent, clause, analysis) == FUTURE \
                    and self._tense(sent, governor, analysis) != FUTURE:
                break
            clause = governor
        return fallback

    # internals ---------------------------------------------------------------------
    def _analyse(self, sent: ParsedSentence) -> _Analysis:
        # Several events share a sentence: keep the last one's analysis. Holding the
        # sentence itself (not its id) makes the identity test safe.
        if self._last is not None and self._last[0] is sent:
            return self._last[1]
        phrases = _Finder(self.words, sent).find()
        clauses = [self._clause_of(sent, self._attachment(sent, p)) for p in phrases]
        analysis = _Analysis(phrases, clauses, {})
        self._last = (sent, analysis)
        return analysis

    @staticmethod
    def _attachment(sent: ParsedSentence, p: DatePhrase) -> int:
        """The token the phrase hangs from: the head, outside the phrase, of its top token."""
        for k in range(p.start, p.end):
            head = sent.tokens[k].head
            if head == k:
                return k
            if not p.start <= head < p.end:
                return head
        return p.start

    @staticmethod
    def _is_clause_head(tok: Token) -> bool:
        dep = tok.dep.split(":", 1)[0]
        return tok.head == tok.i or dep in _CLAUSAL or (tok.pos == "VERB" and dep not in ("aux", "cop"))

    def _clause_of(self, sent: ParsedSentence, i: int) -> int:
        toks = sent.tokens
        for _ in range(len(toks)):
            tok = toks[i]
            if self._is_clause_head(tok):
                return i
            i = tok.head
        return i

    def _tense(self, sent: ParsedSentence, clause: int, analysis: _Analysis) -> str:
        cached = analysis.tenses.get(clause)
        if cached is None:
            cached = analysis.tenses[clause] = self._clause_tense(sent, sent.tokens[clause])
        return cached

    def _clause_tense(self, sent: ParsedSentence, verb: Token) -> str:
        if verb.feature("Tense") == "Fut":
            return FUTURE
        kids = sent.kids(verb.i)
        linked = any(k.dep == "mark" and k.norm in self.future_links for k in kids)
        perfect = conditional = present = False
        for k in kids:
            if k.dep.split(":", 1)[0] not in ("aux", "cop"):
                continue
            tense = k.feature("Tense")
            if tense == "Fut":
                return FUTURE
            if k.lemma_norm in self.future_aux and tense == "Pres" and linked:
                return FUTURE  # "va a reunirse"
            perfect = perfect or k.lemma_norm in self.perfect_aux
            conditional = conditional or k.feature("Mood") == "Cnd"
            present = present or tense == "Pres"
        if perfect:
            return PAST  # "ha atacado", "habría atacado"
        if conditional or verb.feature("Mood") == "Cnd":
            return FUTURE  # "viajaría el martes": announced, still to come
        dep = verb.dep.split(":", 1)[0]
        if dep in ("xcomp", "ccomp") and verb.head != verb.i:
            governor = sent.tokens[verb.head]
            if governor.lemma_norm in self.future_aux:
                if governor.feature("Tense") == "Pres" and linked:
                    return FUTURE
            elif governor.lemma_norm in self.future_governors:
                return FUTURE  # "planea visitar en julio"
        if verb.feature("Mood") == "Sub" and verb.feature("Tense") == "Pres":
            return FUTURE  # "pidió que liberen el martes"
        if present or verb.feature("Tense") == "Pres":
            return PRESENT
        return PAST


def date_phrases(sent: ParsedSentence, language: LanguagePack) -> list[tuple[int, int, str]]:
    """(start token, end token exclusive, text) of every date phrase, for `hechos explain`."""
    return [(p.start, p.end, p.text) for p in DateResolver(language).phrases(sent)]
