"""Where the data files live: ontology/ (ontology, shapes, JSON-LD context) and queries/.

They sit at the top of the repository, beside the package, and are read from there; tests
load the same files users do.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
LINKSET = ONTOLOGY_DIR / "links" / "wikidata.csv"
REVIEW = ONTOLOGY_DIR / "links" / "wikidata-review.csv"


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


@cache
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@cache
def jsonld_context() -> dict[str, Any]:
    with (ONTOLOGY_DIR / "context.jsonld").open(encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)
    return context
