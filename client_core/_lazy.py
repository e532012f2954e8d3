"""Public names a package provides on first use (PEP 562), so importing it does not load them.

The send ledger needs sqlite3 and anyio, and is used only by sends given an `idempotency_key`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, MutableMapping

__all__ = ["LAZY_NAMES", "lazy_names"]

LAZY_NAMES = {
    "Ledger": "client_core._ledger",
    "LedgerEntry": "client_core._ledger",
    "SqliteLedger": "client_core._ledger",
    "PostgresLedger": "client_core._ledger_postgres",
}
"""Each name `client_core` loads on first use, and the module that defines it."""


def lazy_names(
    namespace: MutableMapping[str, object], names: Iterable[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A package's `__getattr__` and `__dir__` providing `names` (from `LAZY_NAMES`) on first use.

    Example, in a package's `__init__.py`: `__getattr__, __dir__ = lazy_names(globals(), names)`.
    """
    wanted = frozenset(names)

    def __getattr__(name: str) -> object:
        if name not in wanted:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(LAZY_NAMES[name]), name)
        namespace[name] = value  # found without this hook from now on
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *wanted})

    return __getattr__, __dir__
