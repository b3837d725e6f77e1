"""Odd input gives a usable answer (exit 0, valid files) or exit 2 with one line naming the
place; never exit 3 or a traceback. Odd numbers, dates the calendar lacks, deep nesting,
closed or non-UTF-8 standard streams, file names that are not UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.sources import load_source, read_source
from kg.sources.dates import DateValue, read_date
from tests.expectations import ROOT

LEAD = "'''测试国际'''（缩写为TST）是一个国际组织。\n\n"
CLI = [sys.executable, "-c", "from kg.cli import run_cli; run_cli()"]


def _conference(tmp_path: Path, heading: str, cells: str = "| {{ARG}} || 甲党") -> Path:
    path = tmp_path / "a.wiki"
    path.write_text(LEAD + f"=={heading}==\n{{|\n|-\n! 国家 !! 政党\n|-\n{cells}\n|}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2011年2月30日", DateValue(2011, 2)),  # no such day: the month stays
        ("2012年2月29日", DateValue(2012, 2, 29)),
        ("2011年2月29日", DateValue(2011, 2)),
        ("2011年13月45日", DateValue(2011)),  # no such month: the year stays
        ("2011-04-31", DateValue(2011, 4)),
        ("2011年十二月三十一日", DateValue(2011, 12, 31)),
    ],
)
def test_a_date_keeps_what_the_calendar_has(text: str, date: DateValue) -> None:
    assert read_date(text) == date


@pytest.mark.parametrize(
    ("heading", "ordinal", "year", "place"),
    [
        ("第1次会议（99999年）", 1, None, ""),  # a year past the grammar is no place either
        ("第1次会议（0年）", 1, None, ""),
        ("第99999999999999999999次会议（2011年）", 99999999999999999999, 2011, ""),
        ("第３次会议（２０１１年）", 3, 2011, ""),
        ("第1次会议（2011年2月30日，基多）", 1, 2011, "基多"),
    ],
)
def test_odd_numbers_in_headings(tmp_path: Path, heading: str, ordinal: int, year: int | None, place: str) -> None:
    [attendance] = read_source(load_source(_conference(tmp_path, heading))).attendances
    conference = attendance.conference
    assert (conference.ordinal, conference.year, conference.place) == (ordinal, year, place)


@pytest.mark.parametrize(
    "cells",
    [
        '| rowspan="٣" colspan="３" | {{ARG}} || 甲党',  # digits int() takes, HTML does not
        '| rowspan="²" | {{ARG}} || 甲党',  # a digit int() refuses
        '| rowspan="1e9" colspan="0x10" | {{ARG}} || 甲党',
        "| {{ARG}} || 甲&#55296;党&#xDFFF;&#1114112;&#0;",  # references to no character
        "| {{start date|²|٣|1}} {{ARG}} || 甲党",
    ],
)
def test_odd_attributes_and_references_build(tmp_path: Path, cells: str) -> None:
    out = tmp_path / "out"
    assert main(["build", str(_conference(tmp_path, "第1次会议（2011年）", cells)), "--out", str(out)]) == 0
    assert any(q.predicate.value.endswith("attendee") for q in ox.parse(path=str(out / "kg.ttl")))


def test_a_date_past_the_month_builds_a_valid_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(_conference(tmp_path, "第1次会议（2011年2月30日）")), "--out", str(out)]) == 0
    assert main(["validate", str(out / "kg.ttl")]) == 0


@pytest.mark.parametrize(
    ("text", "col"),
    [  # the outer object is level 1; the 500th bracket inside it is level 501, the first too deep
        ('{"@id":"http://a","http://b":' + "[" * 600 + "1" + "]" * 600 + "}", 29 + 500),
        ('{"@id":"http://a","http://b":' + '{"http://c":' * 600 + "1" + "}" * 600 + "}", 29 + 12 * 499 + 1),
    ],
)
def test_deep_json_ld_is_refused_where_it_gets_too_deep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, col: int
) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text(text, encoding="utf-8")
    for argv in (["validate", str(path)], ["query", "members", "--graph", str(path)]):
        assert main(argv) == 2
        assert capsys.readouterr().err == (
            f"{path}:1:{col}: error: JSON nested more than 500 levels deep: no JSON-LD document is [too-deep]\n"
        )


def test_brackets_inside_json_strings_do_not_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "brackets.jsonld"
    path.write_text('{"@id": "http://a", "http://b": "' + "[{" * 600 + '\\" [["}', encoding="utf-8")
    assert main(["export", str(path), "--format", "nt"]) == 0
    assert capsys.readouterr().out.count("[{") == 600


def test_deep_turtle_and_rdfxml_load(tmp_path: Path) -> None:
    nested = tmp_path / "nested.ttl"
    nested.write_text("<http://a> <http://b> " + "(" * 20000 + ")" * 20000 + " .\n", encoding="utf-8")
    deep = tmp_path / "deep.rdf"
    rdf = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
    rdf += '<rdf:Description rdf:about="http://a">' + "<e:p><rdf:Description>" * 5000
    deep.write_text(rdf + "</rdf:Description></e:p>" * 5000 + "</rdf:Description></rdf:RDF>", encoding="utf-8")
    for path in (nested, deep):
        assert main(["validate", str(path)]) == 0


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **(extra or {})}


def _cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], cwd=cwd, env=_environment(env), capture_output=True, check=False, timeout=300)


def test_a_closed_stdout_is_exit_2_with_nothing_done(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli(["build", str(ROOT / "seeds"), "--out", str(out)], tmp_path).returncode == 0
    closed = subprocess.run(
        [*CLI, "export", str(out / "kg.ttl"), "--format", "nt"],
        cwd=tmp_path,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert (closed.returncode, closed.stderr) == (2, b"kg: standard output is closed; nothing was done\n")


def test_output_is_utf8_whatever_the_locale_and_messages_are_escaped(tmp_path: Path) -> None:
    latin = {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    done = _cli(["query", "members", "--format", "csv", "--graph", str(tmp_path / "kg.ttl")], tmp_path, env=latin)
    assert done.returncode == 2
    assert done.stderr.decode("ascii").startswith("kg: ")
    assert _cli(["build", str(ROOT / "seeds"), "--out", str(tmp_path)], tmp_path, env=latin).returncode == 0
    done = _cli(["query", "members", "--format", "csv", "--graph", str(tmp_path / "kg.ttl")], tmp_path, env=latin)
    assert done.returncode == 0
    assert "马列主义" in done.stdout.decode("utf-8")
    missing = _cli(["inspect", "政党.wiki"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert (missing.returncode, missing.stderr.decode("ascii").split(":")[0]) == (2, "\\u653f\\u515a.wiki")


def test_a_file_name_that_is_not_utf8_is_kept_with_a_replacement(tmp_path: Path) -> None:
    name = os.fsdecode(b"icmlpo\xff.wiki")
    (tmp_path / name).write_bytes((ROOT / "seeds" / "icmlpo.wiki").read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / name), "--out", str(out)]) == 0
    names = {q.object.value for q in ox.parse(path=str(out / "kg.ttl")) if q.predicate.value.endswith("sourceFile")}
    assert names == {"icmlpo\ufffd.wiki"}
