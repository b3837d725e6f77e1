"""Time every stored query on rdflib and on Oxigraph (run on demand).

    python bench/bench_queries.py GRAPH.nt|.ttl [RUNS] [RDFLIB_TIMEOUT_S]

A timeout of 0 skips rdflib (Oxigraph only).

Loads the graph into each store once, then runs each query RUNS times and prints the median
in a Markdown table with the ratio. Parameters: the international with the most conferences,
the party with the most attendances, other parameters at their defaults. rdflib runs each
query in a child process with a time limit, so one slow formulation cannot hold the table
up; "> N" means it did not finish in N seconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kg.query import bind, catalogue
from kg.store import OxigraphStore, to_oxigraph

ROOT = Path(__file__).resolve().parent.parent
BUSIEST = """PREFIX kgo: <https://kg.example.org/ontology#> PREFIX schema: <https://schema.org/>
SELECT ?international ?party WHERE {
  { SELECT ?international (COUNT(?c) AS ?n) WHERE { ?c schema:organizer ?international } GROUP BY ?international ORDER BY DESC(?n) ?international LIMIT 1 }
  { SELECT ?party (COUNT(?a) AS ?m) WHERE { ?a schema:attendee ?party . ?party a kgo:Party } GROUP BY ?party ORDER BY DESC(?m) ?party LIMIT 1 }
}"""

CHILD = """
import json, statistics, sys, time
from rdflib import Graph
from kg.query import catalogue, bind, run
from kg.store import RdflibStore
start = time.perf_counter()
store = RdflibStore(Graph().parse(sys.argv[1]))
loaded = time.perf_counter() - start
query = catalogue()[sys.argv[2]]
bindings = bind(query, store, json.loads(sys.argv[4]))
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter(); rows = len(run(query, store, bindings).rows); times.append(time.perf_counter() - start)
print(json.dumps({"median": statistics.median(times), "rows": rows, "load": loaded}))
"""


def _values(store: Any) -> dict[str, str]:
    (row,) = list(store.query(BUSIEST))
    return {"international": row["international"].value, "party": row["party"].value}


def _oxigraph(path: Path, runs: int) -> tuple[dict[str, tuple[float, int]], dict[str, str]]:
    import pyoxigraph as ox  # noqa: PLC0415

    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE)
    print(f"Oxigraph load: {time.perf_counter() - start:.2f} s ({len(store)} triples)", flush=True)
    values = _values(store)
    results = {}
    for name, query in catalogue().items():
        bindings = bind(query, OxigraphStore(store), {p.name: values[p.name] for p in query.params if p.name in values})
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = len(list(store.query(query.text, substitutions=substitutions)))  # type: ignore[arg-type]
            times.append(time.perf_counter() - start)
        results[name] = (statistics.median(times), rows)
    return results, values


def _rdflib(path: Path, name: str, runs: int, timeout: float, values: dict[str, str]) -> dict[str, float] | None:
    params = {p.name: values[p.name] for p in catalogue()[name].params if p.name in values}
    argv = [sys.executable, "-c", CHILD, str(path), name, str(runs), json.dumps(params)]
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    path = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 300
    oxigraph, values = _oxigraph(path, runs)
    print("| query | rows | rdflib s | Oxigraph s | ratio |\n|---|---|---|---|---|")
    for name, (fast, rows) in oxigraph.items():
        slow = _rdflib(path, name, runs, timeout, values) if timeout else None
        rdflib_text = ("> " + f"{timeout:.0f}" if timeout else "—") if slow is None else f"{slow['median']:.3f}"
        ratio = f"{slow['median'] / fast:.0f}×" if slow and fast else ""
        same = "" if slow is None or slow["rows"] == rows else f" (rdflib: {slow['rows']:.0f} rows!)"
        print(f"| {name} | {rows}{same} | {rdflib_text} | {fast:.3f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
