"""A registry through which each feature exports, erases and purges the personal data it keeps.

Features register a ``Keeper`` at init_app; the account pages (download my data, delete my account) and
``flask privacy purge`` (``consortium.privacy``) call the registry without importing any feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Keeper:
    #: Everything the feature keeps about a person, as JSON-ready data, for their download.
    export: Callable[[Any], Any] | None = None
    #: Erase or anonymise the person's data, keeping what statistics and others' records need.
    #: Runs inside the deletion's transaction: flush, never commit.
    erase: Callable[[Any], None] | None = None
    #: Erase data whose retention period has passed; returns how many records it changed.
    purge: Callable[[], int] | None = None


_keepers: dict[str, Keeper] = {}


def register(name: str, keeper: Keeper) -> None:
    _keepers[name] = keeper


def export(user) -> dict[str, Any]:
    return {name: keeper.export(user) for name, keeper in _keepers.items() if keeper.export}


def erase(user) -> None:
    for keeper in _keepers.values():
        if keeper.erase:
            keeper.erase(user)


def purge() -> dict[str, int]:
    return {name: keeper.purge() for name, keeper in _keepers.items() if keeper.purge}
