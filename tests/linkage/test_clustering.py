"""Clustering scored pairs into people: constrained average linkage versus plain components."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.linkage.clustering import (
    cluster_records,
    connected_components,
    probability_to_weight,
)


def _edges(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_weight"])


def test_connected_components_chains_two_people_through_one_link() -> None:
    # 0-1 are one person, 2-3 another; one strong but wrong link 1-2 joins them, while the
    # other cross pairs say clearly "different person".
    edges = _edges([(0, 1, 20), (2, 3, 20), (1, 2, 8), (0, 2, -15), (0, 3, -15), (1, 3, -15)])
    labels = connected_components(4, edges, threshold=0.9)
    assert len(set(labels)) == 1


def test_cluster_records_does_not_chain_when_other_pairs_disagree() -> None:
    edges = _edges([(0, 1, 20), (2, 3, 20), (1, 2, 8), (0, 2, -15), (0, 3, -15), (1, 3, -15)])
    labels = cluster_records(4, edges, threshold=0.9, max_per_source=None)
    assert labels[0] == labels[1] != labels[2] == labels[3]


def test_cluster_records_merges_when_every_pair_agrees() -> None:
    edges = _edges([(0, 1, 20), (1, 2, 12), (0, 2, 5)])
    labels = cluster_records(3, edges, threshold=0.9, max_per_source=None)
    assert len(set(labels)) == 1


def test_cluster_records_keeps_at_most_max_per_source_records_of_a_list() -> None:
    # Three records of list "a" all linked to one record of list "b".
    edges = _edges([(0, 3, 20), (1, 3, 18), (2, 3, 16), (0, 1, 5), (0, 2, 5), (1, 2, 5)])
    sources = ["a", "a", "a", "b"]
    labels = cluster_records(4, edges, threshold=0.9, sources=sources, max_per_source=2)
    sizes = pd.Series(sources).groupby(labels).value_counts()
    assert sizes.max() == 2
    assert labels[0] == labels[3]  # the strongest link is kept


def test_cluster_records_ignores_links_below_threshold() -> None:
    edges = _edges([(0, 1, probability_to_weight(0.8))])
    assert len(set(cluster_records(2, edges, threshold=0.9, max_per_source=None))) == 2
    assert len(set(cluster_records(2, edges, threshold=0.7, max_per_source=None))) == 1


def test_cluster_records_rejects_ids_outside_the_records() -> None:
    with pytest.raises(ValidationError, match="record positions"):
        cluster_records(2, _edges([(0, 5, 10)]), threshold=0.9, max_per_source=None)


def test_cluster_records_needs_sources_for_the_source_constraint() -> None:
    with pytest.raises(ValidationError, match="source"):
        cluster_records(2, _edges([(0, 1, 10)]), threshold=0.9, max_per_source=1)


def test_probability_to_weight_is_log2_odds() -> None:
    assert probability_to_weight(0.5) == 0
    assert probability_to_weight(0.8) == pytest.approx(2.0)
    with pytest.raises(ValidationError):
        probability_to_weight(1.0)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 12),
    raw=st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.floats(-20, 20)), max_size=40
    ),
    seed=st.integers(0, 3),
)
def test_cluster_records_refines_connected_components(n, raw, seed) -> None:
    rows = [(a % n, b % n, w) for a, b, w in raw if a % n != b % n]
    edges = _edges(rows)
    sources = np.random.default_rng(seed).choice(["a", "b", "c"], size=n)
    plain = connected_components(n, edges, threshold=0.9)
    constrained = cluster_records(n, edges, threshold=0.9, sources=sources, max_per_source=1)
    # every constrained cluster lies inside one component, and respects the list limit
    assert (pd.Series(plain).groupby(constrained).nunique() == 1).all()
    assert pd.Series(sources).groupby(constrained).value_counts().max() == 1
