"""``reckon link`` and ``reckon review``: find the same person across lists, and record a
reviewer's decisions on pairs so that every later run respects them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pandas as pd

from reckon.errors import IngestError, ValidationError
from reckon.linkage.clustering import DEFAULT_THRESHOLD

__all__ = ["COMMANDS", "link", "review"]


def _read(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(path, dtype=object)
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, ImportError) as err:
        raise IngestError(f"cannot read {str(path)!r} as a table: {err}") from err


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    bad = [p for p in pairs if "=" not in p or not all(s.strip() for s in p.split("=", 1))]
    if bad:
        raise ValidationError(
            "--map takes COLUMN=FIELD, for example --map 이름=name", [f"{b!r}" for b in bad]
        )
    for pair in pairs:
        column, field_name = (s.strip() for s in pair.split("=", 1))
        mapping[column] = field_name
    return mapping


@contextlib.contextmanager
def _decision_log(decisions_file: Path | None, project_dir: Path | None) -> Iterator[Any]:
    """Where decisions are kept: a CSV file, or a project's database (open while in use)."""
    from reckon.linkage.review import DecisionFile, StoreDecisions

    if (decisions_file is None) == (project_dir is None):
        raise ValidationError("say where decisions are kept: --decisions FILE or --project DIR")
    if decisions_file is not None:
        yield DecisionFile(decisions_file)
        return
    from reckon.cli.options import open_store

    _, store = open_store(project_dir)
    with store:
        yield StoreDecisions(store)


def _decisions_file_option(help_text: str, *, exists: bool = False) -> Any:
    return click.option(
        "--decisions",
        "decisions_file",
        type=click.Path(exists=exists, dir_okay=False, path_type=Path),
        help=help_text,
    )


