"""Coding large corpora: resumable multi-process batch runs (`batch`) and Spark (`spark`)."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def run_timestamp() -> datetime:
    """`ingested_at` for a run: now (UTC, naive), or SOURCE_DATE_EPOCH when set, so that a
    re-run can reproduce every column byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
