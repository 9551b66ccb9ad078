"""``reckon vocab``: the controlled vocabularies, with codes and English and Korean labels."""

from __future__ import annotations

import click

from reckon.cli.options import format_option, print_json, print_table
from reckon.records.vocabulary import load_vocabulary, vocabulary_names


@click.command()
@click.argument("name", required=False)
@click.option("--search", help="Show only terms whose code or labels contain this text.")
@format_option
def vocab(name: str | None, search: str | None, output_format: str) -> None:
    """List the vocabularies, or the terms of vocabulary NAME."""
    if name is None:
        rows = []
        for vocab_name in vocabulary_names():
            vocabulary = load_vocabulary(vocab_name)
            rows.append(
                {
                    "vocabulary": vocab_name,
                    "terms": len(list(vocabulary)),
                    "description": vocabulary.description,
                }
            )
        if output_format == "json":
            print_json(rows)
        else:
            print_table(rows, ["vocabulary", "terms", "description"])
        return
    vocabulary = load_vocabulary(name)
    rows = [{"code": t.code, "en": t.en, "ko": t.ko} for t in vocabulary]
    if search:
        needle = search.casefold()
        rows = [r for r in rows if any(needle in (v or "").casefold() for v in r.values())]
    if output_format == "json":
        print_json(rows)
    else:
        print_table(rows, ["code", "en", "ko"])


COMMANDS = [vocab]
