"""Read articles from .txt files, .jsonl files and stdin.

A bad record never stops a batch: it is reported as `BadInput(file, line, reason)`
through the `on_error` callback and skipped; the caller counts and reports them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import BadInput
from ..records import Article

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT_CHARS = 2_000_000  # a "document" larger than this is not news

ErrorHandler = Callable[[BadInput], None]


def read_inputs(paths: Iterable[str], default_date: str | None = None, default_lang: str = "es",
                on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Articles from every input, in order. '-' is stdin (JSON lines)."""
    report = on_error or _raise
    for path in paths:
        if path == "-":
            yield from _read_jsonl_stream(sys.stdin.buffer, "<stdin>", default_date, default_lang, report)
            continue
        p = Path(path)
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.suffix in (".txt", ".jsonl"):
                    yield from read_inputs([str(child)], default_date, default_lang, on_error)
            continue
        if not p.exists():
            report(BadInput(path, None, "no such file"))
            continue
        if p.name.lower().endswith((".jsonl.gz", ".html", ".htm", ".warc", ".warc.gz")):
            # formats the batch reader knows: read a named file the same way here
            from .sources import InputFile, read_file

            for item in read_file(InputFile(path, ""), default_date, default_lang, report):
                if item.article is not None:
                    yield item.article
            continue
        if p.suffix == ".jsonl":
            with open(p, "rb") as fh:
                yield from _read_jsonl_stream(fh, path, default_date, default_lang, report)
        else:
            article = _read_text_file(p, default_date, default_lang, report)
            if article is not None:
                yield article


def _raise(error: BadInput) -> None:
    raise error


def _decode(raw: bytes, where: str, line: int | None, report: ErrorHandler) -> str | None:
    if b"\x00" in raw:
        report(BadInput(where, line, "binary data, not text"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report(BadInput(where, line, f"not UTF-8 (byte {exc.start}); re-encode the file as UTF-8"))
        return None


def _read_text_file(path: Path, default_date: str | None, lang: str, report: ErrorHandler) -> Article | None:
    raw = path.read_bytes()
    text = _decode(raw, str(path), None, report)
    if text is None:
        return None
    if not text.strip():
        report(BadInput(str(path), None, "empty file"))
        return None
    if len(text) > MAX_TEXT_CHARS:
        report(BadInput(str(path), None, f"document of {len(text):,} characters is over the {MAX_TEXT_CHARS:,} limit"))
        return None
    return Article(id=path.stem, text=text.strip(), date=default_date, lang=lang)


def _read_jsonl_stream(stream, where: str, default_date: str | None, lang: str, report: ErrorHandler) -> Iterator[Article]:
    for n, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        text = _decode(raw, where, n, report)
        if text is None:
            continue
        article = parse_record(text, where, n, default_date, lang, report)
        if article is not None:
            yield article


def parse_record(line: str, where: str, n: int, default_date: str | None, lang: str,
                 report: ErrorHandler) -> Article | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        report(BadInput(where, n, f"invalid JSON: {exc.msg} at column {exc.colno}"))
        return None
    if not isinstance(record, dict):
        report(BadInput(where, n, "a line must be a JSON object"))
        return None
    return record_to_article(record, where, n, default_date, lang, report)


def record_to_article(record: dict, where: str, n: int | None, default_date: str | None, lang: str,
                      report: ErrorHandler) -> Article | None:
    """An input record (id, text, date, title, url, source, lang) checked into an Article;
    JSON lines and Parquet rows (the Spark job) go through the same checks."""
    art_id, text = record.get("id"), record.get("text")
    if art_id is None or (isinstance(art_id, str) and not art_id.strip()):
        report(BadInput(where, n, "missing 'id'"))
        return None
    if not isinstance(text, str) or not text.strip():
        report(BadInput(where, n, "missing or empty 'text'"))
        return None
    if len(text) > MAX_TEXT_CHARS:
        report(BadInput(where, n, f"text of {len(text):,} characters is over the {MAX_TEXT_CHARS:,} limit"))
        return None
    date = record.get("date") or default_date
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        report(BadInput(where, n, f"'date' must be YYYY-MM-DD, got {date!r}"))
        return None
    art_lang = record.get("lang") or lang
    return Article(id=str(art_id), text=text, date=date, lang=str(art_lang),
                   title=_opt(record.get("title")), url=_opt(record.get("url")), source=_opt(record.get("source")))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
