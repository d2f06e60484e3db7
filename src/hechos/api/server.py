"""`hechos serve`: the HTTP API and the dashboard over one DuckDB file.

The server owns the database: DuckDB lets one process write a file, and while it
does no other process can open it, not even read-only. So the server opens it
read-write once; each request reads through its own cursor (a connection of its own
to the same database, so reads see committed data and never block each other), and
writers go through POST /ingest, one batch at a time under a lock, in the same
delete+insert transaction as the local EventStore. `hechos extract --db X` finds the
server that holds X through the discovery file `<X>.serve.json` (see client.py).
"""


import json
import os
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date as Date
from pathlib import Path
from typing import Annotated

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import EventStore
from . import queries
from .client import discovery_path
from .models import (
    ArticleDetail,
    DyadsOut,
    ErrorOut,
    EventDetail,
    EventPage,
    ExtractIn,
    ExtractOut,
    HealthOut,
    IngestIn,
    IngestOut,
    MapOut,
    TimeseriesOut,
)
from .wire import WireError, rows_from_json

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
MAX_EXTRACT_CHARS = 100_000


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


class AppState:
    """The one connection, the locks around it, and the pipelines (loaded on first use)."""

    def __init__(self, con, db_path: str, lang: str = "es"):
        self.con = con
        self.db_path = db_path
        self.lang = lang
        self._cursor_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._pipeline_lock = threading.Lock()
        self._pipelines: dict = {}
        # Top-N over wide rows: sort the keys first and fetch whole rows only for the page
        # (DuckDB does this up to 50 rows by default; our pages go to 1000)
        con.execute("SET GLOBAL late_materialization_max_rows = 1001")
        self.store = EventStore(db_path, con=self.new_cursor(), batch_articles=10**9)

    def new_cursor(self):
        # creating a cursor touches the parent connection: one thread at a time
        with self._cursor_lock:
            return self.con.cursor()

    @contextmanager
    def reader(self) -> Iterator:
        cur = self.new_cursor()
        try:
            yield cur
        finally:
            cur.close()

    def pipeline(self, lang: str):
        """The pipeline for `lang`, loaded once; callers hold `_pipeline_lock` while coding."""
        if lang not in self._pipelines:
            from ..errors import HechosError
            from ..pipeline import Pipeline

            try:
                self._pipelines[lang] = Pipeline(lang).load()
            except HechosError as exc:
                raise ApiError(422, str(exc)) from exc
        return self._pipelines[lang]


def _error(status: int, message: str, details: list | None = None) -> JSONResponse:
    body: dict = {"error": message}
    if details is not None:
        body["details"] = details
    return JSONResponse(body, status_code=status)


