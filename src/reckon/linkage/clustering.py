"""Group linked records into people without chaining unrelated people through one weak link.

Connected components, Splink's default, puts two records in one cluster whenever a path of
links above the threshold joins them. One link between two people with similar names (김영철
born 1962 and 김영철 born 1963) then joins both people's records, and a sequence of such links
chains hundreds of people into one "person" (on Splink's historical_50k benchmark, a low
threshold chains 7,549 records into one cluster). For multiple systems estimation that is the
worst failure: merged people remove exactly the overlap counts the estimate rests on.

:func:`cluster_records` therefore merges like average-linkage agglomerative clustering with
constraints, in the order of the strongest links:

1. candidate links are the pairs at or above the match threshold, strongest first;
2. two clusters merge only if the *mean* match weight over all scored pairs between them is
   at least ``min_mean_weight`` — one strong link cannot outvote many pairs that say
   "different person";
3. and only if the merged cluster holds at most ``max_per_source`` records of any one list —
   a list records the same person a few times at most, so a cluster with five records from
   one list is several people.

Plain connected components (:func:`connected_components`) is kept for comparison (see
``benchmarks/linkage.py``).

References
----------
.. [1] O. Binette and R. C. Steorts, "(Almost) all of entity resolution", Science Advances 8
   (2022) eabi8021: transitivity and the clustering step.
.. [2] M. Hassanzadeh, F. Chiang, H. C. Lee and R. J. Miller, "Framework for evaluating
   clustering algorithms in duplicate detection", PVLDB 2 (2009) 1282-1293 (chaining under
   single linkage).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as _scipy_components

from reckon.errors import ValidationError

__all__ = [
    "DEFAULT_THRESHOLD",
    "cluster_records",
    "connected_components",
    "probability_to_weight",
]


def probability_to_weight(probability: float) -> float:
    """Match weight (log2 Bayes factor including the prior) of a match probability."""
    if not 0.0 < probability < 1.0:
        raise ValidationError(f"a match probability must lie strictly between 0 and 1, got "
                              f"{probability!r}")  # fmt: skip
    return math.log2(probability / (1.0 - probability))


def _check_edges(n_records: int, edges: pd.DataFrame) -> None:
    missing = {"unique_id_l", "unique_id_r", "match_weight"} - set(edges.columns)
    if missing:
        raise ValidationError(f"edges need columns {sorted(missing)}; got {list(edges.columns)}")
    if len(edges):
        ids = edges[["unique_id_l", "unique_id_r"]].to_numpy()
        if ids.min() < 0 or ids.max() >= n_records:
            raise ValidationError(
                f"edge ids must be record positions 0..{n_records - 1}; found "
                f"{int(ids.min())}..{int(ids.max())}"
            )


def _pairs(values: Sequence[tuple[int, int]] | np.ndarray, n_records: int, what: str) -> np.ndarray:
    pairs = np.asarray(values, dtype=np.int64).reshape(-1, 2)
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= n_records):
        raise ValidationError(f"{what} pairs must name records 0..{n_records - 1}")
    return pairs


def connected_components(
    n_records: int,
    edges: pd.DataFrame,
    threshold: float,
    *,
    must_link: Sequence[tuple[int, int]] | np.ndarray = (),
) -> np.ndarray:
    """Cluster labels of plain connected components over the links at or above ``threshold``.

    Parameters
    ----------
    n_records : int
        Records are numbered ``0..n_records-1``.
    edges : pandas.DataFrame
        ``unique_id_l``, ``unique_id_r``, ``match_weight`` (log2 odds, prior included).
    threshold : float
        Match probability a link needs.
    must_link : sequence of (int, int)
        Reviewers' must-link decisions: always links.

    Returns
    -------
    numpy.ndarray
        One label per record, ``0..k-1``.
    """
    _check_edges(n_records, edges)
    must = _pairs(must_link, n_records, "must-link")
    strong = edges[edges["match_weight"] >= probability_to_weight(threshold)]
    if len(must):
        strong = pd.concat([strong, pd.DataFrame(must, columns=["unique_id_l", "unique_id_r"])])
    graph = coo_matrix(
        (
            np.ones(len(strong)),
            (
                strong["unique_id_l"].to_numpy(dtype=np.int64),
                strong["unique_id_r"].to_numpy(dtype=np.int64),
            ),
        ),
        shape=(n_records, n_records),
    )
    _, labels = _scipy_components(graph, directed=False)
    return labels.astype(np.int64)


#: Default match probability a link needs. Fellegi–Sunter probabilities are under-confident
#: in the middle on multi-list data (conditional independence does not hold): on simulated
#: 5-list Korean data, pairs scored 0.2-0.5 are 60-75% true matches (docs/linkage.md). Links
#: from 0.2 up are proposed; the constrained clustering then still needs the mean weight
#: between two clusters to clear the same bar, so one link cannot join two groups.
DEFAULT_THRESHOLD = 0.2

#: Match weights standing for reviewers' decisions: beyond any weight a model gives.
MUST_LINK_WEIGHT = 1e9
CANNOT_LINK_WEIGHT = -1e12


def _with_decisions(
    n_records: int,
    edges: pd.DataFrame,
    must_link: Sequence[tuple[int, int]] | np.ndarray,
    cannot_link: Sequence[tuple[int, int]] | np.ndarray,
) -> tuple[pd.DataFrame, float]:
    """Edges with the decisions as extreme weights; refuses decisions that contradict."""
    must = _pairs(must_link, n_records, "must-link")
    cannot = _pairs(cannot_link, n_records, "cannot-link")
    if not len(must) and not len(cannot):
        return edges, math.inf
    no_links = pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_weight": []})
    groups = connected_components(n_records, no_links, 0.5, must_link=must)
    clash = cannot[groups[cannot[:, 0]] == groups[cannot[:, 1]]]
    if len(clash):
        raise ValidationError(
            "review decisions contradict each other: these records are cannot-linked but "
            "joined by must-links; change one of the decisions",
            [f"records {a} and {b}" for a, b in clash[:10].tolist()],
        )
    extra = pd.DataFrame(
        {
            "unique_id_l": np.concatenate([must[:, 0], cannot[:, 0]]),
            "unique_id_r": np.concatenate([must[:, 1], cannot[:, 1]]),
            "match_weight": [MUST_LINK_WEIGHT] * len(must) + [CANNOT_LINK_WEIGHT] * len(cannot),
        }
    )
    # Cannot-link pairs join their components (so the veto is seen) only through other links.
    return pd.concat([edges[["unique_id_l", "unique_id_r", "match_weight"]], extra],
                     ignore_index=True), MUST_LINK_WEIGHT  # fmt: skip


def cluster_records(
    n_records: int,
    edges: pd.DataFrame,
    *,
    threshold: float,
    sources: Sequence[str] | np.ndarray | None = None,
    min_mean_weight: float = 0.0,
    max_per_source: int | None = 2,
    must_link: Sequence[tuple[int, int]] | np.ndarray = (),
    cannot_link: Sequence[tuple[int, int]] | np.ndarray = (),
) -> np.ndarray:
    """Cluster labels from strongest-first, average-linkage merges under a source constraint.

    Parameters
    ----------
    n_records : int
        Records are numbered ``0..n_records-1``.
    edges : pandas.DataFrame
        Scored pairs: ``unique_id_l``, ``unique_id_r``, ``match_weight``. Pairs below the
        threshold count as evidence against merging; pairs never scored count for nothing.
    threshold : float
        Match probability a link needs to propose a merge.
    sources : sequence of str, optional
        The list of each record, for the source constraint.
    min_mean_weight : float
        Two clusters merge only if the mean match weight of the scored pairs between them is
        at least this (0 means "on average more likely the same person than not").
    max_per_source : int or None
        Most records of one list a cluster may hold; ``None`` for no limit.
    must_link, cannot_link : sequence of (int, int)
        Reviewers' decisions: must-linked records always end in one cluster (merged first,
        whatever the other rules say); cannot-linked records never do.

    Returns
    -------
    numpy.ndarray
        One label per record, ``0..k-1``; a record with no accepted link is alone.

    Notes
    -----
    Merging is only ever considered inside a connected component at the threshold, so the
    result refines :func:`connected_components` at the same threshold. Cross-cluster weight
    sums are kept per pair of clusters and combined at each merge (the smaller cluster's
    table into the larger), so the work is proportional to the scored pairs, not to all
    pairs.
    """
    _check_edges(n_records, edges)
    edges, forced = _with_decisions(n_records, edges, must_link, cannot_link)
    if max_per_source is not None and max_per_source < 1:
        raise ValidationError(f"max_per_source must be at least 1, got {max_per_source!r}")
    if max_per_source is not None and sources is None:
        raise ValidationError("max_per_source needs the source of every record")
    components = connected_components(n_records, edges, threshold)
    sizes = np.bincount(components)
    big = sizes[components] > 1
    left = edges["unique_id_l"].to_numpy(dtype=np.int64)
    right = edges["unique_id_r"].to_numpy(dtype=np.int64)
    weight = edges["match_weight"].to_numpy(dtype=float)
    inside = big[left] & (components[left] == components[right])
    left, right, weight = left[inside], right[inside], weight[inside]

    source_codes = (
        pd.factorize(np.asarray(sources))[0] if sources is not None else np.zeros(n_records, int)
    )
    parent = np.arange(n_records)
    members: dict[int, list[int]] = {}
    per_source: dict[int, dict[int, int]] = {}
    cross: dict[int, dict[int, list[float]]] = {}
    for node in np.flatnonzero(big).tolist():
        members[node] = [node]
        per_source[node] = {int(source_codes[node]): 1}
        cross[node] = {}
    for a, b, w in zip(left.tolist(), right.tolist(), weight.tolist(), strict=True):
        if a == b:
            continue
        for x, y in ((a, b), (b, a)):
            entry = cross[x].setdefault(y, [0.0, 0])
            entry[0] += w
            entry[1] += 1

    def find(node: int) -> int:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    cut = probability_to_weight(threshold)
    order = np.argsort(-weight, kind="stable")
    for i in order.tolist():
        if weight[i] < cut:
            break
        ra, rb = find(left[i]), find(right[i])
        if ra == rb:
            continue
        total, count = cross[ra].get(rb, (0.0, 0))
        if weight[i] >= forced:
            pass  # a reviewer's must-link: no rule overrides it
        elif count == 0 or total / count < min_mean_weight:
            continue
        elif max_per_source is not None:
            small, large = per_source[ra], per_source[rb]
            if any(n + large.get(s, 0) > max_per_source for s, n in small.items()):
                continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        for s, n in per_source.pop(rb).items():
            per_source[ra][s] = per_source[ra].get(s, 0) + n
        moved = cross.pop(rb)
        moved.pop(ra, None)
        cross[ra].pop(rb, None)
        for other, (total, count) in moved.items():
            entry = cross[ra].setdefault(other, [0.0, 0])
            entry[0] += total
            entry[1] += count
            back = cross[other]
            back.pop(rb, None)
            back[ra] = [entry[0], entry[1]]
    roots = np.array([find(i) for i in range(n_records)])
    return pd.factorize(roots)[0].astype(np.int64)
