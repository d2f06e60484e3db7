"""Typed response and request bodies of the HTTP API (they are also its OpenAPI schema)."""

from __future__ import annotations

from datetime import date as Date

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    error: str
    details: list[dict] | None = None


class ActorOut(BaseModel):
    text: str | None
    code: str | None
    country: str | None
    sector: str | None
    span: list[int] | None = Field(None, description="[start, end) character offsets in the sentence")
    resolved_from: str | None = None


class LocationOut(BaseModel):
    name: str | None
    text: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    how: str | None


class EventOut(BaseModel):
    event_id: str
    article_id: str
    sentence_index: int | None
    sentence: str | None
    trigger: str | None
    trigger_span: list[int] | None = Field(None, description="[start, end) character offsets in the sentence")
    cameo: str | None
    cameo_root: str | None
    cameo_label: str | None
    plover_type: str | None
    plover_mode: str | None
    goldstein: float | None
    quad_class: int | None
    source: ActorOut | None
    target: ActorOut | None
    modality: str | None
    symmetric: bool | None
    date: str | None
    date_precision: str | None
    date_source: str | None
    date_phrase: str | None
    event_day: Date | None
    location: LocationOut | None
    mentions: int | None
    sentence_indexes: list[int] | None
    confidence: float | None
    rule: str | None


class QuoteOut(BaseModel):
    quote_id: str | None
    article_id: str
    sentence_index: int | None
    quote: str | None
    kind: str | None
    verb: str | None
    speaker: ActorOut | None
    event_id: str | None


class ArticleOut(BaseModel):
    article_id: str
    title: str | None
    url: str | None
    source: str | None
    date: str | None
    lang: str | None
    n_sentences: int | None
    n_events: int | None
    n_quotes: int | None


class EventPage(BaseModel):
    events: list[EventOut]
    next_cursor: str | None = Field(None, description="pass as `cursor` to get the next page; null on the last")
    total: int | None = Field(None, description="number of matching events, when `total=true`")


class EventDetail(EventOut):
    quotes: list[QuoteOut]
    article: ArticleOut | None


class ArticleDetail(ArticleOut):
    events: list[EventOut]
    quotes: list[QuoteOut]


class Dyad(BaseModel):
    source: str
    target: str
    count: int
    mean_goldstein: float | None


class DyadsOut(BaseModel):
    level: str
    dyads: list[Dyad]


class Bucket(BaseModel):
    period: Date
    counts: dict[str, int] = Field(description="QuadClass (1..4) → number of events")
    total: int


class TimeseriesOut(BaseModel):
    interval: str
    buckets: list[Bucket]
    undated: int = Field(description="matching events without a day (not in any bucket)")
    total: int


class MapPoint(BaseModel):
    name: str | None
    country: str | None
    lat: float
    lon: float
    count: int
    mean_goldstein: float | None


class MapCountry(BaseModel):
    country: str
    iso_numeric: str | None = Field(None, description="ISO 3166-1 numeric, the id of Natural Earth shapes")
    count: int


class MapOut(BaseModel):
    points: list[MapPoint]
    countries: list[MapCountry]


class ExtractIn(BaseModel):
    text: str
    date: str | None = Field(None, description="publication date YYYY-MM-DD")
    title: str | None = None
    lang: str | None = Field(None, description="language pack (default: the server's)")
    id: str | None = Field(None, description="article id (default: derived from the text)")


class ExtractOut(BaseModel):
    article_id: str
    events: list[dict]
    quotes: list[dict]


class IngestIn(BaseModel):
    """Coded articles as `hechos.store.rows.result_rows` gives them, JSON-encoded
    (dates and timestamps as ISO strings): one {table: [row, ...]} object per article."""

    results: list[dict[str, list[dict]]]


class IngestOut(BaseModel):
    articles_written: int
    events_written: int
    articles_unchanged: int
    duplicates_skipped: int


class HealthOut(BaseModel):
    status: str
    db: str
    pid: int
    events: int
