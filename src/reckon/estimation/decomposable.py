"""Decomposable (chordal) graphs on a few vertices: enumeration, cliques and separators.

A decomposable graphical model for J lists is an undirected graph on the lists in which every
cycle of four or more vertices has a chord. Its likelihood factorises over the maximal cliques
C and the separators S of a junction tree (Lauritzen 1996, Prop. 2.17 and §4.4):
``p(x) = prod_C p(x_C) / prod_S p(x_S)``, which is what makes the Bayesian model averaging of
:mod:`reckon.estimation.dga` exact and cheap.

Vertices are ``0 .. n-1``; a vertex set (a clique, a separator) is a bitmask with bit j for
vertex j, the same convention as :meth:`CaptureHistories.cell_counts`.

References
----------
.. [1] Lauritzen, S. L. (1996). *Graphical Models*. Oxford University Press.
.. [2] Madigan, D. and York, J. C. (1997). Bayesian methods for estimation of the size of a
   closed population. *Biometrika* 84(1), 19–31.
.. [3] Rose, D. J. (1970). Triangulated graphs and the elimination process. *Journal of
   Mathematical Analysis and Applications* 32, 597–609.
.. [4] OEIS A058862: number of labelled chordal graphs on n nodes (1, 2, 8, 61, 822, 18154).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from reckon.errors import ValidationError

__all__ = [
    "MAX_VERTICES",
    "DecomposableGraph",
    "decomposable_graphs",
    "graph_from_cliques",
    "is_chordal",
    "maximal_cliques",
]

#: Largest vertex count :func:`decomposable_graphs` enumerates (2**15 labelled graphs at 6).
MAX_VERTICES = 6


def _bits(mask: int) -> tuple[int, ...]:
    """Vertices in ``mask``, ascending."""
    return tuple(j for j in range(mask.bit_length()) if mask >> j & 1)


def _adjacency(n_vertices: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Neighbour bitmask of every vertex."""
    adj = [0] * n_vertices
    for a, b in edges:
        adj[a] |= 1 << b
        adj[b] |= 1 << a
    return adj


def is_chordal(n_vertices: int, edges: Iterable[tuple[int, int]]) -> bool:
    """Whether the graph is chordal (decomposable).

    A graph is chordal exactly when its vertices can be removed one at a time, each being
    simplicial (its remaining neighbours form a clique) when removed [3]_.

    Parameters
    ----------
    n_vertices : int
        Number of vertices.
    edges : iterable of (int, int)
        Undirected edges between vertices ``0 .. n_vertices - 1``.

    Returns
    -------
    bool

    References
    ----------
    .. [3] Rose, D. J. (1970). Triangulated graphs and the elimination process. *J. Math.
       Anal. Appl.* 32, 597–609.

    Examples
    --------
    >>> is_chordal(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    False
    >>> is_chordal(4, [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)])
    True
    """
    adj = _adjacency(n_vertices, edges)
    remaining = (1 << n_vertices) - 1
    while remaining:
        for v in _bits(remaining):
            neighbours = adj[v] & remaining
            if all(neighbours & ~(1 << u) & ~adj[u] == 0 for u in _bits(neighbours)):
                remaining &= ~(1 << v)
                break
        else:
            return False
    return True


