"""Incremental and parallel reading (kg.sources.cache): a build that takes its articles from the
cache, or reads them in worker processes, writes the same bytes as a full build; after one
article changes, that article alone is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.sources import cache as reading
from kg.sources import expand_sources
from tests.conftest import ROOT

CHANGED = "g-wiki-no-country.wiki"
ROW, EDITED = "| 巴拉圭共产党 || 2010年", "| 巴拉圭共产党 || 2011年"
OUTPUTS = ("kg.ttl", "kg.jsonld")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds and the test articles in one directory (48 files)."""
    src = tmp_path / "src"
    src.mkdir()
    for path in expand_sources([ROOT / "seeds", ROOT / "tests" / "articles"]):
        shutil.copy(path, src / path.name)
    shutil.copy(ROOT / "seeds" / "sources.toml", src / "sources.toml")
    return src


def _build(src: Path, out: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[dict[str, bytes], str]:
    assert main(["build", str(src), "--out", str(out), *flags]) == 0
    return {name: (out / name).read_bytes() for name in OUTPUTS}, capsys.readouterr().out


def test_cached_and_changed_builds_are_byte_identical_to_full_ones(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = len(expand_sources([corpus]))
    full, _ = _build(corpus, tmp_path / "full", capsys, "--no-cache")
    cold, said = _build(corpus, tmp_path / "out", capsys)
    assert cold == full and "unchanged since the last build" not in said
    warm, said = _build(corpus, tmp_path / "out", capsys)
    assert warm == full and f"{files} of {files} files unchanged since the last build" in said

    article = corpus / CHANGED
    text = article.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    article.write_text(text.replace(ROW, EDITED), encoding="utf-8")
    changed, said = _build(corpus, tmp_path / "out", capsys)
    assert f"{files - 1} of {files} files unchanged since the last build" in said  # one read again
    assert changed == _build(corpus, tmp_path / "full-after", capsys, "--no-cache")[0]
    year = b'"2011"^^xsd:gYear'
    assert changed["kg.ttl"].count(year) > full["kg.ttl"].count(year)  # the edit reached the graph


def test_a_damaged_cache_entry_is_read_again(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full, _ = _build(corpus, tmp_path / "out", capsys)
    entries = sorted((tmp_path / "out" / ".kg" / "cache").iterdir())
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # as a killed write could leave it
    entries[1].write_bytes(b"")
    again, said = _build(corpus, tmp_path / "out", capsys)
    assert again == full and f"{len(entries) - 2} of {len(entries)} files unchanged" in said


def test_worker_processes_read_what_one_process_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    files = expand_sources([ROOT / "seeds", ROOT / "tests" / "articles"])
    alone = reading.read_all(files, workers=1)
    monkeypatch.setattr(reading, "POOL_BYTES", 0)  # the test corpus is small: use the pool anyway
    pooled = reading.read_all(files, workers=2)
    assert pooled.results == alone.results and pooled.read == len(files)
