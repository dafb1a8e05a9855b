"""What waits for a person, and what is theirs: registries that features fill so the kernel's /home can
list them without importing a feature.

Each feature registers providers at init_app, answering for one signed-in user:
- ``register``: work waiting for them, as counts (submissions to review, reports to check...); staff's
  queue on /home and the daily digest (``flask digest staff``) read it through ``waiting_for``. A provider
  gives each count as a statement (``counting(query)``) rather than running it: ``waiting_for`` runs every
  provider's counts in one SELECT, so staff's /home costs the same few queries however many features count;
- ``register_section``: what is theirs, as a short list (registrations, certificates...), read through
  ``sections_for``. A section provider runs one query whatever the user holds, so /home stays cheap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium.db import db


@dataclass(frozen=True)
class WorkItem:
    label: str  # translated, e.g. "Submissions to review"
    count: int | sa.ScalarSelect  # a number, or from a provider ``counting(...)``: filled in by waiting_for
    url: str
    area: str = ""  # the feature's translated name, to group items on the page


def counting(query: sa.Select) -> sa.ScalarSelect:
    """``count(*)`` of ``query``'s rows as a statement, for ``WorkItem.count``: not run until waiting_for."""
    return sa.select(sa.func.count()).select_from(query.subquery()).scalar_subquery()


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    detail: str = ""  # translated, e.g. "Fri, Dec 11, 2026, 3:00 PM · 2nd on the waiting list"
    badge: str = ""  # a translated state, e.g. "Confirmed"
    action: str = ""  # a translated button label: then ``url`` takes a POST (with CSRF) instead of a link


@dataclass(frozen=True)
class Section:
    title: str  # translated, e.g. "My registrations"
    entries: list[Entry] = field(default_factory=list)
    more_url: str = ""  # the feature's full list
    empty: str = ""  # translated: what to do when there is nothing yet
    empty_url: str = ""
    order: int = 50  # lower comes first on the page


Provider = Callable[[object], list[WorkItem]]
SectionProvider = Callable[[object], Section | None]
_providers: dict[str, Provider] = {}
_section_providers: dict[str, SectionProvider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def register_section(name: str, provider: SectionProvider) -> None:
    _section_providers[name] = provider


def waiting_for(user) -> list[WorkItem]:
    """Every item that waits for ``user``, features in registration order; empty counts left out."""
    items = [item for provider in _providers.values() for item in provider(user)]
    statements = [item.count for item in items if isinstance(item.count, sa.ScalarSelect)]
    if statements:  # one round trip for every feature's counts
        counts = iter(db.session.execute(sa.select(*statements)).one())
        items = [
            dataclasses.replace(item, count=next(counts) or 0)
            if isinstance(item.count, sa.ScalarSelect)
            else item
            for item in items
        ]
    return [item for item in items if item.count]


def sections_for(user) -> list[Section]:
    """The sections of ``user``'s home, in their ``order``; a provider returns None to show nothing."""
    sections = [section for provider in _section_providers.values() if (section := provider(user))]
    return sorted(sections, key=lambda section: section.order)
