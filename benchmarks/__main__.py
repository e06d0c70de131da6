"""`make bench`: measure how fast the deterministic scorer is, and how much memory it takes.

Builds N summaries of the seed case from the seed articles' own sentences,
shuffled and with invented numbers and names mixed in (seeded, so the same
every run), then scores them all and prints the wall time and peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from evals.scorer import score_deterministic
from evals.suite import load_suite
from summarizer.cleaning import clean_text
from summarizer.sentences import split_sentences
from summarizer.text import normalize

REPO = Path(__file__).resolve().parent.parent
NOISE = ["They met in Rzeszow.", "The talks lasted three hours.", "Sources disagree on the length of the talks.",
         "Milley met Zaluzhnyi in Brussels.", "The package is worth $4.5 billion."]


def make_summaries(n: int, seed: int = 7) -> list[str]:
    case = load_suite(REPO / "seeds").cases[0]
    sentences = [s.text for src in case.sources.sources for span in clean_text(src).kept
                 for s in split_sentences(span.text)]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        picked = rng.sample(sentences, k=min(len(sentences), rng.randint(4, 10)))
        picked += rng.sample(NOISE, k=rng.randint(0, 2))
        rng.shuffle(picked)
        out.append("\n".join(f"- {s}" for s in picked))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1000, help="how many summaries to score")
    args = parser.parse_args()
    case = load_suite(REPO / "seeds").cases[0]
    summaries = make_summaries(args.n)
    start = time.perf_counter()
    units = 0
    for s in summaries:
        # Summaries here reuse the articles' sentences; clearing the text cache keeps that from flattering us.
        normalize.cache_clear()
        card = score_deterministic(case, s)
        units += len(card.units)
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scored {args.n} summaries ({units} claim units) of the seed case in {elapsed:.2f} s "
          f"({args.n / elapsed:.0f} summaries/s, {1000 * elapsed / args.n:.2f} ms each); peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
