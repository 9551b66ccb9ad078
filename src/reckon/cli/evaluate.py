"""``reckon evaluate`` and ``reckon coverage``: score linkage and estimates against the truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from reckon.cli.options import format_option, print_json, print_table
from reckon.errors import IngestError, ValidationError


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    try:
        # Ids stay text: "007" and "7" are different records.
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise IngestError(f"cannot read the {what} file {path}: {err}") from err


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@click.command()
@click.argument(
    "clusters", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--truth",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with record_id, person_id and optionally source (as `reckon simulate` writes).",
)
@click.option(
    "--estimate",
    "estimate_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON of an estimate, as `reckon estimate --format json` prints it.",
)
@click.option("--true-n", type=click.IntRange(1), help="The true population size N.")
@format_option
def evaluate(
    clusters: Path | None,
    truth: Path | None,
    estimate_file: Path | None,
    true_n: int | None,
    output_format: str,
) -> None:
    """Score a linkage, or an estimate, against the known truth.

    \b
    Linkage:  reckon evaluate CLUSTERS.csv --truth truth.csv
    Estimate: reckon evaluate --estimate result.json --true-n 20000

    CLUSTERS.csv has one row per record with record_id and cluster_id (and optionally
    source; when both files have source, records are matched on source and record_id).
    Prints pairwise and B-cubed precision, recall and F1, entities found against true
    persons, and the share of persons recovered exactly. For an estimate, prints the error,
    relative error, whether the interval covers N, and its width. Both can be given at once.
    """
    from reckon.simulate.evaluation import score_estimate, score_linkage

    problems = []
    if clusters is None and estimate_file is None:
        problems.append("give CLUSTERS.csv with --truth, or --estimate with --true-n")
    if clusters is not None and truth is None:
        problems.append("CLUSTERS.csv needs --truth TRUTH.csv to be scored against")
    if truth is not None and clusters is None:
        problems.append("--truth needs CLUSTERS.csv to score")
    if estimate_file is not None and true_n is None:
        problems.append("--estimate needs --true-n N")
    if true_n is not None and estimate_file is None:
        problems.append("--true-n needs --estimate RESULT.json")
    if problems:
        raise ValidationError("nothing to evaluate", problems)

    output: dict[str, Any] = {}
    if clusters is not None and truth is not None:
        output["linkage"] = score_linkage(
            _read_csv(clusters, "clusters"), _read_csv(truth, "truth")
        )
    if estimate_file is not None and true_n is not None:
        try:
            data = json.loads(estimate_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise IngestError(f"cannot read the estimate {estimate_file}: {err}") from err
        if not isinstance(data, dict):
            raise ValidationError(f"{estimate_file} holds no estimate object")
        output["estimate"] = score_estimate(data, true_n)

    if output_format == "json":
        print_json(
            {key: value.to_dict() if key == "linkage" else value for key, value in output.items()}
        )
        return
    if "linkage" in output:
        click.echo(str(output["linkage"]))
    if "estimate" in output:
        score = output["estimate"]
        click.echo(
            f"estimate {score['estimate']:,.0f} for true N {score['true_n']:,}: error "
            f"{score['error']:+,.0f} ({score['relative_error']:+.1%}); interval "
            f"{score['lower']:,.0f} – {score['upper']:,.0f} (width {score['interval_width']:,.0f})"
            f" {'covers' if score['covered'] else 'does NOT cover'} N"
        )


@click.command()
@click.option(
    "--scenarios",
    default="independent,heterogeneous,dependent",
    show_default=True,
    help="Scenario names or YAML paths, comma-separated.",
)
@click.option(
    "--methods",
    default="lcmcr,loglinear,dga",
    show_default=True,
    help="Estimators, comma-separated: lcmcr, loglinear, dga, chapman (first two lists).",
)
@click.option(
    "--repetitions", type=click.IntRange(1), default=20, show_default=True, help="Per scenario."
)
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True, help="Root seed.")
@click.option("--people", type=click.IntRange(1), help="True N of every population.")
@click.option(
    "--lists",
    type=click.IntRange(2),
    default=4,
    show_default=True,
    help="Lists per population (5 makes the log-linear search slow).",
)
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Processes.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one row per fit to this CSV.",
)
@format_option
def coverage(
    scenarios: str,
    methods: str,
    repetitions: int,
    seed: int,
    people: int | None,
    lists: int,
    jobs: int,
    output: Path | None,
    output_format: str,
) -> None:
    """Simulate populations, estimate their size, and report how often intervals cover N.

    Per scenario and method: mean relative bias, median absolute relative error, coverage of
    the 95% intervals (with a Wilson interval), mean interval width, warning rate, failures.
    Estimates use the true (perfect) linkage, so this measures the estimators alone.
    """
    from reckon.simulate.coverage import coverage_study, default_estimators, summarise

    results = coverage_study(
        _split(scenarios),
        default_estimators(_split(methods)),
        repetitions=repetitions,
        seed=seed,
        people=people,
        lists=lists,
        n_jobs=jobs,
    )
    if output is not None:
        results.to_csv(output, index=False)
    summary = summarise(results)
    if output_format == "json":
        print_json(summary.to_dict(orient="records"))
        return
    print_table([_formatted(row) for row in summary.to_dict(orient="records")])


def _formatted(row: dict[str, Any]) -> dict[str, str]:
    def pct(value: float) -> str:
        return "n/a" if pd.isna(value) else f"{value:+.1%}"

    def share(value: float) -> str:
        return "n/a" if pd.isna(value) else f"{value:.0%}"

    return {
        "scenario": row["scenario"],
        "estimator": row["estimator"],
        "runs": str(row["repetitions"]),
        "failed": str(row["failures"]),
        "rel. bias": pct(row["mean_relative_bias"]),
        "median |rel. err|": "n/a"
        if pd.isna(row["median_abs_relative_error"])
        else f"{row['median_abs_relative_error']:.1%}",
        "coverage (Wilson 95%)": f"{share(row['coverage'])} "
        f"({share(row['coverage_lower'])}–{share(row['coverage_upper'])})",
        "width / N": share(row["mean_relative_width"]),
        "warned": share(row["warning_rate"]),
    }


COMMANDS = [evaluate, coverage]
