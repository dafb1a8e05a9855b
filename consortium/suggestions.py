"""A registry through which features offer each other content keyed by safeguards principle codes.

The library and trainings register a provider at init_app; the safeguards results page asks for
suggestions for its weakest principles without importing either feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "resource" or "training"
    title: str
    url: str
    principles: tuple[str, ...]
    detail: str = ""


Provider = Callable[[Iterable[str], int], list[Suggestion]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def for_principles(codes: Iterable[str], limit: int = 3) -> dict[str, list[Suggestion]]:
    """{provider name: suggestions} for the given principle codes, at most ``limit`` each."""
    codes = list(codes)
    return {name: provider(codes, limit) for name, provider in _providers.items()} if codes else {}
