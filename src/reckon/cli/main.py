"""The ``reckon`` command: parses, calls the library, prints. No business logic lives here."""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from reckon import __version__
from reckon.errors import ReckonError


class ReckonGroup(click.Group):
    """Turns reckon's errors into one clear line and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReckonError as err:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(f"error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=ReckonGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reckon")
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """reckon: record testimonies and lists safely, link the same victim across lists,
    estimate how many victims no list recorded, and publish counts that reveal no one."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def _register() -> None:
    from reckon.cli import demo, estimate, evaluate, ingest, link, project, simulate, vocab

    for module in (project, ingest, link, estimate, simulate, evaluate, vocab, demo):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="reckon")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
