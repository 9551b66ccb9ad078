"""Options shared by the commands, so that every command spells them the same way."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reckon.store import Project, Store

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder.",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="How to print the result.",
)


def open_store(project_dir: Path) -> tuple[Project, Store]:
    project = Project.open(project_dir)
    return project, Store.for_project(project)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(
    rows: list[dict[str, Any]],
    columns: list[str] | None = None,
    echo: Callable[[str], None] = click.echo,
) -> None:
    """A plain aligned text table."""
    if not rows:
        echo("  (none)")
        return
    columns = columns or list(rows[0])
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    echo("  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        echo("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
