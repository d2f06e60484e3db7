"""`hechos batch`: code a corpus on every core, resumable after any interruption.

The parent process reads the inputs (streamed), cuts them into chunks of articles,
hands the chunks to worker processes (each loads one Pipeline and codes a chunk with
`code_many`, so spaCy keeps its batching) and writes the returned Arrow rows to DuckDB
in input order, one transaction per flush. At most `2 × workers + 2` chunks are in
flight, so memory does not grow with the corpus.

Resuming. The database is the source of truth: an article's row (with its content
hash) is committed in the same transaction as its events. `<db>.batch.json` (written
atomically after commits) records which files are finished and how far the current
one got, so a rerun of the same command skips ahead without reading them; records
after that point whose id and content hash are already stored are skipped before
coding. A `kill -9` at any moment therefore loses nothing and codes nothing twice.

`--restart` forgets the checkpoint and the quarantine file and re-codes everything,
replacing the stored rows of each article (useful after a dictionary change); the
replace mode is kept in the checkpoint, so a restarted run that is interrupted and
resumed still re-codes the rest of the corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import BadInput, HechosError
from ..records import Article

CHUNK_ARTICLES = 32  # articles a worker codes per call: large enough for nlp.pipe batching
FLUSH_ARTICLES = 256  # articles per DuckDB transaction, at most
FLUSH_EVERY_S = 1.0  # and at least this often, so an interrupted run loses little work
CHECKPOINT_EVERY_S = 2.0
EXIT_OK, EXIT_SKIPPED = 0, 3


# -- worker side ------------------------------------------------------------------------
def _worker_init(lang: str, parent_pid: int) -> None:
    # one core per worker: BLAS threads would fight the other workers
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    _worker_pipeline(lang)


def _watch_parent(parent_pid: int) -> None:
    # a parent killed with SIGKILL cannot stop its workers: they stop themselves
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(1.0)


@functools.cache
def _worker_pipeline(lang: str):
    from ..pipeline import Pipeline

    return Pipeline(lang).load()


@dataclass(slots=True)
class ChunkResult:
    tables: dict  # table name → pyarrow.Table
    n_events: int
    failures: list[tuple[str, str]]  # (article id, reason): articles the coder failed on


def code_chunk(articles: list[Article], lang: str, ingested_at: datetime) -> ChunkResult:
    """Code a chunk (in a worker) and return its rows as Arrow tables."""
    from ..store.rows import result_rows, to_arrow
    from ..store.schema import TABLES

    pipeline = _worker_pipeline(lang)
    failures: list[tuple[str, str]] = []
    try:
        results = list(pipeline.code_many(articles))
    except Exception:  # noqa: BLE001 - find the article at fault, code the others
        results = []
        for article in articles:
            try:
                results.append(pipeline.code(article))
            except Exception as exc:  # noqa: BLE001
                failures.append((article.id, f"coding failed: {type(exc).__name__}: {exc}"))
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    n_events = 0
    for result in results:
        n_events += len(result.events)
        for table, table_rows in result_rows(result, ingested_at).items():
            rows[table].extend(table_rows)
    return ChunkResult({t: to_arrow(t, r) for t, r in rows.items()}, n_events, failures)


# -- checkpoint -------------------------------------------------------------------------
def _stat(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


@dataclass(slots=True)
class Checkpoint:
    """Finished files (with size and mtime, so a changed file is read again) and the
    position reached in the file being read."""

    path: Path
    replace: bool = False
    done: dict[str, list[int]] = field(default_factory=dict)
    partial: dict | None = None  # {"path", "stat", "position"}

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            print(f"hechos: ignoring unreadable checkpoint {path}: {exc}", file=sys.stderr)
            return cls(path)
        return cls(path, bool(data.get("replace")), dict(data.get("done") or {}), data.get("partial"))

    def skip_to(self, file: str, stat: list[int]) -> int | None:
        """None: the file is finished; else the last position already committed."""
        if self.done.get(file) == stat:
            return None
        if self.partial and self.partial.get("path") == file and self.partial.get("stat") == stat:
            return int(self.partial["position"])
        return 0

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        data = {"version": 1, "replace": self.replace, "done": self.done, "partial": self.partial}
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


# -- quarantine -------------------------------------------------------------------------
class Quarantine:
    """Bad inputs as TSV (path, position, reason); a resumed run does not repeat lines."""

    def __init__(self, path: Path, restart: bool):
        self.path = path
        self.count = 0
        self._seen: set[tuple[str, str]] = set()
        if restart and path.exists():
            path.unlink()
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                parts = line.split("\t")
                if len(parts) >= 2:
                    self._seen.add((parts[0], parts[1]))
        self._fh = None

    def add(self, err: BadInput) -> None:
        self.count += 1
        key = (_clean(err.file), "" if err.line is None else str(err.line))
        if key in self._seen:
            return
        self._seen.add(key)
        if self._fh is None:
            new = not self.path.exists()
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            if new:
                self._fh.write("path\tposition\treason\n")
        self._fh.write(f"{key[0]}\t{key[1]}\t{_clean(err.reason)}\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# -- writer -----------------------------------------------------------------------------
class ArrowWriter:
    """EventStore's write semantics for Arrow rows made elsewhere: one transaction per
    flush; an article stored with the same content is left alone (unless `replace`);
    a changed article replaces all its rows; the same content under another id is
    skipped as a duplicate."""

    def __init__(self, path: str, replace: bool):
        from ..store import EventStore

        self._store = EventStore(path)  # opens and migrates the database
        self.con = self._store.con
        self.replace = replace
        self._pending: list[dict] = []
        self._ids: set[str] = set()
        self._hashes: set[str] = set()
        self.articles_written = self.events_written = 0
        self.unchanged = self.duplicates = 0

    def conflicts(self, ids: list[str], hashes: list[str]) -> bool:
        return any(i in self._ids for i in ids) or any(h in self._hashes for h in hashes)

    @property
    def pending_articles(self) -> int:
        return len(self._ids)

    def add(self, tables: dict) -> None:
        arts = tables["articles"]
        ids = arts.column("article_id").to_pylist()
        hashes = arts.column("content_hash").to_pylist()
        if self.conflicts(ids, hashes):  # same id or content twice in a transaction: write the first now
            self.flush()
        self._pending.append(tables)
        self._ids.update(ids)
        self._hashes.update(hashes)

    def stored(self, ids: list[str]) -> dict[str, str]:
        """article id → stored content key (content hash and coder fingerprint)."""
        return self._store.stored_keys(ids) if ids else {}

    def flush(self) -> None:
        if not self._pending:
            return
        import pyarrow as pa
        import pyarrow.compute as pc

        from ..store import content_key, write_tables
        from ..store.schema import TABLES

        tables = {t: pa.concat_tables([p[t] for p in self._pending]) for t in TABLES}
        arts = tables["articles"]
        ids = arts.column("article_id").to_pylist()
        keys = [content_key(h, c) for h, c in zip(arts.column("content_hash").to_pylist(),
                                                  arts.column("coder").to_pylist(), strict=True)]
        stored = self.stored(ids)
        by_key = self._store.stored_ids_for_keys(keys)
        skip: list[str] = []
        for article_id, key in zip(ids, keys, strict=True):
            if stored.get(article_id) == key and not self.replace:
                skip.append(article_id)
                self.unchanged += 1
            elif by_key.get(key, article_id) != article_id:
                skip.append(article_id)
                self.duplicates += 1
        if skip:
            drop = pa.array(skip, pa.string())
            tables = {t: d.filter(pc.invert(pc.is_in(d.column("article_id"), value_set=drop)))
                      for t, d in tables.items()}
        write_tables(self.con, tables)
        self.articles_written += tables["articles"].num_rows
        self.events_written += tables["events"].num_rows
        self._pending, self._ids, self._hashes = [], set(), set()

    def close(self) -> None:
        self.flush()
        self._store.con.close()


# -- reading and chunking -----------------------------------------------------------------
@dataclass(slots=True)
class Chunk:
    articles: list[Article]
    where: dict[str, tuple[str, int]]  # article id → (file, position), for quarantine lines
    n_done_files: int  # files finished when the chunk was cut (prefix of Reader.done_files)
    partial: dict | None  # the position reached in the current file
    bytes_read: int
    skipped: int = 0  # articles not sent: already stored with the same content


class Reader:
    """Streams the inputs as chunks, skipping what the checkpoint and database say is done."""

    def __init__(self, inputs: list[str], args: argparse.Namespace, checkpoint: Checkpoint,
                 writer: ArrowWriter, quarantine: Quarantine):
        self.inputs, self.args = inputs, args
        self.checkpoint, self.writer, self.quarantine = checkpoint, writer, quarantine
        self.done_files: list[tuple[str, list[int]]] = []
        self.files_skipped = 0
        self.bytes_read = 0

    def chunks(self) -> Iterator[Chunk]:
        from ..ingest.sources import iter_files, read_file
        from ..store.rows import content_hash

        group: list[tuple[Article, str, str, int]] = []  # article, hash, file, position
        ids: set[str] = set()
        hashes: set[str] = set()
        partial: dict | None = None
        lang = self.args.lang
        for source in iter_files(self.inputs, self.quarantine.add):
            try:
                stat = _stat(source.path)
            except OSError as exc:
                self.quarantine.add(BadInput(source.path, None, f"unreadable input: {exc}"))
                continue
            skip_to = self.checkpoint.skip_to(source.path, stat)
            if skip_to is None:
                self.files_skipped += 1
                self.done_files.append((source.path, stat))
                self.bytes_read += stat[0]
                continue
            base = self.bytes_read
            for item in read_file(source, self.args.date, lang, self.quarantine.add, skip_to):
                partial = {"path": source.path, "stat": stat, "position": item.position}
                self.bytes_read = base + item.offset
                article = item.article
                if article is None:
                    continue
                if article.lang != lang:
                    self.quarantine.add(BadInput(source.path, item.position, f"language {article.lang!r} "
                                                 f"has no pack loaded (run with --lang {article.lang})"))
                    continue
                digest = content_hash(article.text)
                if article.id in ids or digest in hashes:
                    yield self._cut(group, partial_before(group, partial))
                    group, ids, hashes = [], set(), set()
                group.append((article, digest, source.path, item.position))
                ids.add(article.id)
                hashes.add(digest)
                if len(group) >= CHUNK_ARTICLES:
                    yield self._cut(group, partial)
                    group, ids, hashes = [], set(), set()
            self.bytes_read = base + stat[0]
            self.done_files.append((source.path, stat))
            partial = None
        yield self._cut(group, None)

    def _cut(self, group: list[tuple[Article, str, str, int]], partial: dict | None) -> Chunk:
        skipped = 0
        if group and not self.writer.replace:
            # unchanged: the same text, already coded by this code and these dictionaries
            from ..pipeline import coder_fingerprint
            from ..store import content_key

            coder = coder_fingerprint(self.args.lang)
            stored = self.writer.stored([a.id for a, *_ in group])
            kept = [g for g in group if stored.get(g[0].id) != content_key(g[1], coder)]
            skipped = len(group) - len(kept)
            group = kept
        return Chunk([g[0] for g in group], {g[0].id: (g[2], g[3]) for g in group},
                     len(self.done_files), partial, self.bytes_read, skipped)


def partial_before(group: list[tuple[Article, str, str, int]], partial: dict | None) -> dict | None:
    """The checkpoint position of a group cut before the current record: its last record."""
    if not group or partial is None:
        return partial
    _, _, path, position = group[-1]
    if path != partial["path"]:
        return None
    return {**partial, "position": position}


# -- the command ------------------------------------------------------------------------
@dataclass(slots=True)
class Summary:
    coded: int = 0
    skipped_done: int = 0
    events: int = 0
    quarantined: int = 0
    duplicates: int = 0
    files_skipped: int = 0
    seconds: float = 0.0

    def line(self, db: str, quarantine: Path) -> str:
        q = f" (see {quarantine})" if self.quarantined else ""
        return (f"hechos: batch finished in {self.seconds:.1f} s: {self.coded} article(s) coded, "
                f"{self.skipped_done} skipped as already done ({self.files_skipped} finished file(s) "
                f"passed over), {self.duplicates} duplicate(s) of stored content, {self.events} event(s) "
                f"written to {db}; {self.quarantined} input record(s) quarantined{q}")


def run_batch(args: argparse.Namespace) -> int:
    summary = batch(args)
    return EXIT_SKIPPED if summary.quarantined else EXIT_OK


def batch(args: argparse.Namespace) -> Summary:
    from ..ingest import _DATE
    from ..lang import get_language
    from ..store import DEFAULT_DB
    from . import run_timestamp

    if args.date and not _DATE.match(args.date):
        raise HechosError(f"--date must be YYYY-MM-DD, got {args.date!r}")
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise HechosError(f"--workers must be at least 1, got {workers}")
    get_language(args.lang)  # a wrong --lang fails here, not in every worker
    db = args.db or DEFAULT_DB
    ckpt_path = Path(db + ".batch.json")
    if args.restart or not Path(db).exists():
        # without its database a checkpoint would skip articles that were never stored
        ckpt_path.unlink(missing_ok=True)
    checkpoint = Checkpoint.load(ckpt_path)
    if args.restart:
        checkpoint.replace = True
    quarantine = Quarantine(Path(args.quarantine or db + ".quarantine.tsv"), args.restart)
    writer = ArrowWriter(db, checkpoint.replace)
    reader = Reader(list(args.inputs), args, checkpoint, writer, quarantine)
    summary = Summary()
    started = time.perf_counter()
    ingested_at = run_timestamp()
    progress = _progress(args, list(args.inputs))
    saved_at = flushed_at = time.monotonic()
    committed = 0  # files of reader.done_files already copied into the checkpoint
    try:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                 initargs=(args.lang, os.getpid())) as pool:
            in_flight: deque[tuple[Chunk, Future | None]] = deque()

            def settle(chunk: Chunk, future: Future | None) -> None:
                nonlocal committed, saved_at, flushed_at
                summary.skipped_done += chunk.skipped
                if future is not None:
                    result: ChunkResult = future.result()
                    for article_id, reason in result.failures:
                        path, position = chunk.where[article_id]
                        quarantine.add(BadInput(path, position, reason))
                    writer.add(result.tables)
                    summary.coded += result.tables["articles"].num_rows
                    summary.events += result.n_events
                if writer.pending_articles >= FLUSH_ARTICLES or (
                        writer.pending_articles and time.monotonic() - flushed_at >= FLUSH_EVERY_S):
                    writer.flush()
                    flushed_at = time.monotonic()
                if writer.pending_articles == 0 and time.monotonic() - saved_at >= CHECKPOINT_EVERY_S:
                    committed = _advance(checkpoint, reader, chunk, committed)
                    checkpoint.save()
                    saved_at = flushed_at = time.monotonic()
                if progress is not None:
                    progress.update(chunk.bytes_read - progress.n)
                    elapsed = max(time.perf_counter() - started, 1e-9)
                    progress.set_postfix_str(f"{summary.coded / elapsed:.1f} art/s, {summary.events / elapsed:.1f} "
                                             f"ev/s, {summary.coded} coded, {summary.skipped_done} done before, "
                                             f"{quarantine.count} errors", refresh=False)

            last: Chunk | None = None
            for chunk in reader.chunks():
                future = pool.submit(code_chunk, chunk.articles, args.lang, ingested_at) if chunk.articles else None
                in_flight.append((chunk, future))
                while len(in_flight) > 2 * workers + 2 or (in_flight and in_flight[0][1] is None):
                    last = in_flight[0][0]
                    settle(*in_flight.popleft())
            while in_flight:
                last = in_flight[0][0]
                settle(*in_flight.popleft())
            writer.flush()
            if last is not None:
                _advance(checkpoint, reader, last, committed)
            checkpoint.partial = None
            checkpoint.save()
    finally:
        if progress is not None:
            progress.close()
        writer.close()
        quarantine.close()
    summary.duplicates = writer.duplicates
    summary.skipped_done += writer.unchanged
    summary.coded -= writer.unchanged + writer.duplicates
    summary.quarantined = quarantine.count
    summary.files_skipped = reader.files_skipped
    summary.seconds = time.perf_counter() - started
    print(summary.line(db, quarantine.path), file=sys.stderr)
    return summary


def _advance(checkpoint: Checkpoint, reader: Reader, chunk: Chunk, committed: int) -> int:
    """Copy what is committed up to `chunk` into the checkpoint."""
    for path, stat in reader.done_files[committed:chunk.n_done_files]:
        checkpoint.done[path] = stat
    checkpoint.partial = chunk.partial
    return max(committed, chunk.n_done_files)


def _progress(args: argparse.Namespace, inputs: list[str]):
    if args.no_progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    from ..ingest.sources import iter_files

    total = 0
    for source in iter_files(inputs, lambda err: None):
        with contextlib.suppress(OSError):
            total += os.path.getsize(source.path)
    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, desc="batch", dynamic_ncols=True)
