#!/usr/bin/env python3
"""Compare seed-study runs (bench/seed-study.sh) with a baseline, seed by seed.

Usage: bench/seed-study.py BASELINE NAME... [--stuck 0.1] [--target 1.1e-4]
A run is "stuck" when its final regret is above --stuck (Hartmann-6's local minimum is at 0.12);
"below" counts the runs of seeds 0-14 under --target (1.5x the sequential median). "paired" is
the mean of log10(run / baseline) over the seeds where neither is stuck: -0.3 is 2x better.
"""
import math
import os
import statistics
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vernier-bench", "target", "seed-study")


def load(name):
    with open(os.path.join(HERE, name + ".txt")) as f:
        return [float(v) for v in f.read().strip().split(",")]


def main(argv):
    stuck_at, target, names = 0.1, 1.1e-4, []
    i = 0
    while i < len(argv):
        if argv[i] == "--stuck":
            stuck_at, i = float(argv[i + 1]), i + 2
        elif argv[i] == "--target":
            target, i = float(argv[i + 1]), i + 2
        else:
            names.append(argv[i])
            i += 1
    base = load(names[0])
    print("| run | median 0-14 (below target, stuck) | 0-29 | 0-59 (stuck) | geometric mean, basin runs | paired vs " + names[0] + " | medians of the four blocks of 15 |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        v = load(name)
        basin = [x for x in v if x <= stuck_at]
        pairs = [math.log10(a / b) for a, b in zip(v, base) if a <= stuck_at and b <= stuck_at]
        gm = math.exp(statistics.mean(math.log(x) for x in basin)) if basin else float("nan")
        blocks = " / ".join(f"{statistics.median(v[k:k + 15]):.2g}" for k in range(0, len(v), 15))
        print(f"| {name} | {statistics.median(v[:15]):.2g} ({sum(x < target for x in v[:15])}, {sum(x > stuck_at for x in v[:15])}) "
              f"| {statistics.median(v[:30]):.2g} | {statistics.median(v):.2g} ({sum(x > stuck_at for x in v)}) | {gm:.2g} "
              f"| {statistics.mean(pairs):+.2f} (n = {len(pairs)}) | {blocks} |")


if __name__ == "__main__":
    main(sys.argv[1:])