def maximal_cliques(n_vertices: int, edges: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    """Maximal cliques of a small graph, as bitmasks sorted by their vertex tuples.

    Isolated vertices are cliques of one vertex. Exhaustive over the ``2**n`` vertex subsets,
    which is what a graph on at most :data:`MAX_VERTICES` vertices affords.
    """
    adj = _adjacency(n_vertices, edges)
    complete = [
        mask
        for mask in range(1, 1 << n_vertices)
        if all(mask & ~(1 << v) & ~adj[v] == 0 for v in _bits(mask))
    ]
    maximal = [m for m in complete if not any(m != o and m & o == m for o in complete)]
    return tuple(sorted(maximal, key=_bits))


def _separators(cliques: Sequence[int]) -> tuple[int, ...]:
    """Non-empty separators (a multiset) of a junction tree of the cliques of a chordal graph.

    Any maximum-weight spanning tree of the clique-intersection graph, with weights
    ``|C_i ∩ C_j|``, is a junction tree of a chordal graph (Jensen & Jensen 1994); its edges
    carry the separators. Edges with an empty intersection join connected components and
    contribute no separator (their marginal likelihood factor is 1).
    """
    k = len(cliques)
    pairs = sorted(
        ((i, j) for i, j in combinations(range(k), 2)),
        key=lambda ij: -(cliques[ij[0]] & cliques[ij[1]]).bit_count(),
    )
    parent = list(range(k))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    separators: list[int] = []
    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        parent[ri] = rj
        shared = cliques[i] & cliques[j]
        if shared:
            separators.append(shared)
    return tuple(sorted(separators, key=_bits))


@dataclass(frozen=True)
class DecomposableGraph:
    """A decomposable graph on ``n_vertices`` vertices with its cliques and separators.

    Parameters
    ----------
    n_vertices : int
        Number of vertices (lists).
    edges : tuple of (int, int)
        Edges ``(a, b)`` with ``a < b``, sorted.
    cliques : tuple of int
        Maximal cliques as bitmasks (bit j for vertex j), sorted by their vertex tuples.
    separators : tuple of int
        Non-empty separators of a junction tree as bitmasks: a multiset, so a vertex set can
        appear more than once (the centre of a star separates every pair of its leaves).

    Notes
    -----
    The factorisation ``p(x) = prod_C p(x_C) / prod_S p(x_S)`` holds for any junction tree,
    and all junction trees of a graph have the same multiset of separators (Lauritzen 1996,
    §2.1.2), so ``separators`` is a property of the graph.
    """

    n_vertices: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.edges)

    @property
    def is_complete(self) -> bool:
        """Whether every pair of vertices is joined (the saturated model)."""
        return len(self.cliques) == 1 and self.cliques[0] == (1 << self.n_vertices) - 1

    @property
    def n_components(self) -> int:
        """Number of connected components (cliques minus non-empty separators)."""
        return len(self.cliques) - len(self.separators)

    def clique_sets(self) -> tuple[tuple[int, ...], ...]:
        """Cliques as tuples of vertex indices."""
        return tuple(_bits(c) for c in self.cliques)

    def separator_sets(self) -> tuple[tuple[int, ...], ...]:
        """Separators as tuples of vertex indices."""
        return tuple(_bits(s) for s in self.separators)

    def label(self, names: Sequence[str] | None = None) -> str:
        """Cliques as readable text, ``"[A,B][B,C]"``.

        Parameters
        ----------
        names : sequence of str, optional
            Vertex (list) names; default ``"0"``, ``"1"``, ...
        """
        names = self._names(names)
        return "".join("[" + ",".join(names[v] for v in c) + "]" for c in self.clique_sets())

    def edge_label(self, names: Sequence[str] | None = None) -> str:
        """Edges as readable text, ``"A-B, B-C"``; ``"(none)"`` for the independence graph."""
        names = self._names(names)
        if not self.edges:
            return "(none)"
        return ", ".join(f"{names[a]}-{names[b]}" for a, b in self.edges)

    def _names(self, names: Sequence[str] | None) -> list[str]:
        if names is None:
            return [str(v) for v in range(self.n_vertices)]
        names = [str(x) for x in names]
        if len(names) != self.n_vertices:
            raise ValidationError(
                f"a graph on {self.n_vertices} vertices needs {self.n_vertices} names, "
                f"got {len(names)}: {names}"
            )
        return names


def _make_graph(n_vertices: int, edges: Iterable[tuple[int, int]]) -> DecomposableGraph:
    edge_tuple = tuple(sorted((min(a, b), max(a, b)) for a, b in edges))
    cliques = maximal_cliques(n_vertices, edge_tuple)
    return DecomposableGraph(
        n_vertices=n_vertices,
        edges=edge_tuple,
        cliques=cliques,
        separators=_separators(cliques),
    )


