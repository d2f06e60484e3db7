from __future__ import annotations

import json

import pytest

from hechos.errors import BadInput
from hechos.ingest import read_inputs


def _collect(paths, **kw):
    errors: list[BadInput] = []
    arts = list(read_inputs(paths, on_error=errors.append, **kw))
    return arts, errors


def test_jsonl_bad_lines_are_skipped_with_file_and_line(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Rusia atacó Ucrania.", "date": "2024-02-24"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "Texto", "date": "24/02/2024"}),
        json.dumps({"id": "d", "text": "Japón donó arroz a Filipinas."}),
    ]
    f.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "e", "text": "\xff\xfe"}\n')
    arts, errors = _collect([str(f)], default_date="2024-01-01")
    assert [a.id for a in arts] == ["a", "d"]
    assert arts[1].date == "2024-01-01"
    assert [(e.line, e.file) for e in errors] == [(2, str(f)), (3, str(f)), (4, str(f)), (6, str(f))]
    assert "invalid JSON" in errors[0].reason and "text" in errors[1].reason
    assert "date" in errors[2].reason and "UTF-8" in errors[3].reason


def test_txt_files_empty_and_binary(tmp_path):
    good = tmp_path / "nota.txt"
    good.write_text("El ejército atacó el campamento.", encoding="utf-8")
    empty = tmp_path / "vacio.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "foto.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    arts, errors = _collect([str(good), str(empty), str(binary), str(tmp_path / "missing.txt")])
    assert [a.id for a in arts] == ["nota"]
    reasons = [e.reason for e in errors]
    assert reasons == ["empty file", "binary data, not text", "no such file"]


def test_error_without_handler_raises():
    with pytest.raises(BadInput):
        list(read_inputs(["/nonexistent/file.txt"]))
