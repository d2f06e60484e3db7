from __future__ import annotations

from pathlib import Path

import pytest

from hechos.ontology import cameo_table, quad_class_of_root

from .conftest import SHARED

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_every_root_and_consistent_rows():
    table = cameo_table()
    assert {c.root for c in table.values()} == {f"{n:02d}" for n in range(1, 21)}
    assert len(table) >= 280
    for code, entry in table.items():
        assert code.isdigit() and 2 <= len(code) <= 4
        assert entry.name and -10 <= entry.goldstein <= 10
        assert entry.quad_class == quad_class_of_root(entry.root)
        assert entry.plover_type is None or entry.plover_type in PLOVER_TYPES
        if len(code) > 2:
            assert code[:2] in table and (len(code) < 4 or code[:3] in table)


def test_goldstein_scores_agree_with_reference():
    ref = SHARED / "reference" / "cameo_goldstein.tsv"
    if not ref.exists():
        pytest.skip("../shared/reference not present (it is development data only)")
    table = cameo_table()
    for line in Path(ref).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("code"):
            continue
        code, score = line.split("\t")[:2]
        assert table[code].goldstein == float(score), code


def test_known_labels():
    t = cameo_table()
    assert t["057"].name.startswith("sign formal agreement")
    assert t["173"].plover_type == "COERCE" and t["195"].plover_type == "ASSAULT"
    assert t["14"].quad_class == 4 and t["04"].quad_class == 1
