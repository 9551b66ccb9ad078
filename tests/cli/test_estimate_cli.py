"""``reckon estimate``: the JSON contract scripts rely on, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reckon.cli.main import cli

DATA = Path(__file__).parents[1] / "data" / "mse"
KOSOVO = str(DATA / "kosovo_1999.csv")
FAST_LCMCR = ["--burnin", "200", "--samples", "300", "--thinning", "2", "--chains", "2"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["estimate", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("method, extra", [("loglinear", []), ("dga", []), ("lcmcr", FAST_LCMCR)])
def test_json_has_the_documented_keys(method: str, extra: list[str]) -> None:
    code, output = run(KOSOVO, "--method", method, "--seed", "7", "--format", "json", *extra)
    assert code == 0, output
    data = json.loads(output)
    assert {
        "method",
        "observed",
        "estimate",
        "interval",
        "level",
        "diagnostics",
        "warnings",
    } <= set(data)
    assert data["observed"] == 4400 and data["level"] == 0.95
    lower, upper = data["interval"]
    assert data["observed"] <= lower <= data["estimate"] <= upper


def test_loglinear_kosovo_is_the_published_estimate() -> None:
    code, output = run(KOSOVO, "--method", "loglinear", "--format", "json")
    assert code == 0
    assert json.loads(output)["estimate"] == pytest.approx(10356.5, rel=1e-3)


def test_seed_makes_lcmcr_repeatable_and_is_recorded() -> None:
    first = json.loads(run(KOSOVO, "--seed", "3", "--format", "json", *FAST_LCMCR)[1])
    second = json.loads(run(KOSOVO, "--seed", "3", "--format", "json", *FAST_LCMCR)[1])
    assert first["estimate"] == second["estimate"]
    assert first["provenance"]["random_state"] == 3


def test_level_changes_the_interval() -> None:
    wide = json.loads(run(KOSOVO, "--method", "dga", "--format", "json")[1])
    narrow = json.loads(run(KOSOVO, "--method", "dga", "--level", "0.8", "--format", "json")[1])
    assert narrow["level"] == 0.8
    assert wide["interval"][0] < narrow["interval"][0] < narrow["interval"][1] < wide["interval"][1]


def test_strata_give_a_combined_total_and_per_stratum_details() -> None:
    code, output = run(
        str(DATA / "spina_bifida_ny_by_ethnicity.csv"),
        "--method",
        "dga",
        "--strata",
        "eth",
        "--format",
        "json",
        "--details",
    )
    assert code == 0, output
    data = json.loads(output)
    assert data["method"].startswith("stratified")
    strata = [row for row in data["details"] if row["stratum"] != "total"]
    assert len(strata) >= 2
    assert sum(row["observed"] for row in strata) == data["observed"]


def test_table_output_reads_as_text() -> None:
    code, output = run(KOSOVO, "--method", "dga")
    assert code == 0
    assert "observed:  4,400" in output and "95% interval" in output


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--method", "chapman"], 2, "exactly 2 lists"),
        (["--method", "dga", "--chains", "3"], 2, "--chains does not apply to --method dga"),
        (["--lists", "EXH,NOPE"], 2, "NOPE"),
    ],
)
def test_bad_requests_are_one_line_errors(args: list[str], code: int, message: str) -> None:
    exit_code, output = run(KOSOVO, *args)
    assert exit_code == code
    assert output.startswith("error: ") and message in output
