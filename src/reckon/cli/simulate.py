"""``reckon simulate``: synthetic lists with a known truth, for tests, demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from reckon.cli.options import format_option, print_json, print_table
from reckon.simulate import preset_names
from reckon.simulate import simulate as run_simulation


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scenario",
    default="default",
    show_default=True,
    metavar="FILE|NAME",
    help=f"A scenario YAML file or a preset: {', '.join(preset_names())}.",
)
@click.option("--people", type=click.IntRange(min=1), help="True number of victims N.")
@click.option("--lists", "n_lists", type=click.IntRange(min=2), help="Number of lists.")
@click.option("--seed", type=click.IntRange(min=0), help="Seed (same seed, same files).")
@format_option
def simulate(
    outdir: Path,
    scenario: str,
    people: int | None,
    n_lists: int | None,
    seed: int | None,
    output_format: str,
) -> None:
    """Write synthetic documentation lists of fictional victims into OUTDIR.

    One CSV per list (ready for `reckon ingest --source <list>`), truth.csv (which person
    every record is) and manifest.json (true N, every parameter, seed, file hashes).
    """
    sim = run_simulation(scenario, people=people, lists=n_lists, seed=seed)
    paths = sim.write(outdir)
    counts = sim.counts()
    histories = sim.capture_histories()
    if output_format == "json":
        print_json(
            {
                "scenario": sim.scenario.name,
                "seed": sim.scenario.seed,
                "true_n": sim.true_n,
                "observed": int(histories.observed),
                "lists": counts,
                "files": {label: str(path) for label, path in paths.items()},
            }
        )
        return
    click.echo(
        f"scenario {sim.scenario.name!r}, seed {sim.scenario.seed}: "
        f"true N = {sim.true_n:,}, recorded by at least one list = {histories.observed:,}"
    )
    rows = [{"file": str(paths[name]), **counts[name]} for name in sim.list_names()]
    print_table(rows, ["file", "records", "people", "duplicates"])
    click.echo(f"truth: {paths['truth']}")
    click.echo(f"manifest: {paths['manifest']}")
    click.echo("All people are fictional (synthetic data).")


COMMANDS = [simulate]
