"""Documents a governance space can put to consultation, from the features that own them.

A consultation is written in its space, or starts from a document another feature published: a
safeguards assessment's results, a validated roadmap. Governance never imports those features; each
registers a provider at init_app that lists, for one DPI system, the documents open to consultation,
and the consultation copies a document's sections once, when it is made, keeping the document's key
and address so readers can see what it was based on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    heading: str
    body: str


@dataclass(frozen=True)
class Document:
    key: str  # stable, "feature.kind:id", e.g. "safeguards.assessment:12"
    title: str  # in the reader's language where the feature has it
    language: str  # the language its sections are written in
    url: str  # its public page
    sections: Callable[[], list[Section]]  # built only when a consultation is made from it


Provider = Callable[[int], list[Document]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """``provider(system_id)`` lists the public documents on that system (one or two queries)."""
    _providers[name] = provider


def documents_for(system_id: int) -> list[Document]:
    return [document for name in sorted(_providers) for document in _providers[name](system_id)]


def find(system_id: int, key: str) -> Document | None:
    return next((document for document in documents_for(system_id) if document.key == key), None)
