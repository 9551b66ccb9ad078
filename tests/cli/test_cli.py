"""The command line: what a user types, what they see, and the exit codes scripts rely on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reckon import __version__
from reckon.cli.main import cli

LIST = (
    "record_id,name,sex,birth_year,province,event_year,violation\n"
    "A1,김영철,M,1962,North Hamgyong,1997,Public execution\n"
    "A2,Ri Sun Hui,F,1975,Ryanggang,2005,Forced repatriation\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def runner(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A command line whose projects use SQLite, or a fresh PostgreSQL database."""
    monkeypatch.delenv("RECKON_DATABASE_URL", raising=False)
    if request.param == "postgresql":
        monkeypatch.setenv("RECKON_DATABASE_URL", request.getfixturevalue("database_url_pg"))
    return CliRunner()


@pytest.fixture
def database_url_pg(postgres_server) -> str:
    return postgres_server.create_database()


@pytest.fixture
def project(runner: CliRunner, tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    result = runner.invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_init_reports_database_as_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "p"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["schema"] == "0002"
    expected = "postgresql" if "RECKON_DATABASE_URL" in os.environ else "sqlite:///"
    assert data["database"].startswith(expected)


def test_ingest_status_export(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(path), "--source", "NGO", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "rows read 2 = stored 2" in result.output
    status = runner.invoke(cli, ["status", "--project", str(project), "--format", "json"])
    data = json.loads(status.output)
    assert data["sources"] == [{"source": "NGO", "persons": 2, "acts": 2}]
    assert {"year": 1997, "acts": 1} in data["by_year"]
    out = tmp_path / "out.json"
    exported = runner.invoke(
        cli, ["export", "--format", "json", "--out", str(out), "--project", str(project)]
    )
    assert exported.exit_code == 0
    assert [r["name"] for r in json.loads(out.read_text(encoding="utf-8"))] == [
        "김영철",
        "Ri Sun Hui",
    ]


def test_ingest_with_rejections_exits_1_and_names_the_quarantine(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST + "A3,X,M,1962,Atlantis,1997,Torture\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["ingest", str(path), "--source", "NGO", "--project", str(project), "--format", "json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.output)[0]
    assert report["rows_read"] == 3 and report["rows_rejected"] == 1
    assert Path(report["quarantine_file"]).parent == project / "quarantine"


def test_map_option_takes_pairs_and_files(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Victim,Gender,Where\n김영철,M,Hoeryong\n", encoding="utf-8")
    mapfile = tmp_path / "map.yaml"
    mapfile.write_text("columns:\n  Victim: name\n  Where: county\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "ingest",
            str(path),
            "--source",
            "S",
            "--map",
            str(mapfile),
            "--map",
            "Gender=sex",
            "--project",
            str(project),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["mapping"] == {
        "Victim": "name",
        "Where": "county",
        "Gender": "sex",
    }


def test_dry_run_writes_nothing(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(
        cli, ["ingest", str(path), "--source", "NGO", "--dry-run", "--project", str(project)]
    )
    assert result.exit_code == 0 and "would store 2" in result.output
    status = runner.invoke(cli, ["status", "--project", str(project), "--format", "json"])
    assert json.loads(status.output)["sources"] == []


def test_library_errors_are_one_line_with_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(path), "--source", "S", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "reckon init" in result.output
    assert "Traceback" not in result.output
    verbose = runner.invoke(
        cli, ["--verbose", "ingest", str(path), "--source", "S", "--project", str(tmp_path)]
    )
    assert verbose.exit_code == 2 and "Traceback" in verbose.output


def test_empty_file_is_an_ingest_error(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = runner.invoke(cli, ["ingest", str(path), "--source", "S", "--project", str(project)])
    assert result.exit_code == 3 and "empty" in result.output


def test_vocab_lists_and_searches(runner: CliRunner) -> None:
    listing = runner.invoke(cli, ["vocab", "--format", "json"])
    names = {v["vocabulary"] for v in json.loads(listing.output)}
    assert {"violation_types", "provinces", "facility_types"} <= names
    found = runner.invoke(
        cli, ["vocab", "violation_types", "--search", "공개처형", "--format", "json"]
    )
    assert [t["code"] for t in json.loads(found.output)] == ["VT.LIFE.EXEC_PUBLIC"]


def test_demo_runs_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo keeps to its own embedded database, whatever the environment points at.
    monkeypatch.setenv("RECKON_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "NGO-A" in result.output and "rejected 1" in result.output
    assert "loglinear [123,14,34]  10,357" in result.output  # the published Kosovo estimate
    assert "true N = 300, seed 2026" in result.output
    assert (tmp_path / "demo" / "simulated" / "truth.csv").is_file()
    clusters = (tmp_path / "demo" / "simulated" / "clusters.csv").read_text("utf-8").splitlines()
    assert clusters[0].startswith("record_id,source,cluster_id")
    assert "B-cubed" in result.output and "linked records" in result.output
    again = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert again.exit_code == 0
