"""The governance feature's audit codes, named for the log (``consortium.audit.labels``)."""

from consortium.i18n import N_

ACTIONS = {
    "governance.space_active": N_("Governance space activated"),
    "governance.space_paused": N_("Governance space paused"),
    "governance.space_archived": N_("Governance space archived"),
    "governance.seat_granted": N_("Seat granted"),
    "governance.seat_ended": N_("Seat ended"),
    "governance.consultation_open": N_("Consultation opened"),
    "governance.consultation_closed": N_("Consultation closed"),
    "governance.response_given": N_("Official response given"),
    "governance.contribution_published": N_("Contribution published by a moderator"),
    "governance.contribution_hidden": N_("Contribution hidden by a moderator"),
    "governance.meeting_scheduled": N_("Meeting scheduled"),
    "governance.attendance_recorded": N_("Meeting attendance recorded"),
    "governance.meeting_changed": N_("Meeting changed"),
    "governance.meeting_cancelled": N_("Meeting cancelled"),
    "governance.minutes_drafted": N_("Draft minutes posted for review"),
    "governance.minutes_published": N_("Meeting minutes published"),
    "governance.decision_recorded": N_("Decision recorded"),
}
OBJECTS = {
    "governance_spaces": N_("Governance space"),
    "governance_seats": N_("Seat"),
    "governance_consultations": N_("Consultation"),
    "governance_sections": N_("Consultation section"),
    "governance_contributions": N_("Contribution"),
    "governance_supports": N_("Support of a contribution"),
    "governance_cosignatures": N_("Co-signature of a contribution"),
    "governance_meetings": N_("Meeting"),
    "governance_decisions": N_("Decision"),
}
