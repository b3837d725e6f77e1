"""Time reading hostile article-sized inputs at two sizes, to show the work grows linearly
(run on demand: python bench/bench_hostile.py [runs]).

For each input: the median time to read it (text → records) at size n and 2n, and the
exponent log2(t(2n) / t(n)), about 1 when linear. Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import math
import resource
import statistics
import sys
import time
from collections.abc import Callable

from kg.sources import read_source
from kg.spans import SourceText

_LEAD_MD = "**测试国际**（缩写为TST）是一个国际组织。\n\n"
_LEAD_WIKI = "'''测试国际'''（缩写为TST）是一个国际组织。\n\n"


def bold_md(n: int) -> str:
    return _LEAD_MD + "## 历史\n\n" + "**a " * n


def bold_wiki(n: int) -> str:
    return _LEAD_WIKI + "== 历史 ==\n" + "'''a " * n


def pipe_table(n: int) -> str:
    rows = "".join(f"| 法国 | 党{i} |\n" for i in range(n))
    return _LEAD_MD + "## 成员\n\n| 国家 | 政党 |\n|---|---|\n" + rows


def wiki_table(n: int) -> str:
    rows = "".join(f"|-\n| 法国 || 党{i}\n" for i in range(n))
    return _LEAD_WIKI + '== 成员 ==\n{| class="wikitable"\n! 国家 !! 政党\n' + rows + "|}\n"


def huge_spans(n: int) -> str:
    rows = "".join(f'|-\n| colspan="1000000000" rowspan="99999999" | 法国 || 党{i}\n' for i in range(n))
    return _LEAD_WIKI + '== 成员 ==\n{| class="wikitable"\n! 国家 !! 政党\n' + rows + "|}\n"


# name, article of size n, the size n
INPUTS: list[tuple[str, Callable[[int], str], int]] = [
    ("bold markup, Markdown", bold_md, 100_000),
    ("bold markup, wikitext", bold_wiki, 50_000),
    ("pipe table rows, Markdown", pipe_table, 50_000),
    ("table rows, wikitext", wiki_table, 20_000),
    ("rows with huge spans, wikitext", huge_spans, 10_000),
]


def _median_s(text: str, name: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read_source(SourceText(name, text))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int = 3) -> None:
    print(f"{'input':32} {'n':>8} {'MB':>6} {'t(n) s':>8} {'t(2n) s':>8} {'exponent':>8}")
    for name, make, n in INPUTS:
        small, large = make(n), make(2 * n)
        t_small, t_large = _median_s(small, "small", runs), _median_s(large, "large", runs)
        mb = len(large.encode()) / 1e6
        exponent = math.log2(t_large / t_small)
        print(f"{name:32} {n:>8} {mb:>6.2f} {t_small:>8.2f} {t_large:>8.2f} {exponent:>8.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
