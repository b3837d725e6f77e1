"""Time reading the seed articles, stage by stage (run on demand: python bench/bench_inspect.py).

Prints the median of several runs for: building the country index, reading each article
(text → records) and resolving parties across articles. Interpreter start-up is not counted.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.geo import gazetteer
from kg.resolve import resolve
from kg.sources import expand_sources, read_article

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int = 7) -> None:
    start = time.perf_counter()
    gazetteer()
    print(f"country index (first use, once per process): {(time.perf_counter() - start) * 1000:.0f} ms")
    files = expand_sources([ROOT / "seeds"])
    for path in files:
        print(f"read {path.name}: {_median_ms(lambda p=path: read_article(p), runs):.1f} ms")
    articles = [read_article(p) for p in files]
    print(f"resolve {len(articles)} articles: {_median_ms(lambda: resolve(articles), runs):.1f} ms")
    total = _median_ms(lambda: resolve([read_article(p) for p in files]), runs)
    print(f"all seeds, read + resolve (index warm): {total:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
