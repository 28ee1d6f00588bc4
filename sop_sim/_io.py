"""Small file helpers shared by saved games and quiz progress (kept for old imports).

They are :mod:`sop_sim.safefile`'s atomic writers: through symlinks, refusing read-only
files, keeping the mode, removing temporary files on any failure.
"""

from __future__ import annotations

from sop_sim.safefile import atomic_write_json, atomic_write_text

__all__ = ["atomic_write_json", "atomic_write_text"]
