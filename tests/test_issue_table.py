"""The behaviour table of the coder issue: real sentences, expected codes."""

from __future__ import annotations

import pytest

from .conftest import asserted


def _find(events, roots, source_country=None, target_country=None, modality=None):
    for e in events:
        if e.cameo_root not in roots:
            continue
        if source_country and (e.source is None or e.source.country != source_country):
            continue
        if target_country and (e.target is None or e.target.country != target_country):
            continue
        if modality and e.modality != modality:
            continue
        return e
    return None


CASES = [
    ("El canciller de Brasil se reunió el lunes en Buenos Aires con su homólogo argentino.",
     {"04"}, "BRAGOV", "ARGGOV", "asserted"),
    ("El gobierno de Colombia firmó un acuerdo de paz con el ELN.", {"05"}, "COLGOV", "COLREB", "asserted"),
    ("Japón anunció una donación de 10 millones de dólares a Filipinas tras el tifón.", {"07"}, "JPN", "PHL", "asserted"),
    ("La Unión Europea condenó la ejecución de dos opositores en Irán.", {"11"}, "IGOEUREEC", "IRN*", "asserted"),
    ("Miles de estudiantes marcharon en Santiago para exigir educación gratuita.", {"14"}, "CHLEDU", None, "asserted"),
    ("La policía peruana detuvo a 30 manifestantes frente al Congreso.", {"17"}, "PERCOP", "PER*", "asserted"),
    ("Rebeldes hutíes atacaron con drones un buque mercante en el mar Rojo.", {"18", "19"}, "YEMREB", None, "asserted"),
    ("Hamás rechazó la propuesta de alto el fuego presentada por Egipto.", {"12"}, "PSEREB", "EGY*", "asserted"),
    ("Washington impuso nuevas sanciones económicas contra Rusia.", {"16"}, "USAGOV", "RUS*", "asserted"),
    ("Ucrania pidió a sus aliados más sistemas de defensa antiaérea.", {"02", "10"}, "UKR*", None, "asserted"),
    ("Turquía desplegó tropas en la frontera con Siria.", {"15"}, "TUR*", "SYR*", "asserted"),
    ("El Tribunal Supremo de Brasil ordenó investigar al expresidente por corrupción.", {"09"}, "BRAJUD", "BRA*", "asserted"),
    ("Rusia expulsó a diez diplomáticos británicos.", {"16"}, "RUS*", "GBR*", "asserted"),
    ("Los talibanes liberaron a dos periodistas extranjeros secuestrados.", {"08"}, "AFG*", None, "asserted"),
    ("El portavoz del Kremlin dijo que Moscú está dispuesto a negociar con Kiev.", {"03"}, "RUSGOV", "UKRGOV", "asserted"),
    ("Se espera que el primer ministro de la India visite Washington en marzo.", {"04"}, "INDGOV", "USA", "future"),
]


def _matches(ref, expected: str | None) -> bool:
    if expected is None:
        return True
    if ref is None:
        return False
    if expected.endswith("*"):
        return ref.code.startswith(expected[:-1])
    return ref.code == expected


@pytest.mark.parametrize(("text", "roots", "source", "target", "modality"), CASES, ids=[c[0][:40] for c in CASES])
def test_table_sentence(code, text, roots, source, target, modality):
    events = code(text)
    hits = [e for e in events if e.cameo_root in roots and e.modality == modality
            and _matches(e.source, source) and _matches(e.target, target)]
    shown = [(e.cameo, e.source and e.source.code, e.target and e.target.code, e.modality) for e in events]
    assert hits, f"expected root {roots} {source} → {target} ({modality}); got {shown}"


def test_specific_full_codes(code):
    assert {e.cameo for e in code("El gobierno de Colombia firmó un acuerdo de paz con el ELN.")} >= {"057"}
    assert "111" in {e.cameo for e in code("La Unión Europea condenó la ejecución de dos opositores en Irán.")}
    assert "173" in {e.cameo for e in code("La policía peruana detuvo a 30 manifestantes frente al Congreso.")}
    assert "195" in {e.cameo for e in code("Rebeldes hutíes atacaron con drones un buque mercante en el mar Rojo.")}
    assert "163" in {e.cameo for e in code("Washington impuso nuevas sanciones económicas contra Rusia.")}
    assert "166" in {e.cameo for e in code("Rusia expulsó a diez diplomáticos británicos.")}


def test_protesters_keep_protester_sector(code):
    events = code("La policía peruana detuvo a 30 manifestantes frente al Congreso.")
    arrest = next(e for e in events if e.cameo == "173")
    assert arrest.target.country == "PER" and arrest.target.sector == "CVL"


def test_foreign_journalists_do_not_inherit_a_country(code):
    events = code("Los talibanes liberaron a dos periodistas extranjeros secuestrados.")
    release = next(e for e in events if e.cameo_root == "08")
    assert release.target.sector == "JRN" and release.target.country is None


def test_negated_future_attendance_is_not_asserted(code):
    events = code("El presidente de Venezuela no asistirá a la cumbre de la OEA.")
    assert not asserted(events)
    assert any(e.modality in ("negated", "future") and e.source and e.source.code == "VENGOV" for e in events)


def test_conditional_threat(code):
    events = code("Si Irán enriquece uranio al 90 %, Israel atacará sus instalaciones, advirtió el primer ministro israelí.")
    threat = _find(events, {"13"}, "ISR", "IRN", "asserted")
    assert threat is not None and threat.source.code == "ISRGOV"
    attacks = [e for e in events if e.cameo_root in ("18", "19", "20")]
    assert attacks and all(e.modality == "hypothetical" for e in attacks)
