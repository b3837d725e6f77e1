"""Time `kg build` on the seeds end to end and per stage (run on demand).

    python bench/bench_build.py [RUNS]

Each stage is timed in a fresh process (imports included, interpreter start-up not), median
of RUNS runs, so the figures are what one `kg build` costs.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One build, each stage timed; prints the timings as JSON.
PROBE = """
import json, sys, tempfile, time
from pathlib import Path
t = [time.perf_counter()]
def lap(): t.append(time.perf_counter())
from kg.build import read_articles, write_outputs
from kg.graph import build_graph
from kg.resolve import resolve
from kg.validate import validate
import pyshacl
lap()
articles = read_articles([Path("seeds")]); lap()
resolution = resolve(articles); lap()
graph = build_graph(articles, resolution); lap()
assert validate(graph).conforms; lap()
with tempfile.TemporaryDirectory() as out:
    from kg.export import serialize
    turtle = serialize(graph, "turtle"); lap()
    jsonld = serialize(graph, "jsonld"); lap()
names = ["imports", "read", "resolve", "graph", "validate", "turtle", "jsonld"]
print(json.dumps({n: b - a for n, a, b in zip(names, t, t[1:])} | {"total": t[-1] - t[0], "triples": len(graph)}))
"""


def main(runs: int) -> None:
    samples = [
        json.loads(
            subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        )
        for _ in range(runs)
    ]
    print(f"kg build on the seeds ({samples[0]['triples']} triples), median of {runs} runs:")
    print("| stage | ms |\n|---|---|")
    for stage in ["imports", "read", "resolve", "graph", "validate", "turtle", "jsonld", "total"]:
        value = statistics.median(s[stage] for s in samples) * 1000
        print(f"| {stage} | {value:.0f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
