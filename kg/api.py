"""The Python API: a stored query's answer as a pandas DataFrame in one call.

>>> from kg.api import dataframe
>>> dataframe("attended-every-conference", international="ICMLPO")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from kg.build import DEFAULT_OUT, store_for_queries
from kg.query import bind, find_query, run
from kg.store import open_store


def dataframe(
    name: str, graph: Graph | Path | None = None, *, reason: bool = False, store: str = "oxigraph", **params: str
) -> Any:
    """Run stored query ``name`` (or a .rq path) with ``params``; values as Python objects.

    ``graph`` is a graph or a graph file; by default out/kg.ttl, built from seeds/ first if
    it is missing. ``reason=True`` adds the OWL-RL inferences.
    """
    import pandas  # noqa: PLC0415 - optional dependency, only this function needs it

    if isinstance(graph, Graph):
        opened = open_store(store, graph=graph)
    else:
        opened = store_for_queries(graph or DEFAULT_OUT / "kg.ttl", reason, store)
    query = find_query(name)
    result = run(query, opened, bind(query, opened, params))
    rows = [[_python(term) for term in row] for row in result.rows]
    return pandas.DataFrame(rows, columns=result.columns)


def _python(term: Any) -> Any:
    if term is None:
        return None
    return term.toPython() if isinstance(term, Literal) else str(term)
