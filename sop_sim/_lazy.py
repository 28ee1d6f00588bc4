"""Public names loaded on first use (PEP 562), for package ``__init__`` modules that must import fast.

``import sop_sim`` and a run should not pay for pandas, the game or the quiz until someone
uses them, yet ``from sop_sim import replicate`` and ``dir(sop_sim)`` should work as usual.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, namespace: dict[str, Any], exports: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    Each name of ``exports`` (name -> module) is imported from its module on first use and
    then kept in ``namespace`` (the package's ``globals()``), so later uses cost nothing.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
