"""The defaults the command line shows in its help, kept apart from the modules that use them
so that `kg --help` (and any command) loads only what it runs: these names cost no import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

DEFAULT_BASE = "https://kg.example.org/id/"  # the HTTPS base of every IRI kg mints
DEFAULT_SOURCES = [Path("seeds")]
DEFAULT_OUT = Path("out")
INFERRED = "kg-inferred.ttl"  # the OWL-RL inferences, beside the graph
BUILT_STORE = "kg.oxigraph"  # the Oxigraph store `kg build` writes beside the graph
ENGINES = ("reasonable", "owlrl")  # OWL-RL reasoners
STORES = ("oxigraph", "rdflib")  # query engines
WDQS = "https://query.wikidata.org/sparql"  # the Wikidata Query Service
REPORT_FORMATS = ("text", "json", "turtle")  # SHACL reports
PushProtocol = Literal["graph-store", "update"]  # how `kg push` writes into a store
PUSH_PROTOCOLS: tuple[PushProtocol, ...] = ("graph-store", "update")
STDIN = Path("-")  # a path argument that stands for standard input or output
TABLE_EXPORTS = ("quickstatements", "popolo")  # exports that are tables, not RDF
PlotName = Literal["attendance-heatmap", "membership-timeline", "party-network"]
PLOTS: dict[PlotName, str] = {  # the pictures `kg plot` and the server's /plot/NAME draw
    "attendance-heatmap": "which party attended which conference of an international (parties × conferences)",
    "membership-timeline": "each membership of an international as a bar from its join year to its leave year",
    "party-network": "the parties tied (by membership or attendance) to two or more internationals",
}
PLOT_FORMATS = ("svg", "png")


def default_graph_missing(path: Path) -> bool:
    """Whether ``path`` is the default graph, not built yet (commands build it from seeds/)."""
    return path == DEFAULT_OUT / "kg.ttl" and not path.exists()
