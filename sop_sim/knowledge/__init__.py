"""One source of truth for S&OP roles, steps, artefacts and guidance.

>>> from sop_sim.knowledge import load_kb
>>> kb = load_kb()
>>> kb.step_ids()[:2]
('data_gathering', 'demand_review')
>>> sorted(kb.owners("demand_plan"))
['marketing', 'sales']

The simulation, the quizzes and the role cards all read these facts, so each
fact is written once, in ``sop_sim/knowledge/data/*.toml``.
"""

from sop_sim.knowledge.base import TOPIC_KINDS, Artefact, Entry, KnowledgeBase, Role, Step
from sop_sim.knowledge.loader import DATA_DIR, load_kb, name_of

__all__ = [
    "DATA_DIR",
    "TOPIC_KINDS",
    "Artefact",
    "Entry",
    "KnowledgeBase",
    "Role",
    "Step",
    "load_kb",
    "name_of",
]
