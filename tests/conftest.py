from __future__ import annotations

from pathlib import Path

import pytest

from hechos.pipeline import Pipeline
from hechos.records import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline("es").load()


@pytest.fixture(scope="session")
def code(pipeline):
    """Code one text as an article dated `date`; returns the events."""

    def run(text: str, date: str = "2024-06-01"):
        return pipeline.code(Article(id="t", text=text, date=date)).events

    return run


def asserted(events):
    return [e for e in events if e.modality in ("asserted", "attempted")]
