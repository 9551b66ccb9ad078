"""``reckon estimate``: multiple systems estimation on a capture-history table."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import click

from reckon.cli.options import format_option, print_json, print_table
from reckon.errors import ReckonWarning, ValidationError

METHODS = ("lcmcr", "loglinear", "dga", "chapman")


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def build_estimator(method: str, options: dict[str, Any]) -> Any:
    """The estimator for ``method`` with the options the user gave (others keep defaults)."""
    import reckon.estimation as estimation

    given = {k: v for k, v in options.items() if v is not None}
    accepted = {
        "lcmcr": {
            "level",
            "random_state",
            "chains",
            "K",
            "burnin",
            "samples",
            "thinning",
            "max_missing",
        },
        "loglinear": {"level", "model", "criterion", "max_order"},
        "dga": {"level", "grid_multiplier", "delta"},
        "chapman": {"level"},
    }[method]
    unused = sorted(set(given) - accepted - {"random_state"})
    if unused:
        flags = ", ".join("--" + name.replace("_", "-") for name in unused)
        raise ValidationError(f"{flags} does not apply to --method {method}")
    settings = {k: v for k, v in given.items() if k in accepted}
    name = {"lcmcr": "LCMCR", "loglinear": "LogLinear", "dga": "DGA", "chapman": "Chapman"}
    return getattr(estimation, name[method])(**settings)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="lcmcr",
    show_default=True,
    help="lcmcr: Bayesian latent classes; loglinear: log-linear models (BIC-best); "
    "dga: Bayesian model averaging over decomposable graphs; chapman: two lists.",
)
@click.option(
    "--lists",
    help="The list columns, comma-separated (default: every column but the count and strata).",
)
@click.option(
    "--count",
    "count_column",
    default="count",
    show_default=True,
    help="The column holding how many people share each capture pattern.",
)
@click.option(
    "--strata",
    help="Stratum columns, comma-separated: one estimate per stratum and a combined total.",
)
@click.option(
    "--level",
    type=click.FloatRange(0.5, 0.999),
    default=0.95,
    show_default=True,
    help="Interval level (equal-tailed).",
)
@click.option("--seed", type=int, help="Random seed (Bayesian samplers); recorded in the result.")
@click.option("--chains", type=click.IntRange(1, 64), help="LCMCR: number of chains.")
@click.option("--K", "K", type=click.IntRange(1, 100), help="LCMCR: number of latent classes.")
@click.option("--burnin", type=click.IntRange(0), help="LCMCR: burn-in sweeps.")
@click.option("--samples", type=click.IntRange(1), help="LCMCR: posterior draws kept per chain.")
@click.option("--thinning", type=click.IntRange(1), help="LCMCR: sweeps per kept draw.")
@click.option(
    "--max-missing",
    type=click.IntRange(0),
    help="LCMCR: an upper bound on the unobserved count (none by default).",
)
@click.option(
    "--model",
    help="loglinear: 'best' (default), a closedp model such as Mt or Mh "
    "Chao, or interaction terms like 'A:B,B:C'.",
)
@click.option(
    "--criterion",
    type=click.Choice(["bic", "aic"]),
    help="loglinear: how the best model is chosen (default bic).",
)
@click.option("--max-order", type=click.IntRange(2), help="loglinear: highest interaction order.")
@click.option(
    "--grid-multiplier",
    type=click.IntRange(1),
    help="dga: the grid of the unobserved count runs to this many times the observed (default 10).",
)
@click.option(
    "--details", is_flag=True, help="Also print the per-model / per-graph / per-stratum table."
)
@format_option
def estimate(
    file: Path,
    method: str,
    lists: str | None,
    count_column: str,
    strata: str | None,
    level: float,
    seed: int | None,
    chains: int | None,
    K: int | None,
    burnin: int | None,
    samples: int | None,
    thinning: int | None,
    max_missing: int | None,
    model: str | None,
    criterion: str | None,
    max_order: int | None,
    grid_multiplier: int | None,
    details: bool,
    output_format: str,
) -> None:
    """Estimate how many people no list recorded, from a capture-history table.

    FILE is a CSV with one 0/1 column per list and a count column (one row per capture
    pattern), optionally with stratum columns. `reckon link --capture-histories` writes one.
    """
    from reckon.estimation import CaptureHistories, Stratified

    table = CaptureHistories.from_csv(
        file, lists=_split(lists), count=count_column, strata=_split(strata)
    )
    parsed_model: Any = model
    if model and ":" in model:
        parsed_model = [term.strip() for term in model.split(",")]
    estimator = build_estimator(
        method,
        {
            "level": level,
            "random_state": seed if method == "lcmcr" else None,
            "chains": chains,
            "K": K,
            "burnin": burnin,
            "samples": samples,
            "thinning": thinning,
            "max_missing": max_missing,
            "model": parsed_model,
            "criterion": criterion,
            "max_order": max_order,
            "grid_multiplier": grid_multiplier,
        },
    )
    if table.strata is not None:
        estimator = Stratified(estimator, level=level, random_state=seed)
    with warnings.catch_warnings():
        # The result carries every warning; print them once, from there.
        warnings.simplefilter("ignore", ReckonWarning)
        result = estimator.fit(table).result_
    if output_format == "json":
        data = result.to_dict()
        if details and result.details is not None:
            data["details"] = result.details.to_dict(orient="records")
        print_json(data)
        return
    click.echo(str(result))
    if details and result.details is not None:
        frame = result.details.head(40)
        print_table(
            [{k: _short(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        )


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 100 else f"{value:,.0f}"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


COMMANDS = [estimate]
