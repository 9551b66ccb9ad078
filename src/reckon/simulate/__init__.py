"""reckon.simulate: synthetic victims and documentation lists with a known truth.

A scenario (:mod:`~reckon.simulate.scenario`) sets a true population of fictional victims
(:mod:`~reckon.simulate.population`), the lists that record them with heterogeneous and
dependent capture (:mod:`~reckon.simulate.capture`), and how each list writes names and fields
(:mod:`~reckon.simulate.writing`). :func:`simulate` runs it all from one seed and returns a
:class:`Simulation` (:mod:`~reckon.simulate.output`) that can write the lists as CSV files that
``reckon ingest`` reads, with the truth and a manifest.

Examples
--------
>>> from reckon.simulate import simulate
>>> sim = simulate("small", seed=3)
>>> sim.list_names()
['testimony_db', 'mapping_project', 'north_sources']
"""

from reckon.simulate.output import LIST_COLUMNS, SYNTHETIC_NOTE, Simulation, simulate
from reckon.simulate.scenario import (
    ERROR_RATES,
    NAME_STYLES,
    ListSpec,
    Scenario,
    load_scenario,
    preset_names,
)

__all__ = [
    "ERROR_RATES",
    "LIST_COLUMNS",
    "NAME_STYLES",
    "SYNTHETIC_NOTE",
    "ListSpec",
    "Scenario",
    "Simulation",
    "load_scenario",
    "preset_names",
    "simulate",
]