def _project_option(help_text: str) -> Any:
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_project_option(
    "Link the records stored in this project (instead of FILES); its review decisions are "
    "respected."
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read COLUMN as FIELD (name, sex, birth_year, age_at_event, event_year, province, "
    "county, violation, record_id...). Repeatable.",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="SQL engine the linkage model runs on (spark: local Spark through pyspark).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.01, 0.9999),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Match probability a link needs (see docs/linkage.md for the choice).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the training sample.")
@_decisions_file_option(
    "CSV of review decisions (from `reckon review decide`) to respect.", exists=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV to write: source, record_id, cluster_id, cluster_size.",
)
@click.option(
    "--capture-histories",
    "histories_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the capture-history table (one column per list, and count) for "
    "`reckon estimate`.",
)
@click.option(
    "--pairs",
    "pairs_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the scored pairs with per-field match weights.",
)
@click.option(
    "--review-queue",
    "queue_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the uncertain, undecided pairs side by side, for review.",
)
def link(
    files: tuple[Path, ...],
    project_dir: Path | None,
    maps: tuple[str, ...],
    engine: str,
    threshold: float,
    seed: int,
    decisions_file: Path | None,
    out: Path,
    histories_out: Path | None,
    pairs_out: Path | None,
    queue_out: Path | None,
) -> None:
    """Link the records of FILES (one list per file, named after the file) into people.

    Files may be CSV, JSON lines, Excel or Parquet, with a name column and at least one of
    birth year, age at the event, sex or place. With --project, the project's stored records
    are linked instead, and the review decisions stored in it are respected.
    """
    from reckon.linkage.link import link as run_link
    from reckon.linkage.review import DecisionFile

    if project_dir is not None and files:
        raise ValidationError("give FILES or --project, not both")
    decisions = list(DecisionFile(decisions_file).load()) if decisions_file else []
    if project_dir is not None:
        records, stored = _stored_records(project_dir)
        decisions += stored
    else:
        records = _file_records(files, _mapping(maps))
    result = run_link(records, engine=engine, threshold=threshold, seed=seed, decisions=decisions)
    result.clusters[["source", "record_id", "cluster_id", "cluster_size"]].to_csv(out, index=False)
    click.echo(str(result))
    click.echo(f"Wrote {out}")
    if pairs_out is not None:
        result.pairs.to_csv(pairs_out, index=False)
        click.echo(f"Wrote {pairs_out}")
    if histories_out is not None:
        result.capture_histories().to_frame().to_csv(histories_out, index=False)
        click.echo(f"Wrote {histories_out}")
    if queue_out is not None:
        from reckon.linkage.review import review_queue

        queue = review_queue(result, records, decisions=decisions)
        queue.to_csv(queue_out, index=False)
        click.echo(f"Wrote {queue_out}: {len(queue):,} pairs to review")


def _file_records(files: tuple[Path, ...], mapping: dict[str, str]) -> pd.DataFrame:
    if len(files) < 2:
        raise ValidationError("give at least two files (lists) to link, or --project DIR")
    stems = [p.stem for p in files]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise ValidationError(
            f"each file names one list after its file name; {repeated} repeat: rename the files"
        )
    frames = []
    for path in files:
        frame = _read(path).rename(columns=mapping)
        frame["source"] = path.stem
        if "record_id" not in frame.columns:
            frame["record_id"] = [str(i + 1) for i in range(len(frame))]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _stored_records(project_dir: Path) -> tuple[pd.DataFrame, list[Any]]:
    from reckon.cli.options import open_store
    from reckon.linkage.link import records_from_store
    from reckon.linkage.review import StoreDecisions

    _, store = open_store(project_dir)
    with store:
        return records_from_store(store), StoreDecisions(store).load()


def _record(value: str) -> tuple[str, str]:
    source, sep, record_id = value.partition(":")
    if not sep or not source or not record_id:
        raise ValidationError(
            f"name a record as SOURCE:RECORD_ID, for example ngo:A-17; got {value!r}"
        )
    return source, record_id


@click.group()
def review() -> None:
    """Review decisions: two records are, or are not, the same person."""


@review.command("decide")
@click.argument("left")
@click.argument("right")
@click.option("--must-link", "decision", flag_value="must_link", help="The same person.")
@click.option("--cannot-link", "decision", flag_value="cannot_link", help="Two people.")
@click.option("--reason", required=True, help="Why (kept with the decision).")
@click.option("--reviewer", help="Who decides (default: the login name).")
@_decisions_file_option("CSV file the decision is added to (created if missing).")
@_project_option("Project whose database keeps the decision.")
def decide(
    left: str,
    right: str,
    decision: str | None,
    reason: str,
    reviewer: str | None,
    decisions_file: Path | None,
    project_dir: Path | None,
) -> None:
    """Record that LEFT and RIGHT (each SOURCE:RECORD_ID) are or are not the same person.

    Later `reckon link` runs with the same --decisions file or --project always respect it;
    a newer decision on the same pair replaces the older one, which stays as history.
    """
    import getpass

    from reckon.linkage.review import Decision

    if decision is None:
        raise ValidationError("say --must-link or --cannot-link")
    (source_l, record_l), (source_r, record_r) = _record(left), _record(right)
    made = Decision(
        source_l, record_l, source_r, record_r, decision, reason, reviewer or getpass.getuser()
    )
    with _decision_log(decisions_file, project_dir) as log:
        log.add(made)
    click.echo(f"{decision.replace('_', '-')}: {left} and {right} by {made.reviewer} at "
               f"{made.decided_at}")  # fmt: skip


@review.command("list")
@_decisions_file_option("CSV file of decisions.")
@_project_option("Project whose database keeps the decisions.")
@click.option("--history", is_flag=True, help="Also show decisions replaced by newer ones.")
def list_decisions(decisions_file: Path | None, project_dir: Path | None, history: bool) -> None:
    """Show the review decisions in force (or all of them, with --history)."""
    from reckon.cli.options import print_table
    from reckon.linkage.review import decisions_in_force

    with _decision_log(decisions_file, project_dir) as log:
        decisions = log.load()
    shown = decisions if history else decisions_in_force(decisions)
    print_table(
        [
            {
                "left": f"{d.source_l}:{d.record_id_l}",
                "right": f"{d.source_r}:{d.record_id_r}",
                "decision": d.decision,
                "reviewer": d.reviewer,
                "decided_at": d.decided_at,
                "reason": d.reason,
            }
            for d in shown
        ]
    )


COMMANDS = [link, review]
