"""The governance feature's rules, one module per rule set; they flush and raise, never commit.

- ``spaces``         creating and editing spaces, their states
- ``seats``          granting and ending seats
- ``consultations``  the document's sections, contributions, official responses, opening and closing
- ``errors``         the domain errors with their translated messages
"""

from consortium.governance.services.consultations import (
    add_section,
    close_consultation,
    contribute,
    create_consultation,
    open_consultation,
    respond,
    unanswered_count,
    update_section,
)
from consortium.governance.services.errors import (
    AlreadyAnswered,
    ConsultationLocked,
    GovernanceError,
    InvalidTransition,
    SeatRefused,
    SlugTaken,
    UnansweredContributions,
)
from consortium.governance.services.seats import end_seat, grant_seat
from consortium.governance.services.spaces import change_state, create_space, update_space

__all__ = [
    "AlreadyAnswered",
    "ConsultationLocked",
    "GovernanceError",
    "InvalidTransition",
    "SeatRefused",
    "SlugTaken",
    "UnansweredContributions",
    "add_section",
    "change_state",
    "close_consultation",
    "contribute",
    "create_consultation",
    "create_space",
    "end_seat",
    "grant_seat",
    "open_consultation",
    "respond",
    "unanswered_count",
    "update_section",
    "update_space",
]
