"""List capture: which true victims each documentation list records.

For list *k* and person *i* of visibility *v_i* (see :mod:`reckon.simulate.population`), the
list records the person on its own with probability

    p_ik = min(1, capture_rate_k * v_i ** heterogeneity_weight_k)

independently across lists given *v_i*. Heterogeneity in *v_i* makes the lists positively
dependent marginally (the visible are recorded everywhere), which is what biases two-list
estimates downwards [1]_. Two mechanisms add direct dependence between lists:

copying
    a list takes each person of ``copies_from`` with probability ``copy_rate`` (an NGO copying
    names from a published report);
referral
    each person of ``referred_by`` refers on average ``referral_rate`` people (Poisson) from the
    same county of origin to this list, whether or not another list has them (the snowball
    sampling NKDB has relied on since 2020, NK_FACTS.md §1).

Lists are built in an order where a list comes after those it copies from or is referred by.

References
----------
.. [1] K. Lum, M. E. Price and D. Banks, "Applications of Multiple Systems Estimation in Human
   Rights Research", The American Statistician 67(4) (2013) 191-200.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reckon.simulate.scenario import Scenario

__all__ = ["capture_matrix", "capture_probabilities"]


def capture_probabilities(population: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Each person's probability of being recorded by each list on its own (before copying).

    Parameters
    ----------
    population : pandas.DataFrame
        With a ``visibility`` column.
    scenario : Scenario

    Returns
    -------
    pandas.DataFrame
        One column per list, one row per person, values in [0, 1].
    """
    vis = population["visibility"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            spec.name: np.minimum(1.0, spec.capture_rate * vis**spec.heterogeneity_weight)
            for spec in scenario.lists
        },
        index=population.index,
    )


def _referrals(
    rng: np.random.Generator, population: pd.DataFrame, referrers: np.ndarray, rate: float
) -> np.ndarray:
    n = len(population)
    out = np.zeros(n, dtype=bool)
    counts = rng.poisson(rate, size=int(referrers.sum()))
    source = np.repeat(np.flatnonzero(referrers), counts)
    if source.size == 0:
        return out
    place = population["province"].astype(str) + "|" + population["county"].astype(str)
    codes, _ = pd.factorize(place, sort=True)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    group = codes[source]
    offset = np.floor(rng.random(source.size) * sizes[group]).astype(int)
    out[order[starts[group] + offset]] = True
    return out


def capture_matrix(
    population: pd.DataFrame, scenario: Scenario, rng: np.random.Generator
) -> pd.DataFrame:
    """Draw who each list records.

    Parameters
    ----------
    population : pandas.DataFrame
        From :func:`~reckon.simulate.population.generate_population`.
    scenario : Scenario
    rng : numpy.random.Generator
        One child generator per list is spawned from it, in scenario order.

    Returns
    -------
    pandas.DataFrame
        Boolean, one row per person (same index as ``population``), one column per list in
        scenario order: True where the list holds at least one record of the person.
    """
    n = len(population)
    probs = capture_probabilities(population, scenario)
    children = dict(zip(scenario.list_names, rng.spawn(len(scenario.lists)), strict=True))
    captured: dict[str, np.ndarray] = {}
    for spec in scenario.capture_order():
        child = children[spec.name]
        own = child.random(n) < probs[spec.name].to_numpy()
        if spec.copies_from is not None and spec.copy_rate > 0:
            own |= captured[spec.copies_from] & (child.random(n) < spec.copy_rate)
        if spec.referred_by is not None and spec.referral_rate > 0:
            own |= _referrals(child, population, captured[spec.referred_by], spec.referral_rate)
        captured[spec.name] = own
    return pd.DataFrame(
        {name: captured[name] for name in scenario.list_names}, index=population.index
    )
