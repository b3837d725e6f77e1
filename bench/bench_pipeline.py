"""Time the whole pipeline, stage by stage, on generated articles of growing size (run on demand).

    python bench/bench_pipeline.py [SIZES_MB ...] [--runs N]

For each size (default 1 2 4 MB) bench/generate_text.py writes that much article text into a
temporary directory. Each run then takes `kg build`'s stages in a fresh process, timing each
(imports included, interpreter start-up not): read, resolve, convert (the triples, with the Wikidata
links), Turtle written and read back into rdflib, validation, and writing kg.ttl, kg.jsonld
and the Oxigraph store. It then times a whole ``kg build DIR --out OUT`` command on its own
(start-up and the summary included, reading workers not cached: an empty cache, as a first
build has). The peak RSS of each process is
its own (``os.wait4``): the largest of it and the reading workers it waited for, not their sum.
Figures are medians of N runs (default 1). What is timed is the ``kg`` the interpreter imports:
set PYTHONPATH to a checkout's top directory to time that one.

Prints a Markdown table per size (seconds, MB of text per second, peak RSS), then the growth
exponent of each figure between consecutive sizes and between the smallest and the largest:
log(f2/f1) / log(n2/n1) with n the triples, so 1 is linear and 2 quadratic.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_text import MEGABYTE, generate

KG = Path(sys.executable).with_name("kg")
STAGES = ["imports", "read", "resolve", "convert", "read back", "validate", "write"]
PROCESSES = {"total": "rss", "kg build": "kg build rss"}  # timed figure → its process's peak RSS

# One pipeline, each stage timed; prints the timings as JSON on its last line.
PROBE = """
import json, sys, time
from pathlib import Path
t = [time.perf_counter()]
def lap(): t.append(time.perf_counter())
from kg.build import Build, linked_triples, read_counted, read_back, write_outputs
from kg.collector import settling
from kg.resolve import resolve
from kg.resources import LINKSET
from kg.validate import validate
import pyshacl
lap()
with settling() as settle:  # as kg.build.build settles each stage's objects
    articles, reading = read_counted([Path(sys.argv[1])]); settle(); lap()
    resolution = resolve(articles); settle(); lap()
    triples = linked_triples(articles, resolution, "https://kg.example.org/id/", LINKSET); lap()
    written, turtle = read_back(triples); settle(); lap()
    validation = validate(written); lap()
write_outputs(Build(articles, resolution, written, validation, reading, turtle), Path(sys.argv[2])); lap()
names = ["imports", "read", "resolve", "convert", "read back", "validate", "write"]
timings = {n: b - a for n, a, b in zip(names, t, t[1:])}
print(json.dumps(timings | {"total": t[-1] - t[0], "triples": len(written), "conforms": validation.conforms}))
"""

Figures = dict[str, float]


def _run(command: list[str]) -> tuple[str, float, float]:
    """Run ``command``: its output, its wall seconds and its own peak RSS in MB."""
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as child:
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)  # this child's rusage, not all children's
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode:
        sys.exit(f"{' '.join(command[:3])} … failed ({child.returncode}):\n{output}")
    return output, seconds, usage.ru_maxrss / 1024  # KiB on Linux


def _one_run(source: Path) -> Figures:
    """One pipeline and one ``kg build``, each in a fresh process writing to a fresh directory."""
    with tempfile.TemporaryDirectory() as out:
        output, _, rss = _run([sys.executable, "-c", PROBE, str(source), str(Path(out) / "probe")])
        sample: Figures = json.loads(output.strip().splitlines()[-1])
        if not sample.pop("conforms"):
            sys.exit(f"the graph of {source} does not conform")
        output, seconds, build_rss = _run([str(KG), "build", str(source), "--out", str(Path(out) / "build")])
        if "SHACL validation: conforms" not in output:
            sys.exit(f"kg build {source} does not conform:\n{output}")
    return sample | {"rss": rss, "kg build": seconds, "kg build rss": build_rss}


def measure(megabytes: float, runs: int) -> Figures:
    """Median figures of ``runs`` runs on ``megabytes`` of generated text, with the text's size
    and how long generating it and the whole measurement took."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "articles"
        files = generate(megabytes, source)
        size = sum(f.stat().st_size for f in files) / MEGABYTE
        generated = time.perf_counter() - started
        samples = [_one_run(source) for _ in range(runs)]
    figures = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    wall = time.perf_counter() - started
    return figures | {"articles": len(files), "mb": size, "generated": generated, "wall": wall}


def print_size(megabytes: float, figures: Figures, runs: int) -> None:
    mb = figures["mb"]
    print(
        f"\n### {megabytes:g} MB: {figures['articles']:.0f} articles, {mb:.2f} MB of text, "
        f"{figures['triples']:,.0f} triples ({figures['triples'] / mb:,.0f} per MB); median of {runs} run(s); "
        f"generated in {figures['generated']:.2f} s, measured in {figures['wall']:.0f} s\n"
    )
    print("| stage | seconds | MB/s | peak RSS (MB) |\n|---|---:|---:|---:|")
    for stage in [*STAGES, *PROCESSES]:
        seconds = figures[stage]
        rss = f"{figures[PROCESSES[stage]]:,.0f}" if stage in PROCESSES else ""
        name = {"total": "pipeline (one process)", "kg build": "`kg build` command"}.get(stage, stage)
        print(f"| {name} | {seconds:.2f} | {mb / seconds:.3f} | {rss} |")


def _exponent(small: Figures, large: Figures, key: str) -> str:
    if small[key] <= 0 or large[key] <= 0 or large["triples"] == small["triples"]:
        return "-"
    return f"{math.log(large[key] / small[key]) / math.log(large['triples'] / small['triples']):.2f}"


def print_growth(results: list[tuple[float, Figures]]) -> None:
    """Growth exponents against the triples: between each pair of neighbouring sizes, and overall."""
    pairs = [*itertools.pairwise(results), *([(results[0], results[-1])] if len(results) > 2 else [])]
    print("\n### Growth exponent, log(f2/f1) / log(triples2/triples1)\n")
    print("| figure | " + " | ".join(f"{a:g}→{b:g} MB" for (a, _), (b, _) in pairs) + " |")
    print("|---|" + "---:|" * len(pairs))
    rows = [*STAGES, "total", "rss", "kg build", "kg build rss"]
    names = {"total": "pipeline", "rss": "pipeline peak RSS", "kg build rss": "`kg build` peak RSS"}
    for key in rows:
        print(f"| {names.get(key, key)} | " + " | ".join(_exponent(a, b, key) for (_, a), (_, b) in pairs) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[1.0, 2.0, 4.0], help="MB of text (default 1 2 4)")
    parser.add_argument("--runs", type=int, default=1, help="runs per size; the median is shown (default 1)")
    args = parser.parse_args()
    results = []
    for megabytes in sorted(args.sizes):
        figures = measure(megabytes, args.runs)
        print_size(megabytes, figures, args.runs)
        results.append((megabytes, figures))
    if len(results) > 1:
        print_growth(results)


if __name__ == "__main__":
    main()
