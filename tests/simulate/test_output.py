"""Simulation outputs on disk: byte-identical per seed, a complete manifest, files ingest reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from reckon.cli.main import cli
from reckon.errors import ValidationError
from reckon.simulate import LIST_COLUMNS, simulate


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    runner = CliRunner()
    for folder, seed in (("a", "11"), ("b", "11"), ("c", "12")):
        args = ["simulate", str(tmp_path / folder), "--scenario", "small", "--seed", seed]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    first, again, other = (_tree(tmp_path / name) for name in "abc")
    assert first == again
    assert set(first) == set(other)
    assert all(first[name] != other[name] for name in first)


def test_manifest_records_truth_parameters_seed_and_file_hashes(tmp_path: Path) -> None:
    sim = simulate("small", seed=5, people=250, lists=3)
    paths = sim.write(tmp_path)
    manifest = json.loads(paths["manifest"].read_text("utf-8"))
    assert manifest["true_n"] == 250 == sim.true_n
    assert manifest["seed"] == 5
    assert manifest["synthetic"] is True
    assert len(manifest["scenario"]["lists"]) == 3
    assert manifest["scenario"]["people"] == 250
    for label, path in paths.items():
        if label != "manifest":
            assert manifest["files"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    truth = pd.read_csv(paths["truth"], dtype=str)
    assert manifest["observed_people"] == truth["person_id"].nunique()
    for name in sim.list_names():
        frame = pd.read_csv(paths[name], dtype=str)
        assert tuple(frame.columns) == LIST_COLUMNS
        assert manifest["lists"][name]["records"] == len(frame)
        assert set(frame["record_id"]) <= set(truth["record_id"])


def test_writing_into_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="is a file"):
        simulate("small", seed=1).write(target)


def test_every_simulated_row_is_ingested_or_rejected_with_a_reason(tmp_path: Path) -> None:
    runner = CliRunner()
    lists = tmp_path / "lists"
    assert runner.invoke(cli, ["simulate", str(lists), "--scenario", "small"]).exit_code == 0
    project = tmp_path / "proj"
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    for path in sorted(lists.glob("*.csv")):
        if path.name == "truth.csv":
            continue
        result = runner.invoke(
            cli,
            ["ingest", str(path), "--source", path.stem, "--project", str(project)],
            env={"RECKON_DATABASE_URL": ""},
        )
        assert result.exit_code == 0, result.output
        rows = len(pd.read_csv(path, dtype=str))
        assert f"rows read {rows} = stored {rows} (new {rows}," in result.output
        assert "+ rejected 0" in result.output, result.output
