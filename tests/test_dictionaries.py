"""Loaders validate and point at file:line; the shipped dictionaries load and lint."""

from __future__ import annotations

import pytest

from hechos.actors.dictionary import ActorEntry, Role, load_actor_dictionary
from hechos.errors import DictionaryError
from hechos.events.patterns import load_patterns
from hechos.lint import lint_patterns
from hechos.records import Evidence


def test_pattern_errors_name_file_and_line(tmp_path):
    (tmp_path / "01.yaml").write_text(
        '- id: ok\n  verb: condenar\n  code: "111"\n  example: "X condenó a Y."\n'
        '- id: bad\n  verb: atacar\n  code: "999"\n  example: "X atacó a Y."\n', encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_patterns(tmp_path)
    assert err.value.line == 5 and err.value.file.endswith("01.yaml") and "999" in err.value.message


def test_yaml_syntax_error_has_line(tmp_path):
    (tmp_path / "01.yaml").write_text('- id: a\n  verb: [unclosed\n', encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_patterns(tmp_path)
    assert err.value.line >= 2


def test_actor_code_validation(tmp_path):
    (tmp_path / "organizations.yaml").write_text("- code: IGOUNO\n  names: [ONU]\n- code: bad1\n  names: [X]\n",
                                                 encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_actor_dictionary(tmp_path)
    assert err.value.line == 3


def test_dated_roles():
    shoigu = ActorEntry("person", "Shoigu", "RUSGOV", Evidence("f", 1, "Shoigu"),
                        roles=(Role("RUSMIL", "2012-11-06", "2024-05-12"), Role("RUSGOV", "2024-05-12", None)))
    assert shoigu.code_on("2020-01-01") == "RUSMIL"
    assert shoigu.code_on("2024-06-01") == "RUSGOV"
    assert shoigu.code_on("2005-01-01") == "RUS"
    former = ActorEntry("person", "X", "COLGOV", Evidence("f", 1, "X"), roles=(Role("COLGOV", "2010-08-07", "2018-08-07"),))
    assert former.code_on("2020-01-01") == "COLELI"


def test_shipped_dictionaries_load(pipeline):
    assert pipeline.actors.size > 1000
    assert len(pipeline.patterns.patterns) >= 60
    roots = {p.code[:2] for p in pipeline.patterns.patterns}
    assert roots == {f"{n:02d}" for n in range(1, 21)}


def test_every_pattern_codes_its_own_example(pipeline):
    report = lint_patterns(pipeline=pipeline)
    assert report.checked == len(pipeline.patterns.patterns)
    assert not report.failures, "\n".join(report.failures[:20])


def test_yaml_no_is_a_word_not_a_boolean(tmp_path):
    from hechos.datafile import load_entries

    f = tmp_path / "g.yaml"
    f.write_text("- name: negation\n  words: [no, nunca, on, yes]\n  flag: true\n", encoding="utf-8")
    entry = load_entries(f)[0]
    assert entry["words"] == ["no", "nunca", "on", "yes"] and entry["flag"] is True


def test_no_name_means_two_things_of_the_same_kind(pipeline):
    """Two people (or two organisations...) sharing an alias would code by file order."""
    clashes = []
    stack = [((), pipeline.actors.root)]
    while stack:
        path, node = stack.pop()
        seen: dict[str, set] = {}
        for e in node.entries:
            seen.setdefault(e.kind, set()).add((e.key, e.code))
        clashes += [(" ".join(path), kind, sorted(v)) for kind, v in seen.items() if len(v) > 1]
        stack.extend((path + (piece,), child) for piece, child in node.children.items())
    assert not clashes, clashes[:10]


def test_people_dictionary_is_large_and_dated(pipeline):
    people = {}
    stack = [pipeline.actors.root]
    while stack:
        node = stack.pop()
        for e in node.entries:
            if e.kind == "person":
                people[e.key] = e
        stack.extend(node.children.values())
    assert len(people) >= 1500
    assert sum(1 for e in people.values() if e.roles) >= 1500
