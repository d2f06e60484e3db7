"""The dictionary linter: every pattern's own example must produce the pattern's code.

Run by `hechos lint` and by the test suite, so a pattern that no longer fires (or
never did) is caught before it ships.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pipeline import Pipeline
from .records import Article


@dataclass
class LintReport:
    checked: int = 0
    failures: list[str] = field(default_factory=list)


def lint_patterns(lang: str = "es", pipeline: Pipeline | None = None) -> LintReport:
    pipeline = pipeline or Pipeline(lang)
    pipeline.load()
    patterns = pipeline.patterns.patterns
    examples = sorted({p.example for p in patterns})
    coded: dict[str, set[str]] = {}
    articles = (Article(id=str(n), text=text, date="2024-06-01") for n, text in enumerate(examples))
    for text, result in zip(examples, pipeline.code_many(articles), strict=True):
        coded[text] = {e.cameo for e in result.events}
    report = LintReport()
    for p in patterns:
        report.checked += 1
        got = coded.get(p.example, set())
        if p.code not in got:
            report.failures.append(f"{p.file}:{p.line}: pattern {p.id!r} ({p.code}) not produced by its example "
                                   f"{p.example!r}; got {sorted(got) or 'nothing'}")
    return report