@cache
def decomposable_graphs(n_vertices: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable graph on ``n_vertices`` labelled vertices.

    Enumerates the ``2**(n(n-1)/2)`` labelled graphs and keeps the chordal ones: 1, 2, 8, 61,
    822 and 18,154 graphs on 1 to 6 vertices [4]_. The order is by number of edges, then by
    edge list, so the independence graph comes first and the complete graph last.

    Parameters
    ----------
    n_vertices : int
        Between 1 and :data:`MAX_VERTICES`.

    Returns
    -------
    tuple of DecomposableGraph

    Raises
    ------
    ValidationError
        For a vertex count outside 1 .. :data:`MAX_VERTICES`.

    References
    ----------
    .. [4] OEIS A058862, number of labelled chordal graphs on n nodes.

    Examples
    --------
    >>> [len(decomposable_graphs(n)) for n in (3, 4, 5)]
    [8, 61, 822]
    >>> decomposable_graphs(3)[1].label(["A", "B", "C"])
    '[A,B][C]'
    """
    if (
        isinstance(n_vertices, bool)
        or not isinstance(n_vertices, int)
        or not 1 <= n_vertices <= MAX_VERTICES
    ):
        raise ValidationError(
            f"decomposable graphs are enumerated on 1 to {MAX_VERTICES} vertices, "
            f"got {n_vertices!r}"
        )
    all_pairs = list(combinations(range(n_vertices), 2))
    graphs: list[DecomposableGraph] = []
    for code in range(1 << len(all_pairs)):
        edges = [pair for i, pair in enumerate(all_pairs) if code >> i & 1]
        if is_chordal(n_vertices, edges):
            graphs.append(_make_graph(n_vertices, edges))
    graphs.sort(key=lambda g: (g.n_edges, g.edges))
    return tuple(graphs)


def graph_from_cliques(
    cliques: Iterable[Iterable[str | int]], names: Sequence[str] | None = None
) -> DecomposableGraph:
    """The decomposable graph generated by the given cliques (its edges are all pairs in them).

    Parameters
    ----------
    cliques : iterable of iterables
        Vertex sets, as indices or (with ``names``) as names, e.g. ``[["A", "B"], ["B", "C"]]``.
        Vertices in no clique are isolated.
    names : sequence of str, optional
        Vertex names, which fix the number of vertices. Without them, vertices are indices
        and the number of vertices is one more than the largest index given.

    Returns
    -------
    DecomposableGraph

    Raises
    ------
    ValidationError
        Listing unknown names, bad indices, and whether the generated graph is not chordal.

    Examples
    --------
    >>> graph_from_cliques([["A", "B"], ["B", "C"]], names=["A", "B", "C"]).label(["A", "B", "C"])
    '[A,B][B,C]'
    """
    problems: list[str] = []
    sets: list[list[int]] = []
    name_list = [str(x) for x in names] if names is not None else None
    for clique in cliques:
        members: list[int] = []
        for item in clique:
            if name_list is not None:
                if str(item) in name_list:
                    members.append(name_list.index(str(item)))
                else:
                    problems.append(f"{item!r} is not one of the lists {name_list}")
            elif isinstance(item, int) and not isinstance(item, bool) and item >= 0:
                members.append(item)
            else:
                problems.append(f"vertex {item!r} is not a non-negative integer index")
        sets.append(members)
    n_vertices = (
        len(name_list) if name_list is not None else 1 + max((max(s) for s in sets if s), default=0)
    )
    if n_vertices > MAX_VERTICES:
        problems.append(f"graphs are supported on at most {MAX_VERTICES} vertices")
    if problems:
        raise ValidationError("cannot build a graph from these cliques", problems)
    edges = {(min(a, b), max(a, b)) for s in sets for a, b in combinations(sorted(set(s)), 2)}
    if not is_chordal(n_vertices, edges):
        shown = [sorted(set(s)) for s in sets]
        raise ValidationError(
            f"the graph generated by the cliques {shown} is not decomposable (it has a chordless "
            "cycle of four or more lists); add a chord or choose other cliques"
        )
    return _make_graph(n_vertices, edges)
