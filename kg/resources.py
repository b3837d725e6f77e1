"""Where the data files live: ontology/ (ontology, shapes, JSON-LD context) and queries/.

In a checkout they sit at the top of the repository, beside the package; an installed wheel
carries them as kg/data/ (pyproject.toml's force-include), found through importlib.resources.
Tests load the same files users do.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph


def _data_dir(name: str) -> Path:
    packaged = Path(str(files("kg") / "data" / name))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / name


ONTOLOGY_DIR = _data_dir("ontology")
QUERIES_DIR = _data_dir("queries")
LINKSET = ONTOLOGY_DIR / "links" / "wikidata.csv"
REVIEW = ONTOLOGY_DIR / "links" / "wikidata-review.csv"


@cache
def ontology() -> Graph:
    return _turtle(ONTOLOGY_DIR / "kg.ttl")


@cache
def shapes() -> Graph:
    return _turtle(ONTOLOGY_DIR / "shapes.ttl")


def _turtle(path: Path) -> Graph:
    from rdflib import Graph  # noqa: PLC0415 - the paths above are needed without rdflib (kg --help)

    return Graph().parse(path, format="turtle")


@cache
def jsonld_context() -> dict[str, Any]:
    with (ONTOLOGY_DIR / "context.jsonld").open(encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)
    return context
