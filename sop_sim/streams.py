"""Named random streams: one ``numpy.random.Generator`` per stochastic source.

Each stream is seeded from ``SeedSequence(seed, spawn_key=(crc32(name),))``, so a
stream depends only on the seed and its own name. Two scenarios run with the same
seed draw the same numbers from every source (common random numbers), whatever
their levers, and adding a new source never shifts the others.

Sources and what they feed:

===========================  ====================================================
``demand:<family>``          monthly demand noise of that family (history and run)
``attendance:<role>``        whether that role turns up (one uniform per month, step)
``data_noise:<family>``      recording errors in that family's actuals and stock
                             counts (scaled by 1 - data quality)
``deal`` + family, month     whether that pipeline deal signs (:meth:`Streams.uniform`)
``decisions`` + issue kind,  whether the executive settles a raw issue raised in one
raised month, month          month when it is on the table in another
===========================  ====================================================

Every draw is addressed by names (role id, family id, event family and month), never
by a position in a list: adding a disturbance, a policy or a family leaves every other
draw exactly as it was (common random numbers that survive edits).
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

    def uniform(self, name: str, *keys: int | str | None) -> float:
        """One uniform number in [0, 1) addressed by ``name`` and ``keys`` (ids or months).

        Stateless: the same address always gives the same number, whatever else was drawn.
        """
        key = tuple(k if isinstance(k, int) and k >= 0 else zlib.crc32(str(k).encode()) for k in keys)
        ss = np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(name.encode()), *key))
        return float(ss.generate_state(1, np.uint64)[0] >> np.uint64(11)) * 2.0**-53

    def get(self, name: str) -> np.random.Generator:
        """The generator for source ``name`` (created on first use)."""
        gen = self._cache.get(name)
        if gen is None:
            ss = np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(name.encode()),))
            gen = np.random.Generator(np.random.PCG64(ss))
            self._cache[name] = gen
        return gen
