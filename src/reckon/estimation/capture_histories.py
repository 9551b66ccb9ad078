"""Capture histories: who was recorded by which list, the input of every MSE estimator.

A capture history is a 0/1 pattern over the J lists; a capture-history table counts how many
people share each observed pattern. The all-zero pattern (recorded by no list) is the unknown
that multiple systems estimation estimates, so a table never holds it.

Three ways in:

- :meth:`CaptureHistories.from_frame` / :meth:`CaptureHistories.from_csv`: an aggregated table
  with one 0/1 column per list and a count column (the format of Rcapture and SparseMSE);
- :meth:`CaptureHistories.from_records`: one row per linked record, an entity column (the
  linkage cluster) and a source column naming the list the record came from.

Every constructor validates the whole input and reports every problem at once in one
:class:`~reckon.errors.ValidationError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import ValidationError

__all__ = ["CaptureHistories"]

#: How many offending rows a validation message names per column before summarising the rest.
_MAX_ROWS_NAMED = 10


def _describe_rows(rows: Sequence[tuple[str, Any]], total: int) -> str:
    """``row 3 ('x'), row 7 (2.0)`` with a tail saying how many more there are."""
    named = ", ".join(
        f"{where} ({_plain(value)!r})" if value is not None else where
        for where, value in rows[:_MAX_ROWS_NAMED]
    )
    if total > _MAX_ROWS_NAMED:
        named += f" and {total - _MAX_ROWS_NAMED} more"
    return named


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds, so messages show ``2.5`` not ``np.float64``."""
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True, eq=False)
class CaptureHistories:
    """Counts of people by capture pattern over J lists, optionally by stratum.

    Parameters
    ----------
    lists : tuple of str
        List names, at least two, in column order of ``patterns``.
    patterns : numpy.ndarray
        ``(n_cells, J)`` array of 0/1 (stored as ``uint8``). No row is all zero.
    counts : numpy.ndarray
        ``(n_cells,)`` non-negative integer counts (stored as ``int64``).
    strata : pandas.DataFrame or None
        ``(n_cells, S)`` stratum labels of each cell, or None for an unstratified table.
    source : str or None
        Where the table came from (a file name, a query); used in messages and provenance.

    Notes
    -----
    Arrays are copied and made read-only, so a table cannot change after it has been
    validated. Equality is identity (``eq=False``); compare :meth:`digest` to compare content.
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    strata: pd.DataFrame | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        lists = tuple(str(name) for name in self.lists)
        if len(lists) < 2:
            problems.append(
                f"capture histories need at least 2 lists, got {len(lists)}: {list(lists)}"
            )
        duplicated = sorted({name for name in lists if lists.count(name) > 1})
        if duplicated:
            problems.append(f"list names must be unique; repeated: {duplicated}")

        patterns = np.asarray(self.patterns)
        counts = np.asarray(self.counts)
        if patterns.ndim != 2 or patterns.shape[1] != len(lists):
            problems.append(
                f"patterns must be a (n_cells, {len(lists)}) array, got shape {patterns.shape}"
            )
        if counts.ndim != 1 or (patterns.ndim >= 1 and counts.shape[0] != patterns.shape[0]):
            problems.append(
                f"counts must be a 1-d array with one entry per pattern row, got shape "
                f"{counts.shape} for {patterns.shape[0] if patterns.ndim else 0} patterns"
            )
        if not problems:
            if patterns.size and not np.isin(patterns, (0, 1)).all():
                problems.append("patterns must contain only 0 and 1")
            elif patterns.size and (patterns.sum(axis=1) == 0).any():
                rows = np.flatnonzero(patterns.sum(axis=1) == 0).tolist()
                problems.append(
                    f"pattern rows {rows[:_MAX_ROWS_NAMED]} are all zero; the unobserved cell "
                    "is what is estimated and cannot be given"
                )
            if counts.size:
                as_float = counts.astype(float, copy=False)
                if not np.isfinite(as_float).all() or (as_float != np.round(as_float)).any():
                    problems.append("counts must be whole numbers")
                elif (as_float < 0).any():
                    problems.append("counts must not be negative")
        strata = self.strata
        if strata is not None:
            if not isinstance(strata, pd.DataFrame):
                problems.append(f"strata must be a pandas DataFrame, got {type(strata).__name__}")
            elif len(strata) != (patterns.shape[0] if patterns.ndim == 2 else -1):
                problems.append(
                    f"strata has {len(strata)} rows but there are {patterns.shape[0]} patterns"
                )
            elif strata.shape[1] == 0:
                strata = None
            elif strata.isna().to_numpy().any():
                problems.append("strata labels must not be missing (NaN)")
            elif set(map(str, strata.columns)) & set(lists):
                problems.append(
                    f"stratum columns {sorted(set(map(str, strata.columns)) & set(lists))} "
                    "have the same names as lists"
                )
        if problems:
            where = f" in {self.source}" if self.source else ""
            raise ValidationError(f"invalid capture histories{where}", problems)

        patterns = np.ascontiguousarray(patterns, dtype=np.uint8)
        counts = np.ascontiguousarray(counts, dtype=np.int64)
        patterns.setflags(write=False)
        counts.setflags(write=False)
        object.__setattr__(self, "lists", lists)
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "counts", counts)
        if strata is not None:
            strata = strata.reset_index(drop=True).copy()
            strata.columns = [str(c) for c in strata.columns]
        object.__setattr__(self, "strata", strata)

    # ------------------------------------------------------------------ properties

    @property
    def n_lists(self) -> int:
        """Number of lists J."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of people recorded by at least one list (the sum of the counts)."""
        return int(self.counts.sum())

    @property
    def n_cells(self) -> int:
        """Number of rows (pattern, stratum) in the table, zero counts included."""
        return int(self.counts.shape[0])

    @property
    def is_stratified(self) -> bool:
        """Whether the table carries stratum labels."""
        return self.strata is not None

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        lists: Sequence[str] | None = None,
        count: str = "count",
        strata: Sequence[str] | None = None,
        source: str | None = None,
    ) -> CaptureHistories:
        """Build capture histories from an aggregated table.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per (pattern, stratum): one 0/1 column per list, a count column and
            optional stratum columns. Rows for the all-zero pattern are accepted only with a
            zero count and are dropped.
        lists : sequence of str, optional
            The list columns, in order. Default: every column that is neither ``count`` nor a
            stratum column.
        count : str
            Name of the count column.
        strata : sequence of str, optional
            Stratum columns.
        source : str, optional
            Where the table came from, quoted in messages.

        Returns
        -------
        CaptureHistories

        Raises
        ------
        ValidationError
            Listing every problem found: missing columns, fewer than two lists, values other
            than 0/1 (with row numbers), missing, negative or fractional counts, all-zero
            patterns with a positive count, missing stratum labels.
        """
        return cls._from_frame(df, lists=lists, count=count, strata=strata, source=source)

    @classmethod
    def _from_frame(
        cls,
        df: pd.DataFrame,
        *,
        lists: Sequence[str] | None,
        count: str,
        strata: Sequence[str] | None,
        source: str | None,
        first_line: int | None = None,
    ) -> CaptureHistories:
        # ``first_line`` is the file line of the first data row, to name lines not rows.
        def where(position: int) -> str:
            if first_line is None:
                return f"row {position + 1}"
            return f"line {position + first_line}"

        if not isinstance(df, pd.DataFrame):
            raise ValidationError(
                f"capture histories must be a pandas DataFrame, got {type(df).__name__}"
            )
        problems: list[str] = []
        columns = [str(c) for c in df.columns]
        df = df.copy()
        df.columns = columns
        strata_cols = [str(s) for s in strata] if strata is not None else []
        if lists is None:
            list_cols = [c for c in columns if c != count and c not in strata_cols]
        else:
            list_cols = [str(c) for c in lists]
        if count not in columns:
            problems.append(
                f"count column {count!r} is missing; columns are {columns} "
                "(pass count=... to name it)"
            )
        missing = [c for c in list_cols + strata_cols if c not in columns]
        if missing:
            problems.append(f"columns {missing} are missing; columns are {columns}")
        if len(list_cols) < 2:
            problems.append(
                f"at least 2 list columns are needed, found {len(list_cols)}: {list_cols}"
            )
        overlap = sorted(set(list_cols) & (set(strata_cols) | {count}))
        if overlap:
            problems.append(f"columns {overlap} are named both as lists and as count/strata")
        list_cols_present = [c for c in list_cols if c in columns]

        # Values of each list column must be 0 or 1.
        pattern_values: dict[str, np.ndarray] = {}
        for col in list_cols_present:
            values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isin(values, (0.0, 1.0))
            if bad.any():
                positions = np.flatnonzero(bad)
                shown = [(where(int(i)), df[col].iloc[int(i)]) for i in positions]
                problems.append(
                    f"list column {col!r} has values other than 0/1 in {len(positions)} "
                    f"row(s): {_describe_rows(shown, len(positions))}"
                )
            pattern_values[col] = np.where(bad, 0.0, values)

        counts_arr = np.zeros(len(df), dtype=np.int64)
        if count in columns:
            raw = df[count]
            values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
            non_numeric = ~np.isfinite(values)
            negative = np.isfinite(values) & (values < 0)
            fractional = np.isfinite(values) & (values != np.round(values))
            for mask, what in (
                (non_numeric, "missing or not a number"),
                (negative, "negative"),
                (fractional, "not a whole number"),
            ):
                if mask.any():
                    positions = np.flatnonzero(mask)
                    shown = [(where(int(i)), raw.iloc[int(i)]) for i in positions]
                    problems.append(
                        f"count column {count!r} is {what} in {len(positions)} row(s): "
                        f"{_describe_rows(shown, len(positions))}"
                    )
            ok = ~(non_numeric | negative | fractional)
            counts_arr = np.where(ok, values, 0).astype(np.int64)

        if len(list_cols_present) == len(list_cols) and list_cols:
            patterns = np.column_stack([pattern_values[c] for c in list_cols]).astype(np.uint8)
        else:
            patterns = np.zeros((len(df), max(len(list_cols), 0)), dtype=np.uint8)
        all_zero = patterns.sum(axis=1) == 0 if patterns.shape[1] else np.ones(len(df), bool)
        if len(list_cols_present) == len(list_cols) and list_cols:
            unobserved = all_zero & (counts_arr > 0)
            if unobserved.any():
                positions = np.flatnonzero(unobserved)
                shown = [(where(int(i)), int(counts_arr[i])) for i in positions]
                problems.append(
                    f"{len(positions)} row(s) have an all-zero pattern with a positive count: "
                    f"{_describe_rows(shown, len(positions))}; nobody can be counted as "
                    "recorded by no list (that number is what is being estimated)"
                )

        present_strata = [c for c in strata_cols if c in columns]
        for col in present_strata:
            na = df[col].isna().to_numpy()
            if na.any():
                positions = np.flatnonzero(na)
                shown = [(where(int(i)), None) for i in positions]
                problems.append(
                    f"stratum column {col!r} is missing in {len(positions)} row(s): "
                    f"{_describe_rows(shown, len(positions))}"
                )

        if problems:
            origin = f" in {source}" if source else ""
            raise ValidationError(
                f"cannot read capture histories{origin}: {len(problems)} problem(s)", problems
            )

        keep = ~all_zero
        strata_frame = df.loc[keep, strata_cols].reset_index(drop=True) if strata_cols else None
        return cls(
            lists=tuple(list_cols),
            patterns=patterns[keep],
            counts=counts_arr[keep],
            strata=strata_frame,
            source=source,
        )

    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        *,
        lists: Sequence[str] | None = None,
        count: str = "count",
        strata: Sequence[str] | None = None,
    ) -> CaptureHistories:
        """Read an aggregated capture-history table from a CSV file.

        Stratum columns are read as text so that labels such as ``01`` keep their form.
        Problems name the file and its line numbers (the header is line 1).

        See Also
        --------
        from_frame : the accepted layout and the checks made.
        """
        path = Path(path)
        dtype = {str(s): str for s in strata} if strata else None
        try:
            df = pd.read_csv(path, dtype=dtype, keep_default_na=True)
        except FileNotFoundError as err:
            raise ValidationError(f"capture-history file {str(path)!r} does not exist") from err
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            raise ValidationError(
                f"cannot parse capture-history file {str(path)!r} as CSV: {err}"
            ) from err
        return cls._from_frame(
            df, lists=lists, count=count, strata=strata, source=str(path), first_line=2
        )

    @classmethod
    def from_records(
        cls,
        frame: pd.DataFrame,
        *,
        entity: str = "cluster_id",
        source: str = "source",
        lists: Sequence[str] | None = None,
        strata: Sequence[str] | None = None,
    ) -> CaptureHistories:
        """Build capture histories from linked records, one row per record.

        An entity (a linkage cluster: one person) is captured by a list if any of its records
        comes from that list; the entity's pattern is counted once.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per record.
        entity : str
            Column identifying the entity (person) a record was linked to.
        source : str
            Column naming the list each record comes from.
        lists : sequence of str, optional
            The lists, in column order. Default: the distinct sources, sorted. When given, it
            must name every source that occurs (filter the records first to drop a list).
        strata : sequence of str, optional
            Stratum columns; every record of an entity must carry the same labels.

        Returns
        -------
        CaptureHistories

        Raises
        ------
        ValidationError
            Listing every problem: missing columns, missing entity or source values, sources
            not among ``lists``, entities whose records disagree on a stratum label, fewer
            than two lists.
        """
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(f"records must be a pandas DataFrame, got {type(frame).__name__}")
        problems: list[str] = []
        strata_cols = [str(s) for s in strata] if strata is not None else []
        missing = [c for c in [entity, source, *strata_cols] if c not in frame.columns]
        if missing:
            problems.append(
                f"columns {missing} are missing; columns are {[str(c) for c in frame.columns]}"
            )
            raise ValidationError("cannot build capture histories from records", problems)
        for col in (entity, source, *strata_cols):
            na = frame[col].isna().to_numpy()
            if na.any():
                positions = np.flatnonzero(na)
                shown = [(f"row {int(i) + 1}", None) for i in positions]
                problems.append(
                    f"column {col!r} is missing in {len(positions)} record(s): "
                    f"{_describe_rows(shown, len(positions))}"
                )
        sources = frame[source].dropna().astype(str)
        if lists is None:
            list_names = sorted(sources.unique().tolist())
        else:
            list_names = [str(x) for x in lists]
            unknown = sorted(set(sources.unique()) - set(list_names))
            if unknown:
                problems.append(
                    f"sources {unknown} are not among lists {list_names}; add them to lists "
                    "or drop their records first"
                )
        if len(list_names) < 2:
            problems.append(
                f"at least 2 lists are needed, the records come from {len(list_names)}: "
                f"{list_names}"
            )
        if strata_cols:
            labels = frame.dropna(subset=[entity]).groupby(entity, sort=True)[strata_cols]
            n_distinct = labels.nunique(dropna=True)
            conflicting = n_distinct.index[(n_distinct > 1).any(axis=1)].tolist()
            if conflicting:
                problems.append(
                    f"{len(conflicting)} entit(y/ies) have records with different stratum "
                    f"labels: {conflicting[:_MAX_ROWS_NAMED]}"
                    + (
                        f" and {len(conflicting) - _MAX_ROWS_NAMED} more"
                        if len(conflicting) > _MAX_ROWS_NAMED
                        else ""
                    )
                )
        if problems:
            raise ValidationError("cannot build capture histories from records", problems)

        work = frame[[entity, source, *strata_cols]].copy()
        work[source] = work[source].astype(str)
        captured = (
            pd.crosstab(work[entity], work[source])
            .reindex(columns=list_names, fill_value=0)
            .gt(0)
            .astype(np.uint8)
        )
        captured.columns = list_names
        if strata_cols:
            first = work.groupby(entity, sort=True)[strata_cols].first()
            captured = captured.join(first)
        grouped = (
            captured.groupby(list_names + strata_cols, sort=True, dropna=False)
            .size()
            .rename("count")
            .reset_index()
        )
        return cls(
            lists=tuple(list_names),
            patterns=grouped[list_names].to_numpy(dtype=np.uint8),
            counts=grouped["count"].to_numpy(dtype=np.int64),
            strata=grouped[strata_cols] if strata_cols else None,
            source=None,
        )

    # ------------------------------------------------------------------ views

    def cell_indices(self) -> np.ndarray:
        """Index of each row's pattern in the ``2**J`` table: ``sum(pattern[j] << j)``."""
        weights = np.left_shift(np.int64(1), np.arange(self.n_lists, dtype=np.int64))
        return self.patterns.astype(np.int64) @ weights

    def cell_counts(self) -> np.ndarray:
        """Counts of the full ``2**J`` table, summed over strata and duplicate patterns.

        Returns
        -------
        numpy.ndarray
            ``int64`` array of length ``2**J``; entry ``sum(pattern[j] << j)`` counts the
            pattern, so list j is bit j. Entry 0 (recorded by no list) is 0.
        """
        return np.bincount(
            self.cell_indices(), weights=self.counts, minlength=2**self.n_lists
        ).astype(np.int64)

    def collapsed(self) -> CaptureHistories:
        """The same table with strata summed out and duplicate patterns merged.

        Patterns keep the order of their first appearance; patterns whose counts are all
        zero are kept with count 0.
        """
        index = self.cell_indices()
        unique, first = np.unique(index, return_index=True)
        order = np.argsort(first, kind="stable")
        unique, first = unique[order], first[order]
        totals = np.bincount(index, weights=self.counts, minlength=2**self.n_lists)
        return CaptureHistories(
            lists=self.lists,
            patterns=self.patterns[first],
            counts=totals[unique].astype(np.int64),
            strata=None,
            source=self.source,
        )

    def by_stratum(self) -> Iterator[tuple[tuple[Any, ...], CaptureHistories]]:
        """Yield ``(labels, table)`` per stratum, in sorted order of the labels.

        An unstratified table yields the single pair ``((), self.collapsed())``. Each yielded
        table is unstratified, with duplicate patterns merged.
        """
        if self.strata is None:
            yield (), self.collapsed()
            return
        columns = list(self.strata.columns)
        groups = self.strata.groupby(columns, sort=True, dropna=False).indices
        for key in sorted(
            groups, key=lambda k: tuple(map(str, k if isinstance(k, tuple) else (k,)))
        ):
            rows = np.asarray(groups[key])
            labels = key if isinstance(key, tuple) else (key,)
            source = f"{self.source or 'table'} stratum {dict(zip(columns, labels, strict=True))}"
            table = CaptureHistories(
                lists=self.lists,
                patterns=self.patterns[rows],
                counts=self.counts[rows],
                strata=None,
                source=source,
            )
            yield tuple(labels), table.collapsed()

    def reorder(self, lists: Sequence[str]) -> CaptureHistories:
        """The same table with list columns in the given order (a permutation of the lists)."""
        names = [str(x) for x in lists]
        if sorted(names) != sorted(self.lists) or len(set(names)) != len(names):
            raise ValidationError(
                f"reorder needs a permutation of the lists {list(self.lists)}, got {names}"
            )
        columns = [self.lists.index(name) for name in names]
        return CaptureHistories(
            lists=tuple(names),
            patterns=self.patterns[:, columns],
            counts=self.counts,
            strata=self.strata,
            source=self.source,
        )

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame: list columns, stratum columns, then ``count``."""
        frame = pd.DataFrame(self.patterns.astype(np.int64), columns=list(self.lists))
        if self.strata is not None:
            frame = pd.concat([frame, self.strata.reset_index(drop=True)], axis=1)
        frame["count"] = self.counts.astype(np.int64)
        return frame

    def digest(self) -> str:
        """SHA-256 of the canonical content, for provenance and caching.

        The content is the list names in order, the stratum column names, and the non-zero
        cells (pattern, stratum labels, count) with duplicates merged, sorted. Row order,
        zero-count rows and ``source`` do not change the digest; list order does.
        """
        frame = self.to_frame()
        strata_cols = list(self.strata.columns) if self.strata is not None else []
        keys = list(self.lists) + strata_cols
        for col in strata_cols:
            frame[col] = frame[col].astype(str)
        merged = frame.groupby(keys, sort=True)["count"].sum().reset_index()
        merged = merged[merged["count"] > 0]
        content = {
            "lists": list(self.lists),
            "strata": strata_cols,
            "cells": [
                [*map(_jsonable_label, row[:-1]), int(row[-1])]
                for row in merged.itertuples(index=False, name=None)
            ],
        }
        text = json.dumps(content, separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        strata = f", strata={list(self.strata.columns)}" if self.strata is not None else ""
        source = f", source={self.source!r}" if self.source else ""
        return (
            f"CaptureHistories(lists={list(self.lists)}, n_cells={self.n_cells}, "
            f"observed={self.observed}{strata}{source})"
        )


def _jsonable_label(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value if isinstance(value, int | float | str) else str(value)
