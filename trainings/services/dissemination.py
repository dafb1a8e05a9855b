"""Reports from organisations that pass on what they learned, and staff's verification of them.

A report is dated no later than the reporter's today and not before the day the organisation's first
completed training ended (nobody passes on a training before having had it). The organisation edits or
deletes it until staff verify it; staff verify it or reject it with a reason, and editing a rejected report
sends it back for verification. Reach counts verified reports only.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from consortium import signals
from consortium.db import db, utcnow
from consortium.organisations.models import Organisation
from consortium.users.models import User
from trainings.models import DisseminationReport, Registration, Training


class ReportLocked(Exception):
    """A verified report no longer changes; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def first_completed_on(organisation_id: int) -> date | None:
    """The local day on which the first training that someone of the organisation completed ended."""
    training = db.session.scalar(
        sa.select(Training)
        .join(Registration, Registration.training_id == Training.id)
        .where(Registration.organisation_id == organisation_id, Registration.completed_at.is_not(None))
        .order_by(Training.ends_at)
        .limit(1)
    )
    if training is None or training.ends_at is None:
        return None
    return training.ends_at.astimezone(ZoneInfo(training.timezone)).date()


def report_date_error(organisation_id: int, held_on: date, today: date) -> str | None:
    """Why ``held_on`` cannot be a report's date (translated), or None when it can."""
    if held_on > today:
        return _("The date cannot be later than today (%(today)s).", today=format_date(today, "long"))
    earliest = first_completed_on(organisation_id)
    if earliest is not None and held_on < earliest:
        return _(
            "Your organisation's first completed training ended on %(date)s: report trainings you gave "
            "from that day on.",
            date=format_date(earliest, "long"),
        )
    return None


def create_report(organisation: Organisation, *, by: User, **fields) -> DisseminationReport:
    report = DisseminationReport(organisation_id=organisation.id, reported_by_id=by.id, **fields)
    db.session.add(report)
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_created", by=by)
    return report


def _unlocked(report: DisseminationReport) -> None:
    if report.is_verified:
        raise ReportLocked(_("This report is verified: it can no longer be changed."))


def update_report(report: DisseminationReport, *, by: User, **fields) -> None:
    """Edit an unverified report; a rejected one goes back to staff for verification."""
    _unlocked(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.rejected_at = report.rejected_by_id = None
    report.rejection_reason = ""
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_updated", by=by)


def delete_report(report: DisseminationReport, *, by: User) -> None:
    _unlocked(report)
    signals.state_changed.send(report, action="trainings.report_deleted", by=by)
    db.session.delete(report)
    db.session.flush()


def verify_report(report: DisseminationReport, *, by: User) -> None:
    if report.is_verified:
        return
    report.verified_at = utcnow()
    report.verified_by_id = by.id
    report.rejected_at = report.rejected_by_id = None
    report.rejection_reason = ""
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_verified", by=by)


def reject_report(report: DisseminationReport, *, reason: str, by: User) -> None:
    _unlocked(report)
    report.rejected_at = utcnow()
    report.rejected_by_id = by.id
    report.rejection_reason = reason
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_rejected", by=by, reason=reason)


def reports_waiting() -> sa.Select:
    """Reports that wait for staff: neither verified nor rejected."""
    return sa.select(DisseminationReport.id).where(
        DisseminationReport.verified_at.is_(None), DisseminationReport.rejected_at.is_(None)
    )


def reports_to_check() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(reports_waiting().subquery()))
