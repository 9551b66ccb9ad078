"""Ingest speed and memory: 100,000 rows into SQLite and into PostgreSQL.

Each backend runs in a child process of its own so that its peak memory (max RSS) is its own.
Prints a table: backend, rows, seconds, rows/second, peak memory.

    python benchmarks/ingest.py [--rows 100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "리", "한", "오", "서"]
SYLLABLES = "영철순희정호미경성민옥자명수은숙남일혜림광진선아"
PROVINCES = [
    "North Hamgyong",
    "South Hamgyong",
    "Ryanggang",
    "Chagang",
    "South Pyongan",
    "North Pyongan",
    "Pyongyang",
    "North Hwanghae",
    "South Hwanghae",
    "Kangwon",
]
VIOLATIONS = [
    "Public execution",
    "Arbitrary detention",
    "Forced repatriation",
    "Torture during interrogation",
    "Death by starvation",
    "Enforced disappearance",
]
HEADER = [
    "record_id",
    "name",
    "sex",
    "birth_year",
    "province",
    "county",
    "event_year",
    "violation",
    "age_at_event",
    "notes",
]


def make_list(path: Path, rows: int, seed: int = 20261125) -> None:
    """A fictional list with realistic shapes (Korean names, years, vocabulary terms)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            birth = rng.randint(1930, 2000)
            event = rng.randint(max(birth + 10, 1990), 2020)
            name = rng.choice(SURNAMES) + "".join(rng.choices(SYLLABLES, k=rng.choice([1, 2])))
            writer.writerow(
                [
                    f"R{i:07d}",
                    name,
                    rng.choice("MF"),
                    birth,
                    rng.choice(PROVINCES),
                    f"County {rng.randint(1, 30)}",
                    event,
                    rng.choice(VIOLATIONS),
                    event - birth,
                    "" if rng.random() < 0.8 else "reported by a relative",
                ]
            )


def run_one(backend: str, path: Path) -> dict[str, float]:
    from reckon.ingest.pipeline import ingest_file
    from reckon.store import Store
    from reckon.store.local_postgres import LocalPostgres

    server = None
    with tempfile.TemporaryDirectory() as folder:
        if backend == "sqlite":
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        else:
            server = LocalPostgres().start()
            url = server.create_database("bench")
        try:
            with Store(url) as store:
                started = time.perf_counter()
                report = ingest_file(store, path, "BENCH")
                seconds = time.perf_counter() - started
                started = time.perf_counter()
                again = ingest_file(store, path, "BENCH")
                reimport = time.perf_counter() - started
        finally:
            if server is not None:
                server.stop()
    assert report.rows_new == report.rows_read and again.rows_already_stored == report.rows_read
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": report.rows_read,
        "seconds": seconds,
        "reimport_seconds": reimport,
        "peak_mib": peak_kib / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, Path(args.file))))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.csv"
        make_list(path, args.rows)
        results = []
        for backend in args.backends.split(","):
            out = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--file", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append((backend, json.loads(out.stdout.strip().splitlines()[-1])))
    print(
        f"{'backend':<12}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'re-import s':>13}"
        f"{'peak MiB':>10}"
    )
    for backend, r in results:
        print(
            f"{backend:<12}{r['rows']:>10,}{r['seconds']:>10.1f}{r['rows'] / r['seconds']:>10,.0f}"
            f"{r['reimport_seconds']:>13.1f}{r['peak_mib']:>10.0f}"
        )


if __name__ == "__main__":
    main()
