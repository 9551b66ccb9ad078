"""``reckon ingest`` and ``reckon export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reckon.cli.options import format_option, open_store, print_json, project_option
from reckon.errors import ValidationError
from reckon.ingest.export import FORMATS, export_records, export_to_path
from reckon.ingest.fields import FIELDS, resolve_maps
from reckon.ingest.pipeline import ingest_file

FIELD_HELP = "; ".join(f"{f.name}" for f in FIELDS)


@click.command(epilog=f"Fields: {FIELD_HELP}. Map a column to 'ignore' to leave it out.")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--source", required=True, help="The list's name, e.g. the organisation's.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FILE.yaml|COLUMN=FIELD",
    help="A YAML map file (columns: {header: field}), or one COLUMN=FIELD; repeatable.",
)
@click.option(
    "--encoding",
    help="The files' encoding (utf-8, cp949, euc-kr, utf-16); detected when not given.",
)
@click.option("--delimiter", help="The CSV delimiter; detected when not given.")
@click.option("--sheet", help="The XLSX sheet to read (default: the first with data).")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@project_option
@format_option
def ingest(
    files: tuple[Path, ...],
    source: str,
    maps: tuple[str, ...],
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    dry_run: bool,
    project_dir: Path,
    output_format: str,
) -> None:
    """Take list files (CSV, XLSX, JSON, JSON Lines) into the project as SOURCE's records.

    Every row is stored or rejected with a reason; rejected rows go to the project's
    quarantine folder with a report naming row, column, value and fix.
    """
    spec = resolve_maps(maps)
    mapping = spec.columns
    encoding = encoding or spec.encoding
    delimiter = delimiter or spec.delimiter
    sheet = sheet or spec.sheet
    project, store = open_store(project_dir)
    reports = []
    with store:
        for path in files:
            reports.append(
                ingest_file(
                    store,
                    path,
                    source,
                    mapping=mapping,
                    encoding=encoding,
                    delimiter=delimiter,
                    sheet=sheet,
                    dry_run=dry_run,
                    quarantine_dir=None if dry_run else project.quarantine_dir,
                )
            )
    if output_format == "json":
        print_json([r.to_dict() for r in reports])
    else:
        for report in reports:
            click.echo(report.summary())
    if any(r.rows_rejected for r in reports):
        sys.exit(1)


@click.command()
@click.option(
    "--format", "export_format", type=click.Choice(FORMATS), default="csv", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
@click.option("--source", "sources", multiple=True, help="Only this source; repeatable.")
@project_option
def export(
    export_format: str, out: Path | None, sources: tuple[str, ...], project_dir: Path
) -> None:
    """Write the project's records in the columns `reckon ingest` reads.

    The output holds identifying data (names, birth dates): keep it as safe as the project.
    """
    _, store = open_store(project_dir)
    with store:
        if out is None:
            count = export_records(
                store, sys.stdout, format=export_format, sources=list(sources) or None
            )
        else:
            if out.exists() and out.is_dir():
                raise ValidationError(f"{out} is a folder; give a file name")
            count = export_to_path(store, out, format=export_format, sources=list(sources) or None)
    click.echo(f"exported {count:,} records" + (f" to {out}" if out else ""), err=True)


COMMANDS = [ingest, export]
