"""Print the command-line reference (docs/cli.md) from the commands' own --help texts.

A test compares docs/cli.md with this output, so the reference cannot drift from the code;
`make docs` rewrites it.
"""

from __future__ import annotations

import click
from click.testing import CliRunner

from reckon.cli.main import cli


def reference() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference",
        "",
        "Generated from `reckon --help` by `make docs`; a test keeps it in step with the code.",
        "",
        "## reckon",
        "",
        "```",
        runner.invoke(cli, ["--help"], terminal_width=100).output.rstrip(),
        "```",
    ]
    for name in sorted(cli.commands):
        command: click.Command = cli.commands[name]
        if command.hidden:
            continue
        text = runner.invoke(cli, [name, "--help"], terminal_width=100).output.rstrip()
        parts += ["", f"## reckon {name}", "", "```", text, "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
