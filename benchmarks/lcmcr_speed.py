"""Speed of reckon's LCMCR Gibbs sampler against the R package LCMCR 0.4.14.

Prints one row per (dataset, K) of ``tests/data/mse/lcmcr_speed_benchmark.csv``: sweeps per
second and microseconds per sweep of reckon's compiled kernel (wall clock, as R's figures; the
CPU column counts only this thread's CPU time, which matters on a shared machine), the R
figure measured on the same kind of 2-core machine, and their ratio. Each figure is the best
of three repetitions after a warm-up run that also compiles the kernel; a sweep is one full
Gibbs update, as ``Update(1)`` in R. Rows of synthetic data are regenerated here (two latent
classes, 20,000 people observed), so their number of distinct patterns M differs slightly from
R's.

The last lines show the multi-chain throughput the estimator gets by running chains in
parallel threads, something the R package cannot do.

Usage::

    .venv/bin/python benchmarks/lcmcr_speed.py            # every row (about 2 minutes)
    .venv/bin/python benchmarks/lcmcr_speed.py --quick    # K=10 rows only, shorter runs
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from reckon.estimation import CaptureHistories
from reckon.estimation import _lcmcr_kernel as kernel

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "mse"


def synthetic(n_lists: int, observed: int, seed: int) -> CaptureHistories:
    """The first ``observed`` recorded people of a two-class population over ``n_lists``."""
    rng = np.random.default_rng(seed)
    capture = np.vstack([np.full(n_lists, 0.35), np.full(n_lists, 0.08)])
    seen: list[np.ndarray] = []
    total = 0
    while total < observed:
        classes = rng.choice(2, size=4 * observed, p=[0.4, 0.6])
        histories = (rng.random((4 * observed, n_lists)) < capture[classes]).astype(np.uint8)
        histories = histories[histories.any(axis=1)]
        seen.append(histories)
        total += len(histories)
    people = np.vstack(seen)[:observed]
    patterns, counts = np.unique(people, axis=0, return_counts=True)
    return CaptureHistories(
        lists=tuple(f"L{j}" for j in range(n_lists)), patterns=patterns, counts=counts
    )


def load(dataset: str, n_lists: int, observed: int) -> CaptureHistories:
    if dataset.startswith("synthetic_"):
        return synthetic(n_lists, observed, seed=n_lists * 1000 + observed)
    return CaptureHistories.from_csv(DATA / f"{dataset}.csv").collapsed()


def arrays(table: CaptureHistories) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    keep = table.counts > 0
    bits, n_bits = kernel.set_bits(table.patterns[keep])
    return bits, n_bits, np.ascontiguousarray(table.counts[keep], dtype=np.int64)


def time_sweeps(
    table: CaptureHistories, n_classes: int, sweeps: int, seed: int
) -> tuple[float, float]:
    """Wall and CPU seconds for ``sweeps`` Gibbs sweeps (nothing recorded but the last)."""
    bits, n_bits, counts = arrays(table)
    state = kernel.chain_state(np.random.SeedSequence(seed))
    start, start_cpu = time.perf_counter(), time.thread_time()
    kernel.run_chain(
        bits, n_bits, counts, n_classes, 0.25, 0.25, sweeps - 1, 1, 1, 0, 0.0, -1, state
    )
    return time.perf_counter() - start, time.thread_time() - start_cpu


def best_rate(table: CaptureHistories, n_classes: int, max_sweeps: int) -> tuple[float, float, int]:
    """Best wall and CPU sweeps per second of three repetitions, after a warm-up run."""
    warm, _ = time_sweeps(table, n_classes, 2000, seed=0)
    # Keep each repetition near a second at most, as R's slowest rows took longer.
    sweeps = int(min(max_sweeps, max(2000, 2000 / warm)))
    runs = [time_sweeps(table, n_classes, sweeps, seed=rep + 1) for rep in range(3)]
    return sweeps / min(w for w, _ in runs), sweeps / min(c for _, c in runs), sweeps


def parallel_throughput(table: CaptureHistories, chains: int, sweeps: int) -> float:
    """Total sweeps per second of ``chains`` chains run in one thread per CPU."""
    workers = min(chains, os.cpu_count() or 1)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda s: time_sweeps(table, 10, sweeps, seed=s), range(chains)))
    return chains * sweeps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="K=10 rows, 10,000 sweeps")
    args = parser.parse_args()
    max_sweeps = 10_000 if args.quick else 50_000

    with open(DATA / "lcmcr_speed_benchmark.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if args.quick:
        rows = [r for r in rows if r["K"] == "10"]

    # Compile (or load the cached compilation) before timing anything.
    time_sweeps(load("kosovo_1999", 4, 4400), 10, 10, seed=0)

    header = (
        f"{'dataset':24s} {'J':>2s} {'n_obs':>7s} {'M':>5s} {'K':>3s} {'sweeps':>7s} "
        f"{'sweeps/s':>10s} {'µs/sweep':>9s} {'CPU sw/s':>9s} {'R sweeps/s':>10s} {'R µs':>8s} "
        f"{'ratio':>6s}"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(header)
    print("-" * len(header))
    tables: dict[str, CaptureHistories] = {}
    ratios = []
    for row in rows:
        dataset, n_lists, observed = row["dataset"], int(row["J"]), int(row["n_obs"])
        if dataset not in tables:
            tables[dataset] = load(dataset, n_lists, observed)
        table = tables[dataset]
        n_classes = int(row["K"])
        rate, cpu_rate, sweeps = best_rate(table, n_classes, max_sweeps)
        r_rate = float(row["iter_per_s"])
        ratios.append(rate / r_rate)
        print(
            f"{dataset:24s} {n_lists:2d} {observed:7,d} {int((table.counts > 0).sum()):5d} "
            f"{n_classes:3d} {sweeps:7,d} {rate:10,.0f} {1e6 / rate:9.2f} {cpu_rate:9,.0f} "
            f"{r_rate:10,.0f} "
            f"{float(row['us_per_iter']):8.2f} {rate / r_rate:5.2f}x",
            flush=True,
        )
    print("-" * len(header))
    print(
        f"ratio to R: median {np.median(ratios):.2f}x, "
        f"min {min(ratios):.2f}x, max {max(ratios):.2f}x"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    kosovo = tables.get("kosovo_1999") or load("kosovo_1999", 4, 4400)
    throughput = parallel_throughput(kosovo, chains=4, sweeps=max_sweeps)
    print(
        f"kosovo_1999, K=10, 4 chains in {min(4, os.cpu_count() or 1)} threads: "
        f"{throughput:,.0f} sweeps/s in total ({throughput / 59_880:.2f}x R's single chain)"
    )


if __name__ == "__main__":
    main()
