"""Experiments: many replications, common random numbers, confidence intervals, any executor.

One seeded run tells a story; replications show whether the effect is real.

* :func:`replicate` runs one scenario many times (one summary row per replication).
* :func:`compare` runs several scenarios on the *same* random numbers and gives means
  with 95 % confidence intervals and paired differences against a reference.
* :func:`sweep` moves one lever across values (e.g. executive engagement 0 .. 1).

Work runs on every local core by default; pass ``executor=`` (any
``concurrent.futures.Executor``, a dask client's ``get_executor()`` included) to run it
elsewhere. The numbers are the same either way, bit for bit. In a script, call these
from under ``if __name__ == "__main__":`` so worker processes can start safely.
"""

from __future__ import annotations

from sop_sim._lazy import lazy_exports

#: Public names and their modules, loaded on first use (PEP 562): a worker process imports
#: only :mod:`sop_sim.experiment.runner` and the model, never pandas and the statistics.
_EXPORTS = {
    "HEADLINE_KPIS": "sop_sim.experiment.api", "Comparison": "sop_sim.experiment.api",
    "compare": "sop_sim.experiment.api", "replicate": "sop_sim.experiment.api", "sweep": "sop_sim.experiment.api",
    "replication_seeds": "sop_sim.experiment.runner", "shutdown_pool": "sop_sim.experiment.runner",
}

__all__ = ["HEADLINE_KPIS", "Comparison", "compare", "replicate", "replication_seeds", "shutdown_pool", "sweep"]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
