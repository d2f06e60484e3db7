"""The output contract of `hechos extract`, through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb

from hechos.store import SCHEMA_VERSION

REQUIRED = {"type", "event_id", "article_id", "sentence_index", "sentence", "trigger", "cameo", "cameo_root",
            "cameo_label", "plover_type", "plover_mode", "goldstein", "quad_class", "source", "target",
            "modality", "date", "confidence", "rule"}

ARTICLES = [
    {"id": "n1", "date": "2024-03-05", "text": "Washington impuso nuevas sanciones económicas contra Rusia. "
                                               "Rusia expulsó a diez diplomáticos británicos."},
    {"id": "n2", "text": "La policía peruana detuvo a 30 manifestantes frente al Congreso."},
]


def _run(args, stdin: str | None = None, cwd=None):
    return subprocess.run([sys.executable, "-m", "hechos.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_jsonl_contract_and_determinism(tmp_path):
    stdin = "\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n"
    first = _run(["extract", "-", "--jsonl", "-", "--date", "2024-06-01"], stdin)
    second = _run(["extract", "-", "--jsonl", "-", "--date", "2024-06-01"], stdin)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout  # byte-identical
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert len(lines) >= 3
    for ev in lines:
        assert set(ev) >= REQUIRED
        assert ev["type"] == "event" and ev["cameo"].startswith(ev["cameo_root"])
        assert 1 <= ev["quad_class"] <= 4 and 0 < ev["confidence"] <= 1
        for role in ("source", "target"):
            assert ev[role] is None or set(ev[role]) == {"text", "code", "country", "sector", "span", "resolved_from"}
    codes = {(ev["article_id"], ev["sentence_index"], ev["cameo"]) for ev in lines}
    assert ("n1", 0, "163") in codes and ("n1", 1, "166") in codes and ("n2", 0, "173") in codes


def test_bad_lines_are_counted_and_exit_code_says_so(tmp_path):
    stdin = json.dumps(ARTICLES[1], ensure_ascii=False) + "\n{broken\n"
    result = _run(["extract", "-", "--jsonl", "-"], stdin)
    assert result.returncode == 3
    assert "<stdin>:2: invalid JSON" in result.stderr
    assert "1 input record(s) skipped" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["cameo"] == "173"


def test_default_database_and_idempotent_rerun(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    for run in range(2):
        result = _run(["extract", str(src)], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        # the second run says that the stored articles were kept, not re-written
        assert ("2 of them were already stored" in result.stderr) == (run == 1), result.stderr
    con = duckdb.connect(str(tmp_path / "hechos.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    distinct = con.execute("SELECT count(DISTINCT event_id) FROM events").fetchone()[0]
    assert n_events == distinct >= 3
    info = _run(["db", "info", "--db", str(tmp_path / "hechos.duckdb")])
    assert f"schema version: {SCHEMA_VERSION}" in info.stdout


def test_unknown_language_is_a_clear_error():
    result = _run(["extract", "-", "--lang", "xx", "--jsonl", "-"], "")
    assert result.returncode == 1
    assert "unknown language 'xx'" in result.stderr and "Traceback" not in result.stderr
