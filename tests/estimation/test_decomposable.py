"""Decomposable graphs: the enumeration DGA averages over, and their cliques and separators."""

from __future__ import annotations

from itertools import combinations, permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.estimation.decomposable import (
    decomposable_graphs,
    graph_from_cliques,
    is_chordal,
    maximal_cliques,
)


def _has_chordless_cycle(n: int, edges: set[tuple[int, int]]) -> bool:
    """Brute force: some vertex subset of size >= 4 induces a cycle (an independent check)."""
    for size in range(4, n + 1):
        for subset in combinations(range(n), size):
            inside = [(a, b) for a, b in edges if a in subset and b in subset]
            degree = {v: 0 for v in subset}
            for a, b in inside:
                degree[a] += 1
                degree[b] += 1
            if len(inside) != size or any(d != 2 for d in degree.values()):
                continue
            # A 2-regular graph is a union of cycles; it is one cycle if connected.
            reached, frontier = {subset[0]}, [subset[0]]
            while frontier:
                v = frontier.pop()
                for a, b in inside:
                    for u, w in ((a, b), (b, a)):
                        if u == v and w not in reached:
                            reached.add(w)
                            frontier.append(w)
            if len(reached) == size:
                return True
    return False


def _components(n: int, edges: tuple[tuple[int, int], ...]) -> int:
    parent = list(range(n))

    def find(v: int) -> int:
        while parent[v] != v:
            v = parent[v]
        return v

    for a, b in edges:
        parent[find(a)] = find(b)
    return len({find(v) for v in range(n)})


@pytest.mark.parametrize(("n", "expected"), [(1, 1), (2, 2), (3, 8), (4, 61), (5, 822)])
def test_decomposable_graph_counts_match_labelled_chordal_graph_counts(n: int, expected: int):
    # OEIS A058862; dga ships graphs3, graphs4 and graphs5 with 8, 61 and 822 graphs.
    assert len(decomposable_graphs(n)) == expected


@pytest.mark.slow
def test_decomposable_graphs_on_six_vertices_number_18154():
    assert len(decomposable_graphs(6)) == 18154


@pytest.mark.parametrize("n", [3, 4, 5])
def test_enumeration_is_exactly_the_graphs_without_chordless_cycles(n: int):
    graphs = decomposable_graphs(n)
    found = {g.edges for g in graphs}
    assert len(found) == len(graphs)
    pairs = list(combinations(range(n), 2))
    expected = set()
    for code in range(1 << len(pairs)):
        edges = {p for i, p in enumerate(pairs) if code >> i & 1}
        if not _has_chordless_cycle(n, edges):
            expected.add(tuple(sorted(edges)))
    assert found == expected


@pytest.mark.parametrize("n", [3, 4, 5])
def test_cliques_and_separators_form_a_junction_tree(n: int):
    for g in decomposable_graphs(n):
        cliques = g.clique_sets()
        # Cliques are complete, maximal and generate exactly the graph's edges.
        generated = {pair for c in cliques for pair in combinations(c, 2)}
        assert generated == set(g.edges)
        assert set().union(*map(set, cliques)) == set(range(n))
        for a, b in combinations(g.cliques, 2):
            assert a & b != a and a & b != b
        # Every separator lies in at least two cliques.
        for s in g.separators:
            assert sum(1 for c in g.cliques if c & s == s) >= 2
        # Running intersection: the cliques holding any vertex form a subtree, so each vertex
        # is counted once net in sum|C| - sum|S|.
        net = sum(len(c) for c in cliques) - sum(len(s) for s in g.separator_sets())
        assert net == n
        # Cliques minus non-empty separators is the number of connected components.
        assert g.n_components == _components(n, g.edges)


def test_star_graph_repeats_its_centre_as_a_separator():
    star = graph_from_cliques([["A", "B"], ["A", "C"], ["A", "D"]], names="ABCD")
    assert star.separator_sets() == ((0,), (0,))
    assert star.label(list("ABCD")) == "[A,B][A,C][A,D]"
    assert star.edge_label(list("ABCD")) == "A-B, A-C, A-D"


def test_independence_and_saturated_graphs_come_first_and_last():
    graphs = decomposable_graphs(4)
    assert graphs[0].n_edges == 0 and graphs[0].label(list("ABCD")) == "[A][B][C][D]"
    assert graphs[0].edge_label(list("ABCD")) == "(none)"
    assert graphs[-1].is_complete and graphs[-1].label(list("ABCD")) == "[A,B,C,D]"
    assert sum(g.is_complete for g in graphs) == 1


def test_four_cycle_is_not_chordal_and_is_refused_as_cliques():
    cycle = [(0, 1), (1, 2), (2, 3), (0, 3)]
    assert not is_chordal(4, cycle)
    assert is_chordal(4, [*cycle, (1, 3)])
    assert maximal_cliques(4, cycle) == (0b0011, 0b1001, 0b0110, 0b1100)
    with pytest.raises(ValidationError, match="not decomposable"):
        graph_from_cliques([["A", "B"], ["B", "C"], ["C", "D"], ["A", "D"]], names="ABCD")


def test_graph_from_cliques_reports_every_unknown_name():
    with pytest.raises(ValidationError) as info:
        graph_from_cliques([["A", "X"], ["Y"]], names="ABC")
    assert len(info.value.problems) == 2


def test_enumeration_outside_the_supported_range_is_refused():
    with pytest.raises(ValidationError, match="1 to 6 vertices"):
        decomposable_graphs(7)
    with pytest.raises(ValidationError):
        decomposable_graphs(0)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=60), st.permutations(range(4)))
def test_relabelling_a_decomposable_graph_gives_a_decomposable_graph(index: int, perm: list[int]):
    graphs = decomposable_graphs(4)
    g = graphs[index]
    relabelled = tuple(sorted(tuple(sorted((perm[a], perm[b]))) for a, b in g.edges))
    match = [h for h in graphs if h.edges == relabelled]
    assert len(match) == 1
    assert sorted(len(c) for c in match[0].clique_sets()) == sorted(len(c) for c in g.clique_sets())
    assert sorted(map(len, match[0].separator_sets())) == sorted(map(len, g.separator_sets()))


def test_every_permutation_of_three_vertices_maps_the_set_onto_itself():
    graphs = {g.edges for g in decomposable_graphs(3)}
    for perm in permutations(range(3)):
        mapped = {
            tuple(sorted(tuple(sorted((perm[a], perm[b]))) for a, b in edges)) for edges in graphs
        }
        assert mapped == graphs
