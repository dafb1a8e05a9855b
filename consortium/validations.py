"""Documents a governance decision can validate (a pilot's roadmap, for instance): a registry that
features fill at init_app, so a space offers them without importing the feature.

A provider answers, for one DPI system, the documents of that system waiting for validation, each with a
key ("safeguards.roadmap:12") and a translated label. A space's decision form offers those of the
space's system; ``decide`` checks that the chosen key is still among them and sends
``signals.validation_decided`` inside the decision's transaction. The feature's receiver validates its
document with its own service and returns True, or raises ``ValidationRefused``, and then the decision
is not recorded either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from consortium.errors import DomainError
from consortium.i18n import lazy_gettext as _l
from consortium.signals import validation_decided


@dataclass(frozen=True)
class Validatable:
    key: str  # "<feature>.<kind>:<id>", what the receiver recognises
    label: str  # translated, e.g. "Roadmap of Pix · Brasil, cycle 1"


class ValidationRefused(DomainError):
    message = _l("This document cannot be validated now: it is not waiting for a validation in this space.")


Provider = Callable[[int], list[Validatable]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """``provider(system_id)`` lists the documents of that DPI system waiting for a validation."""
    _providers[name] = provider


def validatable_for(system_id: int) -> list[Validatable]:
    return [found for name in sorted(_providers) for found in _providers[name](system_id)]


def decide(decision, key: str, *, system_id: int, by) -> None:
    """Tell the feature that ``decision`` validates ``key``; ``ValidationRefused`` when it is not eligible."""
    if key not in {found.key for found in validatable_for(system_id)}:
        raise ValidationRefused()
    if not any(result for _receiver, result in validation_decided.send(decision, subject=key, by=by)):
        raise ValidationRefused()
