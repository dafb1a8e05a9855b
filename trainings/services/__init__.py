"""What trainings do, one rule set a module. Services flush and never commit: the view's
``transaction.action()`` does.

- ``catalogue``      the trainings on offer: create, edit, publish, cancel; the catalogue query;
                     the one form/API-to-columns mapping
- ``registrations``  registering people, staff's decisions, cancelling, promoting the waiting list; errors
- ``seats``          seat counters and the waiting-list queue (always under the training's row lock)
- ``attendance``     attendance per session, from its start; corrections afterwards are audited
- ``certificates``   completion and certificates: issued after the last session, revoked (never deleted)
- ``documents``      certificates (code, PDF, URL) and the iCalendar file
- ``notifications``  the e-mail notices to registrants and the reminders
- ``dissemination``  organisations' reports of trainings they passed on, and their verification
- ``reach``          the aggregate reach figures

The names below are re-exported so ``from trainings import services; services.register(...)`` keeps working;
new code imports from the module that owns the rule.
"""

from trainings.services.attendance import AttendanceNotOpen, set_attendance
from trainings.services.catalogue import (
    Sessions,
    cancel_training,
    catalogue_query,
    create_training,
    publish,
    training_fields,
    update_training,
)
from trainings.services.certificates import issue_due_certificates, revoke, send_certificate
from trainings.services.dissemination import (
    ReportLocked,
    create_report,
    delete_report,
    first_completed_on,
    reject_report,
    report_date_error,
    reports_to_check,
    update_report,
    verify_report,
)
from trainings.services.documents import certificate_pdf, certificate_url, ics, new_certificate_code
from trainings.services.notifications import notify, send_reminders
from trainings.services.reach import Reach, ReachFilters, reach, years_with_data
from trainings.services.registrations import (
    BULK_ACTIONS,
    UNDO_WINDOW,
    AlreadyRegistered,
    NotAllowed,
    RegistrationError,
    RegistrationNotOpen,
    TooLateToUndo,
    approve,
    cancel_registration,
    decide,
    fill_free_seats,
    may_register_for,
    register,
    reject,
    release_expired_holds,
    undo_cancel,
)
from trainings.services.seats import waitlist_position

__all__ = [
    "BULK_ACTIONS",
    "UNDO_WINDOW",
    "AlreadyRegistered",
    "AttendanceNotOpen",
    "NotAllowed",
    "Reach",
    "ReachFilters",
    "RegistrationError",
    "RegistrationNotOpen",
    "ReportLocked",
    "Sessions",
    "TooLateToUndo",
    "approve",
    "cancel_registration",
    "cancel_training",
    "catalogue_query",
    "certificate_pdf",
    "certificate_url",
    "create_report",
    "create_training",
    "decide",
    "delete_report",
    "fill_free_seats",
    "first_completed_on",
    "ics",
    "issue_due_certificates",
    "may_register_for",
    "new_certificate_code",
    "notify",
    "publish",
    "reach",
    "register",
    "reject",
    "reject_report",
    "release_expired_holds",
    "report_date_error",
    "reports_to_check",
    "revoke",
    "send_certificate",
    "send_reminders",
    "set_attendance",
    "training_fields",
    "undo_cancel",
    "update_report",
    "update_training",
    "verify_report",
    "waitlist_position",
    "years_with_data",
]
