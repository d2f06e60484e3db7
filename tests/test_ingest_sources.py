from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from hechos.errors import BadInput
from hechos.ingest import read_inputs
from hechos.ingest.sources import InputFile, iter_files, read_all, read_file


def page(title: str, date: str | None, paragraphs: list[str]) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{meta}</head><body><nav>Inicio | Deportes | Cultura</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>© Diario de prueba</footer></body></html>")


def write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    """A gzipped WARC with a request and a response per (url, WARC-Date, html) page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, when, html in pages:
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.0\r\n\r\n"),
                                            warc_headers_dict={"WARC-Date": when})
            writer.write_record(req)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            resp = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                             http_headers=http, warc_headers_dict={"WARC-Date": when})
            writer.write_record(resp)


LIMA = ["Miles de estudiantes peruanos marcharon este lunes hacia el Congreso en Lima para exigir la "
        "renuncia del ministro de Educación.",
        "La policía detuvo a varios manifestantes durante la jornada, según informaron fuentes oficiales."]


def _collect(paths, **kw):
    errors: list[BadInput] = []
    return list(read_all(paths, on_error=errors.append, **kw)), errors


def test_html_text_title_and_date_come_from_the_page(tmp_path):
    f = tmp_path / "lima.html"
    f.write_text(page("Protestas en Lima", "2024-06-03", LIMA), encoding="utf-8")
    arts, errors = _collect([str(f)], default_date="2020-01-01")
    assert errors == []
    (art,) = arts
    assert art.id == "lima" and art.title == "Protestas en Lima" and art.date == "2024-06-03"
    assert "estudiantes peruanos marcharon" in art.text and "detuvo a varios" in art.text
    assert "Deportes" not in art.text  # navigation is not article text


def test_html_without_date_takes_the_default_and_empty_page_is_reported(tmp_path):
    (tmp_path / "a.htm").write_text(page("Sin fecha", None, LIMA), encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    arts, errors = _collect([str(tmp_path)], default_date="2021-05-05")
    assert [(a.id, a.date) for a in arts] == [("a", "2021-05-05")]
    assert [(Path(e.file).name, e.line) for e in errors] == [("b.html", None)]
    assert "no article text" in errors[0].reason


def test_warc_responses_become_articles_with_url_ids_and_warc_dates(tmp_path):
    f = tmp_path / "crawl.warc.gz"
    write_warc(f, [("https://diario.example/lima", "2024-06-04T08:00:00Z", page("Lima", None, LIMA)),
                   ("https://diario.example/menu", "2024-06-04T08:01:00Z", "<html><body></body></html>"),
                   ("https://diario.example/caracas", "2024-06-05T09:00:00Z",
                    page("Caracas", "2024-06-01", ["El gobierno de Venezuela expulsó a los diplomáticos "
                                                   "de Argentina tras las elecciones presidenciales."]))])
    arts, errors = _collect([str(f)])
    assert [(a.id, a.date, a.url) for a in arts] == [
        ("https://diario.example/lima", "2024-06-04", "https://diario.example/lima"),  # WARC-Date
        ("https://diario.example/caracas", "2024-06-01", "https://diario.example/caracas"),  # page date wins
    ]
    assert [(e.line, "no article text" in e.reason) for e in errors] == [(2, True)]
    # resuming inside a WARC skips the responses already done
    items = list(read_file(InputFile(str(f), ""), None, "es", errors.append, skip_to=2))
    assert [(i.position, i.article.id if i.article else None) for i in items] == [(3, "https://diario.example/caracas")]


def test_folders_recursive_sorted_with_relative_ids_and_gzip_jsonl(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("Rusia atacó Ucrania.", encoding="utf-8")
    (tmp_path / "b" / "c" / "a.txt").write_text("Japón donó arroz a Filipinas.", encoding="utf-8")
    (tmp_path / "b" / "notas.pdf").write_bytes(b"%PDF")
    lines = [json.dumps({"id": "g1", "text": "Cuba liberó a dos presos.", "date": "2024-02-02"}), "{roto"]
    with gzip.open(tmp_path / "b" / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    errors: list[BadInput] = []
    files = list(iter_files([str(tmp_path)], errors.append))
    assert [(Path(f.path).relative_to(tmp_path).as_posix(), f.id_prefix) for f in files] == [
        ("a.txt", ""), ("b/c/a.txt", "b/c/"), ("b/d.jsonl.gz", "b/")]
    arts, errors = _collect([str(tmp_path)])
    assert [a.id for a in arts] == ["a", "b/c/a", "g1"]
    assert [(Path(e.file).name, e.line) for e in errors] == [("d.jsonl.gz", 2)]


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path):
    f = tmp_path / "corto.jsonl.gz"
    body = "".join(json.dumps({"id": f"n{i}", "text": f"El ejército atacó la aldea número {i}."}) + "\n"
                   for i in range(2000)).encode()
    data = gzip.compress(body)
    f.write_bytes(data[: len(data) // 2])
    arts, errors = _collect([str(f)])
    assert 0 < len(arts) < 2000
    assert [a.id for a in arts] == [f"n{i}" for i in range(len(arts))]
    assert len(errors) == 1 and "unreadable input" in errors[0].reason


def test_extract_reader_reads_named_html_and_gzip_files(tmp_path):
    f = tmp_path / "lima.html"
    f.write_text(page("Protestas en Lima", "2024-06-03", LIMA), encoding="utf-8")
    g = tmp_path / "x.jsonl.gz"
    with gzip.open(g, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g", "text": "Cuba liberó a dos presos."}) + "\n")
    arts = list(read_inputs([str(f), str(g)]))
    assert [(a.id, a.title) for a in arts] == [("lima", "Protestas en Lima"), ("g", None)]
