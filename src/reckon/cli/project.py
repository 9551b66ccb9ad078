"""``reckon init`` and ``reckon status``."""

from __future__ import annotations

from pathlib import Path

import click

from reckon.cli.options import format_option, open_store, print_json, print_table, project_option
from reckon.store import Project, Store
from reckon.store.project import redact_url


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="A name for the project (default: the folder's name).")
@format_option
def init(directory: Path, name: str | None, output_format: str) -> None:
    """Create a project folder with reckon.toml and an empty database."""
    project = Project.init(directory, name=name)
    with Store.for_project(project) as store:
        revision = store.schema_revision()
    result = {
        "project": str(project.root),
        "name": project.name,
        "database": redact_url(project.database_url),
        "schema": revision,
    }
    if output_format == "json":
        print_json(result)
        return
    click.echo(f"created project {project.name!r} in {project.root}")
    click.echo(f"  database: {result['database']} (schema {revision})")
    click.echo(f"  next: reckon ingest LIST.csv --source NAME --project {directory}")


@click.command()
@project_option
@format_option
def status(project_dir: Path, output_format: str) -> None:
    """Counts by source, violation type and year."""
    project, store = open_store(project_dir)
    with store:
        summary = store.status()
    summary = {"project": project.name, **summary}
    if output_format == "json":
        print_json(summary)
        return
    click.echo(f"project {project.name!r} — {summary['database']}")
    click.echo(f"imports: {summary['imports']}, places: {summary['places']}")
    click.echo("by source:")
    print_table(summary["sources"], ["source", "persons", "acts"])
    click.echo("by violation:")
    print_table(summary["by_violation"], ["violation", "acts"])
    click.echo("by year of the act:")
    print_table(summary["by_year"], ["year", "acts"])
    if summary["acts_without_single_year"]:
        click.echo(
            f"  ({summary['acts_without_single_year']} acts have no date or a date "
            "spanning several years)"
        )


COMMANDS = [init, status]
