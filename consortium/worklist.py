"""What waits for a person: a registry that features fill so the kernel's /home can list it.

Each feature registers a provider at init_app; a provider answers for one signed-in user with the
items that wait for them (submissions to review, reports to check, translations in review...).
The kernel never imports a feature to count its work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    label: str  # translated, e.g. "Submissions to review"
    count: int
    url: str
    area: str = ""  # the feature's translated name, to group items on the page


Provider = Callable[[object], list[WorkItem]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def waiting_for(user) -> list[WorkItem]:
    """Every item that waits for ``user``, features in registration order; empty counts left out."""
    return [item for provider in _providers.values() for item in provider(user) if item.count]
