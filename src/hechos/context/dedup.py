"""One event per happening within an article.

A wire story states its main event in the headline, the lead and again in the body.
Events of one article with the same CAMEO code, the same coded source and target and
the same modality, and no conflicting date or place, are one happening: the
best-evidenced statement (both actors, then confidence, then the earliest sentence)
is kept as the record, with `mentions` (how many statements) and `sentence_indexes`.
Across articles nothing is merged here: the database groups by date, dyad and code
(the `event_groups` view; GDELT's NumMentions / NumArticles / NumSources).
"""

from __future__ import annotations

from ..records import Event, Quote


def _actor_key(actor) -> str | None:
    if actor is None:
        return None
    return actor.code or f"?{actor.text.lower()}"


def _compatible(a: Event, b: Event) -> bool:
    if a.date_source == "text" and b.date_source == "text" and a.date != b.date:
        return False
    return not (a.location and b.location and a.location.name != b.location.name)


def _evidence(e: Event) -> tuple:
    return (e.source is not None and e.target is not None, e.source is not None or e.target is not None,
            e.date_source == "text", e.location is not None, e.confidence, -e.sentence_index, -e.trigger_index)


def merge_mentions(events: list[Event], quotes: list[Quote] | None = None) -> list[Event]:
    """Events with repeated statements merged; quote links follow the kept record."""
    groups: list[list[Event]] = []
    index: dict[tuple, list[list[Event]]] = {}
    for e in events:
        if e.source is None and e.target is None:
            groups.append([e])  # an actorless event ("hubo protestas") names no dyad to match on
            continue
        key = (e.cameo, _actor_key(e.source), _actor_key(e.target), e.modality)
        for group in index.get(key, []):
            if all(_compatible(e, other) for other in group):
                group.append(e)
                break
        else:
            group = [e]
            groups.append(group)
            index.setdefault(key, []).append(group)
    out: list[Event] = []
    renamed: dict[str, str] = {}
    for group in groups:
        best = max(group, key=_evidence)
        best.sentence_indexes = sorted({i for e in group for i in (e.sentence_indexes or [e.sentence_index])})
        best.mentions = len(best.sentence_indexes)
        for e in group:
            if e is not best:
                renamed[e.event_id] = best.event_id
        out.append(best)
    for q in quotes or []:
        if q.event_id in renamed:
            q.event_id = renamed[q.event_id]
    return out
