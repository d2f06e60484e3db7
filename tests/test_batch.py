from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from hechos.ingest.sources import read_all
from hechos.scale.batch import batch
from hechos.store import EventStore
from tests.test_ingest_sources import page, write_warc

ARTICLES = [
    ("co1", "2024-03-02", "El ejército de Colombia atacó un campamento del ELN en Arauca. "
                          "Los guerrilleros respondieron con disparos."),
    ("ru1", "2024-04-10", "Rusia condenó las sanciones de la Unión Europea contra sus bancos."),
    ("cl1", "2024-05-01", "Los maestros chilenos protestaron frente al Congreso en Valparaíso."),
    ("br1", "2024-05-03", "El presidente de Brasil se reunió con el canciller de Argentina en Brasilia."),
    ("ve1", "2024-05-20", "El gobierno de Venezuela expulsó a los diplomáticos de Argentina.\n\n"
                          "Caracas acusó a Buenos Aires de injerencia."),
    ("mx1", None, "La policía mexicana detuvo a tres dirigentes del cártel en Sinaloa."),
    ("us1", "2024-06-11", "Estados Unidos anunció nuevas sanciones contra Irán por su programa nuclear."),
]
TXT = {"nota_bolivia": "Los campesinos bolivianos bloquearon las carreteras para exigir al gobierno "
                       "la rebaja del combustible.",
       "nota_onu": "La ONU pidió ayuda humanitaria a la Unión Europea para los refugiados sirios."}