def _plain(errors: list) -> list[dict]:
    """Validation errors without the raw input objects (not always JSON-serialisable)."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def create_app(con, db_path: str, lang: str = "es", discovery: dict | None = None,
               close_on_shutdown: bool = False) -> FastAPI:
    """The app over an open read-write connection. With `discovery` ({host, port}), the
    app writes `<db>.serve.json` at startup and removes it at shutdown."""
    state = AppState(con, db_path, lang)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        path = discovery_path(db_path) if discovery is not None else None
        if path is not None:
            host = discovery["host"]
            url_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            info = {"db": str(Path(db_path).resolve()), "host": host, "port": discovery["port"],
                    "pid": os.getpid(), "url": f"http://{url_host}:{discovery['port']}"}
            path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        try:
            yield
        finally:
            with state.write_lock:
                state.store.flush()
                # the last open cursor keeps DuckDB from checkpointing on close
                state.store.con.close()
            if close_on_shutdown:
                # uvicorn re-raises SIGTERM/SIGINT once the app has shut down, so code after
                # uvicorn.run may never run: close (and checkpoint) the database here
                con.close()
            if path is not None:
                path.unlink(missing_ok=True)

    app = FastAPI(title="hechos", version="1", lifespan=lifespan,
                  description="Political events coded from Spanish news (CAMEO/PLOVER). "
                              "Every error is a JSON body {\"error\": message}.",
                  responses={422: {"model": ErrorOut}})
    app.state.hechos = state

    @app.middleware("http")
    async def _body_limit(request: Request, call_next):
        # refuse a huge /extract body before reading it (4 bytes a character at most in UTF-8)
        if request.url.path == "/extract":
            size = request.headers.get("content-length", "")
            if size.isdigit() and int(size) > 4 * MAX_EXTRACT_CHARS + 65536:
                return _error(413, f"request body of {size} bytes; the text limit is {MAX_EXTRACT_CHARS} characters")
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(exc.status, exc.message)

    @app.exception_handler(queries.QueryError)
    async def _query_error(request: Request, exc: queries.QueryError):
        return _error(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = _plain(exc.errors())
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return _error(422, f"{where}: {first['msg']}" if where else first["msg"], errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        return _error(500, f"internal error: {type(exc).__name__}")

    # -- reading ---------------------------------------------------------------------

    def event_filter(start: Date | None = None, end: Date | None = None,
                     actor: Annotated[str | None, Query(description="actor code prefix or country, either side")] = None,
                     source: Annotated[str | None, Query(description="source code prefix or country")] = None,
                     target: Annotated[str | None, Query(description="target code prefix or country")] = None,
                     country: Annotated[str | None, Query(description="country where it happened (alpha-3)")] = None,
                     root: Annotated[str | None, Query(description="CAMEO root(s), comma-separated")] = None,
                     cameo: Annotated[str | None, Query(description="CAMEO code prefix")] = None,
                     quad_class: Annotated[str | None, Query(description="QuadClass(es) 1..4, comma-separated")] = None,
                     modality: Annotated[str | None, Query(description="modality(ies), comma-separated")] = None,
                     q: Annotated[str | None, Query(description="text in the sentence (case-insensitive)")] = None,
                     article_id: str | None = None) -> queries.EventFilter:
        return queries.make_filter(start=start, end=end, actor=actor, source=source, target=target,
                                   country=country, root=root, cameo=cameo, quad_class=quad_class,
                                   modality=modality, q=q, article_id=article_id)

    Filter = Annotated[queries.EventFilter, Depends(event_filter)]

    @app.get("/health", response_model=HealthOut)
    def health():
        with state.reader() as cur:
            n = queries.count_events(cur)
        return {"status": "ok", "db": str(Path(db_path).resolve()), "pid": os.getpid(), "events": n}

    @app.get("/events", response_model=EventPage, responses={422: {"model": ErrorOut}})
    def events(flt: Filter,
               sort: Annotated[str, Query(description=f"one of {', '.join(queries.SORT_CHOICES)}")] = "-event_day",
               limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
               total: Annotated[bool, Query(description="also count all matching events")] = False):
        with state.reader() as cur:
            return queries.list_events(cur, flt, sort=sort, limit=limit, cursor=cursor, with_total=total)

    @app.get("/events/{event_id}", response_model=EventDetail, responses={404: {"model": ErrorOut}})
    def event(event_id: str):
        with state.reader() as cur:
            found = queries.get_event(cur, event_id)
        if found is None:
            raise ApiError(404, f"no event {event_id!r}")
        return found

    @app.get("/articles/{article_id}", response_model=ArticleDetail, responses={404: {"model": ErrorOut}})
    def article(article_id: str):
        with state.reader() as cur:
            found = queries.article_detail(cur, article_id)
        if found is None:
            raise ApiError(404, f"no article {article_id!r}")
        return found

    @app.get("/dyads", response_model=DyadsOut)
    def dyads(flt: Filter, level: Annotated[str, Query(pattern="^(country|code)$")] = "country",
              min_count: Annotated[int, Query(ge=1)] = 1, limit: Annotated[int, Query(ge=1, le=5000)] = 100):
        with state.reader() as cur:
            return queries.dyads(cur, flt, level=level, min_count=min_count, limit=limit)

    @app.get("/timeseries", response_model=TimeseriesOut)
    def timeseries(flt: Filter, interval: Annotated[str, Query(pattern="^(day|week|month)$")] = "day"):
        with state.reader() as cur:
            return queries.timeseries(cur, flt, interval=interval)

    @app.get("/map", response_model=MapOut)
    def map_(flt: Filter, limit: Annotated[int, Query(ge=1, le=20000)] = 2000):
        with state.reader() as cur:
            return queries.map_data(cur, flt, limit=limit)

    # -- coding and writing -------------------------------------------------------------

    @app.post("/extract", response_model=ExtractOut, responses={413: {"model": ErrorOut}})
    def extract(body: ExtractIn):
        from ..records import Article
        from ..store import content_hash

        if len(body.text) > MAX_EXTRACT_CHARS:
            raise ApiError(413, f"text has {len(body.text)} characters; the limit is {MAX_EXTRACT_CHARS}")
        if body.date is not None:
            try:
                Date.fromisoformat(body.date)
            except ValueError as exc:
                raise ApiError(422, f"date must be YYYY-MM-DD, not {body.date!r}") from exc
        lang = body.lang or state.lang
        article_id = body.id or "extract-" + content_hash(body.text)[:12]
        article_in = Article(id=article_id, text=body.text, date=body.date, lang=lang, title=body.title)
        # spaCy pipelines are not safe to share between threads mid-call
        with state._pipeline_lock:
            result = state.pipeline(lang).code(article_in)
        return {"article_id": article_id, "events": [e.as_dict() for e in result.events],
                "quotes": [q.as_dict() for q in result.quotes]}

    @app.post("/ingest", response_model=IngestOut, responses={422: {"model": ErrorOut}})
    def ingest(body: Annotated[IngestIn, Body()]):
        try:
            batch = [rows_from_json(r) for r in body.results]
        except WireError as exc:
            raise ApiError(422, str(exc)) from exc
        store = state.store
        with state.write_lock:
            before = (store.articles_written, store.events_written, store.articles_unchanged,
                      store.duplicates_skipped)
            try:
                for rows in batch:
                    store.add_rows(rows)
                store.flush()
            except Exception:
                # nothing of a failed batch may linger into the next one
                store._pending = {t: [] for t in store._pending}
                store._pending_ids = {}
                raise
            after = (store.articles_written, store.events_written, store.articles_unchanged,
                     store.duplicates_skipped)
        keys = ("articles_written", "events_written", "articles_unchanged", "duplicates_skipped")
        return {k: a - b for k, a, b in zip(keys, after, before, strict=True)}

    # -- dashboard ---------------------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html")

    return app


def run_serve(args) -> int:
    """Entry point of `hechos serve`."""
    import sys

    import duckdb
    import uvicorn

    from ..errors import HechosError
    from ..store import DEFAULT_DB, open_database

    db_path = args.db or DEFAULT_DB
    try:
        con = open_database(db_path)
    except duckdb.IOException as exc:
        print(f"hechos serve: cannot open {db_path} for writing (is another process using it?): {exc}",
              file=sys.stderr)
        return 2
    except HechosError as exc:
        print(f"hechos serve: {exc}", file=sys.stderr)
        return 2
    try:
        app = create_app(con, db_path, lang=args.lang, discovery={"host": args.host, "port": args.port},
                         close_on_shutdown=True)
        print(f"hechos: serving {db_path} on http://{args.host}:{args.port}/ (API docs at /docs)",
              file=sys.stderr)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        con.close()
    return 0
