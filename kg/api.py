"""The Python API: a stored query's answer as a pandas DataFrame in one call.

>>> from kg.api import dataframe
>>> dataframe("attended-every-conference", international="ICMLPO")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.build import store_for_queries
from kg.defaults import DEFAULT_OUT
from kg.errors import UsageError
from kg.query import bind, find_query, run
from kg.store import Result, open_store

# Years are numbers to a researcher (a histogram, a difference); a year-month stays text.
_YEAR = str(XSD.gYear)


def dataframe(
    name: str, graph: Graph | Path | None = None, *, reason: bool = False, store: str = "oxigraph", **params: str
) -> Any:
    """Run stored query ``name`` (or a .rq path) with ``params``; a typed column per variable.

    Integers and years are nullable integers (``Int64``), booleans ``boolean``, text and IRIs
    ``string``, dates ``datetime.date`` objects; unbound is ``<NA>`` (None among objects). ``graph`` is a graph
    or a graph file; by default out/kg.ttl, built from seeds/ first if it is missing.
    ``reason=True`` adds the OWL-RL inferences.
    """
    import pandas  # noqa: PLC0415 - optional dependency, only this function needs it

    if isinstance(graph, Graph):
        opened = open_store(store, graph=graph)
    else:
        opened = store_for_queries(graph or DEFAULT_OUT / "kg.ttl", reason, store)
    query = find_query(name)
    result = run(query, opened, bind(query, opened, params))
    if not isinstance(result, Result):
        raise UsageError(f"query {query.name} is not a SELECT query: a DataFrame holds rows")
    columns = {
        column: _typed(pandas, [_python(row[i]) for row in result.rows]) for i, column in enumerate(result.columns)
    }
    return pandas.DataFrame(columns, columns=result.columns)


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal) and str(term.datatype) == _YEAR and term.lstrip("-").isdecimal():
        return int(term)
    value = term.toPython() if isinstance(term, Literal) else str(term)
    return str(value) if isinstance(value, Literal) else value


def _typed(pandas: Any, values: list[Any]) -> Any:
    kinds = {type(value) for value in values if value is not None}
    if kinds == {bool}:
        return pandas.array(values, dtype="boolean")
    if kinds == {int}:
        return pandas.array(values, dtype="Int64")
    if kinds <= {str}:
        return pandas.array(values, dtype="string")
    return pandas.array(values, dtype=object)
