"""The governance feature's rules, one module per rule set; they flush and raise, never commit.

- ``spaces``         creating and editing spaces, their states
- ``seats``          granting and ending seats
- ``consultations``  the document's sections, contributions, official responses, opening and closing
- ``meetings``       scheduling, changing and cancelling meetings, attendance by seat
- ``minutes``        the draft minutes, the attendees' review and the convenor's approval
- ``decisions``      decisions with each seat's position, the contributions and codes they answer
- ``following``      following a space or a consultation, and recording its events
- ``digests``        the followers' daily and weekly digests, claimed once per person and period
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
from consortium.governance.services.decisions import record_decision
from consortium.governance.services.errors import (
    AlreadyAnswered,
    ConsultationLocked,
    GovernanceError,
    InvalidTransition,
    SeatRefused,
    SlugTaken,
    UnansweredContributions,
)
from consortium.governance.services.following import follow, follow_of, is_following, record_event, unfollow
from consortium.governance.services.meetings import (
    cancel_meeting,
    record_attendance,
    schedule_meeting,
    update_meeting,
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
    "cancel_meeting",
    "change_state",
    "close_consultation",
    "contribute",
    "create_consultation",
    "create_space",
    "end_seat",
    "follow",
    "follow_of",
    "grant_seat",
    "is_following",
    "open_consultation",
    "record_attendance",
    "record_decision",
    "record_event",
    "respond",
    "schedule_meeting",
    "unanswered_count",
    "unfollow",
    "update_meeting",
    "update_section",
    "update_space",
]
