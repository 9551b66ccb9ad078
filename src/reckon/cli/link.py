"""``reckon link``: find the same person across lists and write one cluster id per record."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from reckon.errors import IngestError, ValidationError

__all__ = ["COMMANDS", "link"]


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


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
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
    "--engine", type=click.Choice(["duckdb"]), default="duckdb", show_default=True,
    help="SQL engine the linkage model runs on.",
)  # fmt: skip
@click.option(
    "--threshold",
    type=click.FloatRange(0.5, 0.9999),
    default=0.9,
    show_default=True,
    help="Match probability a link needs.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the training sample.")
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
def link(
    files: tuple[Path, ...],
    maps: tuple[str, ...],
    engine: str,
    threshold: float,
    seed: int,
    out: Path,
    histories_out: Path | None,
    pairs_out: Path | None,
) -> None:
    """Link the records of FILES (one list per file, named after the file) into people.

    Files may be CSV, JSON lines, Excel or Parquet, with a name column and at least one of
    birth year, age at the event, sex or place.
    """
    from reckon.linkage.link import link as run_link

    if len(files) < 2:
        raise ValidationError("give at least two files (lists) to link")
    stems = [p.stem for p in files]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise ValidationError(
            f"each file names one list after its file name; {repeated} repeat: rename the files"
        )
    mapping = _mapping(maps)
    frames = []
    for path in files:
        frame = _read(path).rename(columns=mapping)
        frame["source"] = path.stem
        if "record_id" not in frame.columns:
            frame["record_id"] = [str(i + 1) for i in range(len(frame))]
        frames.append(frame)
    records = pd.concat(frames, ignore_index=True)
    result = run_link(records, engine=engine, threshold=threshold, seed=seed)
    result.clusters[["source", "record_id", "cluster_id", "cluster_size"]].to_csv(out, index=False)
    click.echo(str(result))
    click.echo(f"Wrote {out}")
    if pairs_out is not None:
        result.pairs.to_csv(pairs_out, index=False)
        click.echo(f"Wrote {pairs_out}")
    if histories_out is not None:
        result.capture_histories().to_frame().to_csv(histories_out, index=False)
        click.echo(f"Wrote {histories_out}")


COMMANDS = [link]