def write_corpus(root: Path) -> Path:
    """A dozen articles in every input format, plus two bad records."""
    corpus = root / "corpus"
    (corpus / "web").mkdir(parents=True)
    lines = [json.dumps({"id": i, "text": t, "date": d}, ensure_ascii=False) for i, d, t in ARTICLES[:4]]
    lines.insert(2, '{"id": "roto", "text": ')  # bad: invalid JSON
    (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(corpus / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        for i, d, t in ARTICLES[4:]:
            fh.write(json.dumps({"id": i, "text": t, "date": d}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "sin_texto", "text": ""}) + "\n")  # bad: empty text
    for name, text in TXT.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    (corpus / "web" / "lima.html").write_text(page("Protestas en Lima", "2024-06-03", [
        "Miles de estudiantes peruanos marcharon hacia el Congreso en Lima para exigir la renuncia "
        "del ministro.", "La policía detuvo a varios manifestantes durante la jornada."]), encoding="utf-8")
    write_warc(corpus / "web" / "crawl.warc.gz", [
        ("https://diario.example/turquia", "2024-07-01T10:00:00Z", page("Turquía", None, [
            "Turquía bombardeó posiciones de las milicias kurdas en el norte de Siria."])),
        ("https://diario.example/israel", "2024-07-02T10:00:00Z", page("Israel", None, [
            "El ministro de Defensa israelí amenazó con represalias a Hamás tras el ataque."]))])
    return corpus


def args(inputs, db: Path, workers: int, **kw) -> argparse.Namespace:
    base = {"inputs": [str(i) for i in inputs], "db": str(db), "workers": workers, "restart": False,
            "lang": "es", "date": None, "quarantine": None, "no_progress": True}
    base.update(kw)
    return argparse.Namespace(**base)


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the ingestion time."""
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    for table in ("articles", "events", "quotes", "mentions"):
        cur = con.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        out[table] = sorted((tuple(v for c, v in zip(cols, row, strict=True) if c != "ingested_at")
                             for row in cur.fetchall()), key=repr)
    con.close()
    return out


def test_batch_formats_workers_and_extract_agree(tmp_path, pipeline):
    corpus = write_corpus(tmp_path)
    s1 = batch(args([corpus], tmp_path / "w1.duckdb", 1))
    s2 = batch(args([corpus], tmp_path / "w2.duckdb", 2))
    n = len(ARTICLES) + len(TXT) + 3
    assert (s1.coded, s1.quarantined, s1.events) == (n, 2, s2.events)
    assert s2.coded == n and s1.events > n // 2
    one, two = dump(tmp_path / "w1.duckdb"), dump(tmp_path / "w2.duckdb")
    assert one == two
    # the same articles through the EventStore path `hechos extract` uses
    with EventStore(tmp_path / "x.duckdb") as store:
        for result in pipeline.code_many(read_all([str(corpus)], on_error=lambda e: None)):
            store.add(result)
    assert dump(tmp_path / "x.duckdb") == one
    ids = {row[0] for row in one["articles"]}
    assert {"co1", "nota_onu", "web/lima", "https://diario.example/israel"} <= ids
    quarantine = (tmp_path / "w1.duckdb.quarantine.tsv").read_text(encoding="utf-8").splitlines()
    assert quarantine[0] == "path\tposition\treason"
    assert sorted((Path(p).name, pos) for p, pos, _ in (q.split("\t") for q in quarantine[1:])) == [
        ("a.jsonl", "3"), ("b.jsonl.gz", "4")]
    # a second run codes nothing: everything is done (the checkpoint passes over every file)
    again = batch(args([corpus], tmp_path / "w1.duckdb", 2))
    assert (again.coded, again.events, again.files_skipped) == (0, 0, 6)
    assert dump(tmp_path / "w1.duckdb") == one


def test_changed_article_is_replaced_and_restart_recodes(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    f = corpus / "n.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "Rusia atacó Ucrania."}) + "\n"
                 + json.dumps({"id": "b", "text": "Cuba liberó a dos presos políticos."}) + "\n", encoding="utf-8")
    db = tmp_path / "r.duckdb"
    assert batch(args([corpus], db, 1)).coded == 2
    f.write_text(json.dumps({"id": "a", "text": "Rusia atacó Ucrania."}) + "\n"
                 + json.dumps({"id": "b", "text": "Japón donó arroz a Filipinas."}) + "\n", encoding="utf-8")
    s = batch(args([corpus], db, 1))  # the file changed: read again, only `b` is re-coded
    assert (s.coded, s.skipped_done, s.files_skipped) == (1, 1, 0)
    assert any(e[1] == "b" and e[4] == "donó" for e in dump(db)["events"])
    assert not any(e[1] == "b" and e[4] == "liberó" for e in dump(db)["events"])
    s = batch(args([corpus], db, 1, restart=True))
    assert (s.coded, s.skipped_done) == (2, 0)


def fault_corpus(root: Path, n: int) -> Path:
    subjects = ["El gobierno de Colombia", "La policía peruana", "Los manifestantes", "Rusia", "La ONU",
                "El ejército venezolano", "Los estudiantes chilenos", "Estados Unidos", "Irán", "Turquía"]
    verbs = ["condenó el ataque contra", "se reunió con", "acusó de corrupción a", "amenazó a",
             "pidió ayuda a", "criticó a", "detuvo a dirigentes de", "negoció con"]
    objects = ["Ucrania", "Venezuela", "la oposición", "Israel", "China", "Cuba", "los sindicatos"]
    corpus = root / "big"
    corpus.mkdir()
    files = [corpus / f"parte{k}.jsonl" for k in range(3)] + [corpus / "parte3.jsonl.gz"]
    lines: list[list[str]] = [[] for _ in files]
    for i in range(n):
        s = f"{subjects[i % 10]} {verbs[(i // 10) % 8]} {objects[(i // 80) % 7]}."
        t = f"{subjects[(i + 3) % 10]} {verbs[(i + 5) % 8]} {objects[i % 7]} el día {i}."
        lines[i % len(files)].append(json.dumps({"id": f"f{i:04d}", "text": f"{s} {t}",
                                                 "date": f"2024-{1 + i % 12:02d}-15"}, ensure_ascii=False))
    for path, body in zip(files, lines, strict=True):
        data = ("\n".join(body) + "\n").encode()
        path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return corpus


def _cli(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "hechos.cli", "batch", str(corpus), "--db", str(db), "--workers", "2",
            "--no-progress"]


def test_kill_9_then_resume_codes_every_article_exactly_once(tmp_path):
    n = 240
    corpus = fault_corpus(tmp_path, n)
    db = tmp_path / "k.duckdb"
    ckpt = Path(str(db) + ".batch.json")
    proc = subprocess.Popen(_cli(corpus, db), stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            state = json.loads(ckpt.read_text())
        except (OSError, ValueError):
            state = None
        if state and (state.get("done") or (state.get("partial") or {}).get("position", 0) >= 10):
            os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-run
            killed = True
            break
        time.sleep(0.05)
    proc.wait()
    assert killed, "the run finished before it could be interrupted"
    resumed = subprocess.run(_cli(corpus, db), stderr=subprocess.PIPE, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    summary = resumed.stderr.strip().splitlines()[-1]
    coded = int(summary.split(" article(s) coded")[0].rsplit(" ", 1)[1])
    assert 0 < coded < n  # it resumed: part of the work was kept

    con = duckdb.connect(str(db), read_only=True)
    per_hash = con.execute("SELECT count(*), count(DISTINCT content_hash), count(DISTINCT article_id) "
                           "FROM articles").fetchone()
    dup_events = con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone()[0]
    con.close()
    assert per_hash == (n, n, n) and dup_events == 0

    clean = tmp_path / "clean.duckdb"
    subprocess.run(_cli(corpus, clean), check=True, stderr=subprocess.PIPE, timeout=120)
    assert dump(db) == dump(clean)
