"""The governance feature's domain errors: each carries a translated message for the page."""

from __future__ import annotations

from consortium.errors import DomainError
from consortium.i18n import lazy_gettext as _l


class GovernanceError(DomainError):
    """A rule of the governance spaces was broken."""

    message = _l("This cannot be done now.")


class SlugTaken(GovernanceError):
    message = _l("Another space already uses this address.")


class InvalidTransition(GovernanceError):
    message = _l("The space is no longer in a state that allows this; the page shows its state now.")


class SeatRefused(GovernanceError):
    message = _l("This seat cannot be granted.")


class ConsultationLocked(GovernanceError):
    message = _l("The consultation is no longer in a state that allows this; the page shows it as it is now.")


class UnansweredContributions(GovernanceError):
    def __init__(self, count: int):
        super().__init__(
            _l(
                "Contributions still without an approved official response: %(num)s. "
                "Approve a response for each of them first.",
                num=count,
            )
        )
        self.count = count


class AlreadyAnswered(GovernanceError):
    message = _l("This contribution already has an official response (a draft or an approved one).")


class RationaleRequired(GovernanceError):
    message = _l("Give the reasons for this response: only an accepted contribution needs none.")


class ResponseApproved(GovernanceError):
    message = _l("This response was already approved; it can no longer change.")


class OwnDraft(GovernanceError):
    message = _l("Someone other than the person who wrote the draft must approve it.")


class ModerationRefused(GovernanceError):
    message = _l("The contribution is no longer in a state that allows this; the page shows it as it is now.")


class ReasonMissing(GovernanceError):
    message = _l("Give the reason for hiding the contribution.")
