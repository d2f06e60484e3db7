"""CAMEO event codes with their names, Goldstein scores, QuadClass and PLOVER mapping.

Pure data: `cameo.tsv` beside this file is the table; this module only reads it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("cameo.tsv")


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None

    @property
    def root(self) -> str:
        return self.code[:2]


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    with open(TABLE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code = row["code"].strip()
            table[code] = CameoCode(
                code=code,
                name=row["name"].strip(),
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                plover_type=row["plover_type"].strip() or None,
                plover_mode=row["plover_mode"].strip() or None,
            )
    return table


def lookup(code: str) -> CameoCode:
    """The entry for a CAMEO code; KeyError for an unknown code."""
    return cameo_table()[code]


def is_cameo_code(code: str) -> bool:
    return code in cameo_table()


def quad_class_of_root(root: str) -> int:
    """GDELT's convention: 01–05 verbal cooperation, 06–08 material cooperation,
    09–13 and 16 verbal conflict, 14, 15, 17–20 material conflict."""
    n = int(root)
    if n <= 5:
        return 1
    if n <= 8:
        return 2
    if n <= 13 or n == 16:
        return 3
    return 4
