"""The governance feature's rules, one module per rule set; they flush and raise, never commit.

- ``spaces``         creating and editing spaces, their states
- ``seats``          granting and ending seats
- ``consultations``  the document's sections and its contributions
- ``lifecycle``      a consultation's states (by hand or by ``flask governance tick``) and publication
- ``responses``      official responses: drafting, editing, a second person's approval
- ``contributions``  moderating contributions, supporting and co-signing them
- ``meetings``       scheduling, changing and cancelling meetings, attendance by seat
- ``minutes``        the draft minutes, the attendees' review and the convenor's approval
- ``decisions``      decisions with each seat's position, the contributions and codes they answer
- ``following``      following a space or a consultation, and recording its events
- ``digests``        the followers' daily and weekly digests, claimed once per person and period
- ``errors``         the domain errors with their translated messages
"""

from consortium.governance.services.consultations import (
    add_section,
    contribute,
    create_consultation,
    update_section,
)
from consortium.governance.services.contributions import (
    cosign,
    moderate,
    support,
    supports,
    withdraw_support,
)
from consortium.governance.services.decisions import record_decision
from consortium.governance.services.errors import (
    AlreadyAnswered,
    ConsultationLocked,
    GovernanceError,
    InvalidTransition,
    ModerationRefused,
    OwnDraft,
    RationaleRequired,
    ReasonMissing,
    ResponseApproved,
    SeatRefused,
    SlugTaken,
    UnansweredContributions,
)
from consortium.governance.services.following import follow, follow_of, is_following, record_event, unfollow
from consortium.governance.services.lifecycle import (
    archive,
    close_consultation,
    open_consultation,
    publish_responses,
    schedule,
    set_schedule,
    start_responding,
    unanswered_count,
    unschedule,
)
from consortium.governance.services.meetings import (
    cancel_meeting,
    record_attendance,
    schedule_meeting,
    update_meeting,
)
from consortium.governance.services.responses import approve_response, draft_response, update_response
from consortium.governance.services.seats import end_seat, grant_seat
from consortium.governance.services.spaces import change_state, create_space, update_space

__all__ = [
    "AlreadyAnswered",
    "ConsultationLocked",
    "GovernanceError",
    "InvalidTransition",
    "ModerationRefused",
    "OwnDraft",
    "RationaleRequired",
    "ReasonMissing",
    "ResponseApproved",
    "SeatRefused",
    "SlugTaken",
    "UnansweredContributions",
    "add_section",
    "approve_response",
    "archive",
    "cancel_meeting",
    "change_state",
    "close_consultation",
    "contribute",
    "cosign",
    "create_consultation",
    "create_space",
    "draft_response",
    "end_seat",
    "follow",
    "follow_of",
    "grant_seat",
    "is_following",
    "moderate",
    "open_consultation",
    "publish_responses",
    "record_attendance",
    "record_decision",
    "record_event",
    "schedule",
    "schedule_meeting",
    "set_schedule",
    "start_responding",
    "support",
    "supports",
    "unanswered_count",
    "unfollow",
    "unschedule",
    "update_meeting",
    "update_response",
    "update_section",
    "update_space",
    "withdraw_support",
]
