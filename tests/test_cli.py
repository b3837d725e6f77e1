"""The CLI in-process: kg inspect on the seeds, JSON output, the report's accounting."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kg.cli import main
from tests.expectations import ROOT


def _inspect(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["inspect", str(ROOT / "seeds"), *args]) == 0
    return capsys.readouterr().out


def test_json_is_stable_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _inspect(capsys, "--json"), _inspect(capsys, "--json")
    assert first == second
    document = json.loads(first)
    attendances = sum(len(a["attendances"]) for a in document["articles"])
    memberships = sum(len(a["memberships"]) for a in document["articles"])
    # Hand count: ICMLPO 24+25+29+27+21 rows; CIPOML 25+2+6, ICOR 52 (tests/expected/*.toml).
    assert (attendances, memberships) == (126, 85)
    assert [a["organisation"]["abbreviation"] for a in document["articles"]] == ["CIPOML", "ICMLPO", "ICOR", "MIM"]


def test_report_accounts_for_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    out = _inspect(capsys, "--report-only")
    summary = re.search(
        r"(\d+) data rows → (\d+) entries \+ (\d+) rows explained without an entry; \d+ parties; (\d+) warnings", out
    )
    assert summary is not None
    rows, entries, explained, warnings = map(int, summary.groups())
    # ICMLPO 126 rows; CIPOML 28 + 2 + 6 (one row names two parties); ICOR 55. The 4 CIPOML and
    # 3 ICOR continent heading rows yield no entry (the 北美洲/南美洲 rows also carry a member).
    assert (rows, entries, explained, warnings) == (217, 211, 7, 0)
    assert "Not understood (0):" in out


def test_coverage_line_per_article(capsys: pytest.CaptureFixture[str]) -> None:
    """Rows in the source against rows kept: ICMLPO keeps all 126 rows of its five tables; ICOR
    keeps 52 of 55, its 3 continent heading rows explained (counted by hand, tests/expected)."""
    out = _inspect(capsys, "--report-only")
    assert "seeds/icmlpo.wiki: 126 of 126 rows kept (100.0%) in 5 tables and lists; 0 explained" in out
    assert (
        "seeds/icor.md: 52 of 55 rows kept (94.5%) in 1 tables and lists; 3 explained without a record; 0 lost" in out
    )
    assert re.search(r"  all: 210 of 217 rows kept \(96\.8%\) .*; 7 explained without a record; 0 lost", out)


def test_report_names_repairs_inferences_and_merges(capsys: pytest.CaptureFixture[str]) -> None:
    out = _inspect(capsys, "--report-only")
    assert "seeds/icor.md:44:8  印度共产党（马列）临时中央委员会" in out  # the name itself, inside <td><p>
    assert "印度尼西亚革命者 → ID from the name" in out
    assert "革命共产党 → BR from the disambiguator '革命共产党 (巴西)'" in out
    assert "name:刚果革命组织@CD: 6 mentions in ICMLPO, ICOR; same-name-country ×4, same-name-region ×1" in out
    assert "same displayed name, different link targets [[劳动党 (土耳其)]] and [[劳动党 (塞尔维亚)]]" in out
    assert "international CIPOML: '马列主义政党和组织国际会议'" in out


def test_records_text_lists_each_entry(capsys: pytest.CaptureFixture[str]) -> None:
    out = _inspect(capsys)
    assert "former  争取意大利无产阶级共产党组织 [[争取意大利无产阶级共产党组织]]" in out
    assert "ceased 2002~" in out


def test_directory_readme_is_not_an_article(capsys: pytest.CaptureFixture[str]) -> None:
    out = _inspect(capsys, "--json")
    assert sorted(a["path"].rsplit("/", 1)[1] for a in json.loads(out)["articles"]) == [
        "cipoml.md",
        "icmlpo.wiki",
        "icor.md",
        "mim.md",
    ]


LOADED = (
    "import sys; from kg.cli import main; main(sys.argv[1:]); "
    "print(' '.join(sorted(m for m in sys.modules if m == 'kg' or m.startswith('kg.') or '.' not in m)))"
)


def _loaded(*args: str) -> set[str]:
    """The top-level modules and kg's modules a fresh interpreter holds after ``kg ARGS``."""
    done = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True)
    return set(done.stdout.splitlines()[-1].split())  # the last line: after the help text


@pytest.mark.parametrize("args", [["--help"], ["query", "--help"], ["build", "--help"]])
def test_help_loads_the_parser_and_nothing_of_the_library(args: list[str]) -> None:
    loaded = _loaded(*args)
    assert {m for m in loaded if m.startswith("kg")} == {"kg", "kg.cli", "kg.defaults", "kg.formats"}
    heavy = {"rdflib", "pyoxigraph", "pyshacl", "httpx", "matplotlib", "mwparserfromhell", "dataclasses", "json"}
    assert not loaded & heavy
