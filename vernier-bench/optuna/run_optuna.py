"""Run Optuna's samplers on the same problems as dev.vernier.bench.StrategyBenchmark.

Usage: python3 run_optuna.py [--samplers GP,TPE,Random] [--seeds 15] [--evals 50] [--problems ...]
Prints a markdown table: median and IQR of final simple regret, median suggestion time.
The problem definitions mirror vernier-bench/src/main/java/dev/vernier/bench/Problems.java.
"""
import argparse
import math
import statistics
import time

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)

H3_A = [[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]
H3_P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470],
        [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann(x, a, p):
    total = 0.0
    for i in range(4):
        inner = sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x)))
        total -= ALPHA[i] * math.exp(-inner)
    return total


def branin(x1, x2):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x) / d
    s2 = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def mixed_int_log(n, lr):
    # Optimum 0 at layers n = 37, learning rate 10^-2.7; the best lr drifts with n.
    u = math.log10(lr) + 2.7 - 0.02 * (n - 37)
    return u * u + ((n - 37) / 20.0) ** 2 + 0.1 * (1 - math.cos(2 * math.pi * u))


def mixed_categorical(kind, x, y):
    if kind == "quadratic":
        return 0.3 + 4 * ((x - 0.2) ** 2 + (y - 0.7) ** 2)
    if kind == "branin":
        return branin(15 * x - 5, 15 * y) / 50.0
    return 0.1 + ackley([4 * (x - 0.6), 4 * (y - 0.3)]) / 10.0


def floats(names, lo, hi):
    return {n: FloatDistribution(lo, hi) for n in names}


PROBLEMS = {
    "Branin": (dict(x1=FloatDistribution(-5, 10), x2=FloatDistribution(0, 15)),
               lambda p: branin(p["x1"], p["x2"]), 0.397887357729738),
    "Hartmann-3": (floats(["x0", "x1", "x2"], 0, 1),
                   lambda p: hartmann([p["x%d" % i] for i in range(3)], H3_A, H3_P), -3.86278214782076),
    "Hartmann-6": (floats(["x%d" % i for i in range(6)], 0, 1),
                   lambda p: hartmann([p["x%d" % i] for i in range(6)], H6_A, H6_P), -3.32236801141551),
    "Rosenbrock-4D": (floats(["x%d" % i for i in range(4)], -5, 10),
                      lambda p: rosenbrock([p["x%d" % i] for i in range(4)]), 0.0),
    "Ackley-5D": (floats(["x%d" % i for i in range(5)], -32.768, 32.768),
                  lambda p: ackley([p["x%d" % i] for i in range(5)]), 0.0),
    # Ackley's optimum is the centre of its box; this variant moves it to (10, ..., 10).
    "Ackley-5D-shifted": (floats(["x%d" % i for i in range(5)], -32.768, 32.768),
                          lambda p: ackley([p["x%d" % i] - 10 for i in range(5)]), 0.0),
    "Mixed-IntLog": (dict(layers=IntDistribution(1, 64), lr=FloatDistribution(1e-5, 1.0, log=True)),
                     lambda p: mixed_int_log(p["layers"], p["lr"]), 0.0),
    "Mixed-Categorical": (dict(kind=CategoricalDistribution(["quadratic", "branin", "ackley"]),
                               x=FloatDistribution(0, 1), y=FloatDistribution(0, 1)),
                          lambda p: mixed_categorical(p["kind"], p["x"], p["y"]), 0.397887357729738 / 50.0),
}


def sampler_for(name, seed):
    if name == "GP":
        return optuna.samplers.GPSampler(seed=seed)
    if name == "GP-deterministic":
        return optuna.samplers.GPSampler(seed=seed, deterministic_objective=True)
    if name == "TPE":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "Random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(name)


def run(problem, sampler_name, seed, evals, parallel=1):
    """Sequential when parallel is 1; otherwise the protocol of StrategyBenchmark: `parallel`
    trials asked first, then each time the oldest running trial is told, one more is asked (so
    trial i knows the results of trials 0 .. i - parallel, and the others are RUNNING)."""
    dists, f, optimum = PROBLEMS[problem]
    study = optuna.create_study(sampler=sampler_for(sampler_name, seed), direction="minimize")
    best, times, running = math.inf, [], []
    for _ in range(evals):
        if len(running) == parallel:
            trial = running.pop(0)
            value = f(trial.params)
            study.tell(trial, value)
            best = min(best, value)
        start = time.perf_counter()
        running.append(study.ask(dists))
        times.append(time.perf_counter() - start)
    for trial in running:
        value = f(trial.params)
        study.tell(trial, value)
        best = min(best, value)
    return best - optimum, times


def fmt(v):
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 0.01:
        return f"{v:.3g}"
    return f"{v:.2g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samplers", default="GP,TPE,Random")
    ap.add_argument("--problems", default=",".join(PROBLEMS))
    ap.add_argument("--seeds", type=int, default=15)
    ap.add_argument("--evals", type=int, default=50)
    ap.add_argument("--parallel", type=int, default=1,
                    help="trials running at once (asynchronous, as StrategyBenchmark --parallel)")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--per-seed", action="store_true", help="also print each seed's final regret")
    args = ap.parse_args()
    print("| problem | sampler | parallel | median regret | IQR (q25 – q75) | median suggest time |")
    print("|---|---|---|---|---|---|")
    for problem in args.problems.split(","):
        for sampler in args.samplers.split(","):
            regrets, times = [], []
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                r, t = run(problem, sampler, seed, args.evals, args.parallel)
                regrets.append(r)
                times.extend(t)
            q25, q75 = np.percentile(regrets, [25, 75])
            if args.per_seed:
                print(f"per seed {problem} {sampler} {args.parallel}: " + ", ".join(fmt(r) for r in regrets), flush=True)
            print(f"| {problem} | Optuna {sampler} | {args.parallel} | {fmt(statistics.median(regrets))} | "
                  f"{fmt(q25)} – {fmt(q75)} | {statistics.median(times) * 1000:.1f} ms |", flush=True)


if __name__ == "__main__":
    main()
