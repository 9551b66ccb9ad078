"""Coverage study of reckon's estimators on simulated populations with known size.

For each scenario (independent lists, heterogeneous capture, dependent lists) simulate
``--repetitions`` populations, build their capture histories from the true (perfect) linkage,
and fit LCMCR (the study's faster settings, printed below), LogLinear (BIC-best hierarchical
model), DGA, and Chapman on the first two lists as the naive baseline. Prints per scenario ×
estimator: mean relative bias, median absolute relative error, coverage of the 95% intervals
with a Wilson 95% interval on it, mean interval width relative to N, warning rate and failures,
then the wall time. Writes one row per fit to ``--output``.

Usage::

    .venv/bin/python benchmarks/coverage_study.py                     # 100 × 3 scenarios
    .venv/bin/python benchmarks/coverage_study.py --repetitions 20 --jobs 2
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import pandas as pd

from reckon import __version__
from reckon.simulate.coverage import (
    LCMCR_STUDY_SETTINGS,
    coverage_study,
    default_estimators,
    summarise,
)


def markdown(summary: pd.DataFrame) -> str:
    lines = [
        "| scenario | estimator | runs | failed | mean rel. bias | median abs rel. error "
        "| 95% coverage (Wilson 95%) | mean width / N | warned |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in summary.to_dict(orient="records"):
        lines.append(
            f"| {row['scenario']} | {row['estimator']} | {row['repetitions']} "
            f"| {row['failures']} | {row['mean_relative_bias']:+.1%} "
            f"| {row['median_abs_relative_error']:.1%} "
            f"| {row['coverage']:.0%} ({row['coverage_lower']:.0%}–{row['coverage_upper']:.0%}) "
            f"| {row['mean_relative_width']:.1%} | {row['warning_rate']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="independent,heterogeneous,dependent")
    parser.add_argument("--methods", default="lcmcr,loglinear,dga,chapman")
    parser.add_argument("--repetitions", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--people", type=int, default=None, help="N (default: the scenario's)")
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=Path("coverage_study_results.csv"))
    parser.add_argument("--batch", type=int, default=10, help="repetitions per batch")
    parser.add_argument(
        "--summarise", type=Path, default=None, help="only summarise this results CSV"
    )
    args = parser.parse_args(argv)

    if args.summarise is not None:
        results = pd.read_csv(args.summarise)
        print(markdown(summarise(results)))
        print(f"{results['repetition'].nunique()} repetitions from {args.summarise}")
        return 0
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    started = time.perf_counter()
    batches = []
    # Batches of repetitions give the same rows as one run (first_repetition keeps the seeds)
    # and leave every finished batch on disk, so an interrupted run still has its results.
    for first in range(0, args.repetitions, args.batch):
        batches.append(
            coverage_study(
                scenarios,
                default_estimators(methods),
                repetitions=min(args.batch, args.repetitions - first),
                seed=args.seed,
                people=args.people,
                lists=args.lists,
                n_jobs=args.jobs,
                first_repetition=first,
            )
        )
        results = pd.concat(batches, ignore_index=True)
        results.to_csv(args.output, index=False)
        print(
            f"{first + len(batches[-1]) // (len(scenarios) * len(methods))} of "
            f"{args.repetitions} repetitions done, {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    elapsed = time.perf_counter() - started
    summary = summarise(results)

    print(markdown(summary))
    print()
    print(
        f"reckon {__version__}, Python {platform.python_version()}; scenarios {scenarios}, "
        f"{args.repetitions} repetitions each, {args.lists} lists, people "
        f"{args.people or 'scenario default'}, seed {args.seed}, {args.jobs} processes"
    )
    print(f"LCMCR settings: {dict(LCMCR_STUDY_SETTINGS)}")
    print(
        "fit seconds (mean per fit): "
        + ", ".join(
            f"{name} {seconds:.2f}"
            for name, seconds in results.groupby("estimator")["seconds"].mean().items()
        )
    )
    print(f"wall time {elapsed:.0f} s; one row per fit in {args.output}")
    failed = results[results["failed"]]
    for row in failed.head(10).itertuples():
        print(f"failed: {row.scenario} #{row.repetition} {row.estimator}: {row.error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
