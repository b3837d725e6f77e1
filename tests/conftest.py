from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.graph import build_graph
from kg.records import Article
from kg.resolve import Resolution, resolve
from kg.sources import expand_sources, read_article

ROOT = Path(__file__).resolve().parent.parent


def _read(directory: Path) -> dict[str, Article]:
    return {Path(p).stem: read_article(p) for p in expand_sources([directory])}


@pytest.fixture(scope="session")
def seeds() -> dict[str, Article]:
    return _read(ROOT / "seeds")


@pytest.fixture(scope="session")
def seed_resolution(seeds: dict[str, Article]) -> Resolution:
    return resolve(list(seeds.values()))


@pytest.fixture(scope="session")
def corpus() -> dict[str, Article]:
    return _read(ROOT / "tests" / "articles")


@pytest.fixture(scope="session")
def corpus_resolution(corpus: dict[str, Article]) -> Resolution:
    return resolve(list(corpus.values()))


@pytest.fixture(scope="session")
def seed_graph(seeds: dict[str, Article], seed_resolution: Resolution) -> Graph:
    """The graph of all four seeds (do not modify: copy it first)."""
    return build_graph(list(seeds.values()), seed_resolution)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out/kg.ttl as `kg build` writes it from seeds/ (do not write into its directory)."""
    from kg.cli import main  # noqa: PLC0415 - the command line, for the tests that run it

    out = tmp_path_factory.mktemp("built")
    assert main(["build", "--out", str(out)]) == 0
    return out / "kg.ttl"
