"""Named random streams: one ``numpy.random.Generator`` per stochastic source.

Each stream is seeded from ``SeedSequence(seed, spawn_key=(crc32(name),))``, so a
stream depends only on the seed and its own name. Two scenarios run with the same
seed draw the same numbers from every source (common random numbers), whatever
their levers, and adding a new source never shifts the others.

Sources and what they feed:

=====================  ==========================================================
``demand:<family>``    monthly demand noise of that family (history and run)
``attendance``         who turns up at each meeting (one uniform per role, step, month)
``data_noise``         recording errors in the actuals (scaled by 1 - data quality)
``disruptions``        whether pipeline deals sign
``decisions``          whether an executive settles a raw, unprepared issue
=====================  ==========================================================
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """Factory of independent, reproducible generators keyed by name."""

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            from sop_sim.errors import ScenarioError

            raise ScenarioError(f"seed={seed!r} is invalid: allowed a non-negative integer")
        self.seed = int(seed)
        self._cache: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator for source ``name`` (created on first use)."""
        gen = self._cache.get(name)
        if gen is None:
            ss = np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(name.encode()),))
            gen = np.random.Generator(np.random.PCG64(ss))
            self._cache[name] = gen
        return gen
