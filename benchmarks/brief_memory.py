"""`python -m benchmarks.brief_memory`: peak memory and time of crosssource on one big synthetic article.

Repeats the seed articles' news paragraphs (numbered, so sentences differ) up to --mb megabytes,
briefs it with the limits raised, and prints wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from summarizer.crosssource.pipeline import CrossSource
from summarizer.sources import CaseSources, Source

REPO = Path(__file__).resolve().parent.parent


def big_article(mb: float) -> str:
    paragraphs = [p for f in sorted((REPO / "seeds" / "milley-zaluzhnyi-poland" / "sources").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]
    out, size, k = [], 0, 0
    while size < mb * 1024 * 1024:
        p = f"Update {k}: " + paragraphs[k % len(paragraphs)]
        out.append(p)
        size += len(p.encode()) + 2
        k += 1
    return "\n\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=3.0, help="article size in megabytes")
    parser.add_argument("--sources", type=int, default=1, help="split the text into this many sources")
    args = parser.parse_args()
    text = big_article(args.mb)
    paras = text.split("\n\n")
    n = max(1, args.sources)
    sources = [Source(id=f"s{i:04d}", path="", text="\n\n".join(paras[i::n]) + "\n") for i in range(n)]
    start = time.perf_counter()
    result = CrossSource().summarize(CaseSources(case_id="bench", path="", sources=sources))
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"crosssource on {len(text.encode()) / 1e6:.1f} MB in {n} source(s): {elapsed:.1f} s, "
          f"peak RSS {peak_mib:.0f} MiB, {'error: ' + result.error if result.error else 'ok'}")


if __name__ == "__main__":
    main()
