"""Corpus inputs for batch runs: folders, JSON lines (plain or gzip), text, HTML and WARC.

Everything is streamed: `iter_files` walks folders lazily in sorted order and
`read_file` yields one `Item` per record, so memory does not grow with the corpus.
Each item carries its position in the file (line number for JSON lines, record number
for WARC, 1 for one-document files) and the byte offset reached in the file, which is
what a resumable batch checkpoints and what a progress bar shows.

Article ids: a `.txt`/`.html` file is its stem, as `hechos extract` names it; a file in a
sub-folder of a given folder is its path relative to that folder without the suffix
("2024/03/nota"), so equal file names in different folders do not overwrite each other.
A WARC response is its URL (WARC-Target-URI), else its WARC-Record-ID.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from ..records import Article

ErrorHandler = Callable[[BadInput], None]

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUFFIXES = JSONL_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    id_prefix: str  # "" for files given directly or at the top of a given folder


@dataclass(frozen=True, slots=True)
class Item:
    """One record read from a file; `article` is None when the record was bad (reported)."""

    position: int
    offset: int  # bytes of the (possibly compressed) file consumed so far
    article: Article | None


def kind_of(path: str) -> str | None:
    name = path.lower()
    for kind, suffixes in (("jsonl", JSONL_SUFFIXES), ("warc", WARC_SUFFIXES), ("html", HTML_SUFFIXES),
                           ("txt", TEXT_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    return None


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def iter_files(paths: Iterable[str], report: ErrorHandler) -> Iterator[InputFile]:
    """Input files in a stable order: arguments as given, folders recursively sorted."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from _walk(p, p, report)
        elif p.exists():
            yield InputFile(str(p), "")
        else:
            report(BadInput(path, None, "no such file"))


def _walk(root: Path, folder: Path, report: ErrorHandler) -> Iterator[InputFile]:
    try:
        children = sorted(folder.iterdir(), key=lambda c: c.name)
    except OSError as exc:
        report(BadInput(str(folder), None, f"cannot list folder: {exc.strerror or exc}"))
        return
    for child in children:
        if child.is_dir():
            yield from _walk(root, child, report)
        elif kind_of(child.name) is not None:
            rel = child.parent.relative_to(root).as_posix()
            yield InputFile(str(child), "" if rel == "." else rel + "/")


def read_file(source: InputFile, default_date: str | None, lang: str, report: ErrorHandler,
              skip_to: int = 0) -> Iterator[Item]:
    """Items of one file; records at positions ≤ `skip_to` are passed over unread."""
    kind = kind_of(source.path) or "txt"
    try:
        if kind == "jsonl":
            yield from _read_jsonl(source, default_date, lang, report, skip_to)
        elif kind == "warc":
            yield from _read_warc(source, default_date, lang, report, skip_to)
        elif skip_to < 1:
            yield _read_document(source, kind, default_date, lang, report)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        # a truncated .gz or an unreadable file: what was read stays, the rest is reported
        report(BadInput(source.path, None, f"unreadable input: {type(exc).__name__}: {exc}"))


def _read_jsonl(source: InputFile, default_date, lang, report, skip_to) -> Iterator[Item]:
    from . import _decode, parse_record

    with open(source.path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if source.path.lower().endswith(".gz") else raw
        for n, line in enumerate(stream, start=1):
            if n <= skip_to or not line.strip():
                continue
            text = _decode(line, source.path, n, report)
            article = None
            if text is not None:
                article = parse_record(text, source.path, n, default_date, lang, report)
            yield Item(n, raw.tell(), article)


def _read_document(source: InputFile, kind: str, default_date, lang, report) -> Item:
    from . import MAX_TEXT_CHARS, _decode

    path = Path(source.path)
    raw = path.read_bytes()
    art_id = source.id_prefix + _strip_suffix(path.name)
    bad = Item(1, len(raw), None)
    if kind == "html":
        fields = html_to_fields(raw)
        if fields is None:
            report(BadInput(source.path, None, "no article text found in the HTML"))
            return bad
        text, title, date = fields
        return Item(1, len(raw), Article(id=art_id, text=text, date=date or default_date, lang=lang, title=title))
    text = _decode(raw, source.path, None, report)
    if text is None:
        return bad
    if not text.strip():
        report(BadInput(source.path, None, "empty file"))
        return bad
    if len(text) > MAX_TEXT_CHARS:
        report(BadInput(source.path, None, f"document of {len(text):,} characters is over the "
                                           f"{MAX_TEXT_CHARS:,} limit"))
        return bad
    return Item(1, len(raw), Article(id=art_id, text=text.strip(), date=default_date, lang=lang))


def html_to_fields(html: bytes | str, url: str | None = None) -> tuple[str, str | None, str | None] | None:
    """(text, title, date YYYY-MM-DD) of a news page, or None when it has no article text."""
    import trafilatura

    from . import _DATE

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=False)
    if not text or not text.strip():
        return None
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = date = None
    if meta is not None:
        title = meta.title or None
        date = meta.date if meta.date and _DATE.match(meta.date) else None
    return text.strip(), title, date


def _read_warc(source: InputFile, default_date, lang, report, skip_to) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    from . import MAX_TEXT_CHARS

    with open(source.path, "rb") as raw:
        records = ArchiveIterator(raw)
        n = 0
        for record in records:
            if record.rec_type != "response":
                continue
            n += 1
            if n <= skip_to:
                continue
            headers = record.http_headers
            ctype = (headers.get_header("Content-Type") or "") if headers else ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            rec_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            warc_date = (record.rec_headers.get_header("WARC-Date") or "")[:10]
            body = record.content_stream().read()
            offset = raw.tell()
            where = f"{source.path}#{n}"
            if len(body) > 4 * MAX_TEXT_CHARS:
                report(BadInput(source.path, n, f"response of {len(body):,} bytes is too large"))
                yield Item(n, offset, None)
                continue
            fields = html_to_fields(body, url)
            if fields is None:
                report(BadInput(source.path, n, f"no article text found in the HTML of {url or where}"))
                yield Item(n, offset, None)
                continue
            text, title, page_date = fields
            from . import _DATE

            date = page_date or (warc_date if _DATE.match(warc_date) else None) or default_date
            art_id = url or rec_id.strip("<>") or where
            yield Item(n, offset, Article(id=art_id, text=text, date=date, lang=lang, title=title, url=url))


def read_all(paths: Iterable[str], default_date: str | None = None, lang: str = "es",
             on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Every article of every input, in order (bad records reported through `on_error`)."""
    def _raise(error: BadInput) -> None:
        raise error

    report = on_error or _raise
    for source in iter_files(paths, report):
        for item in read_file(source, default_date, lang, report):
            if item.article is not None:
                yield item.article


__all__ = ["InputFile", "Item", "html_to_fields", "iter_files", "kind_of", "read_all", "read_file"]
