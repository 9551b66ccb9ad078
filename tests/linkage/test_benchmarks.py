"""Accuracy of the generic linkage model on the public FEBRL benchmarks (labels only score)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from reckon.linkage.link import link
from reckon.simulate.evaluation import score_linkage

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from linkage_data import load

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["febrl3", "febrl4"])
def test_febrl_pairwise_f1_reaches_the_target(name: str) -> None:
    records, truth, _ = load(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = link(records, seed=1, truth=truth)
    scores = score_linkage(result.clusters, truth)
    assert scores.pairwise_f1 >= 0.997
    assert result.blocking_recall >= 0.99
    assert abs(result.n_entities - truth["person_id"].nunique()) <= 5
