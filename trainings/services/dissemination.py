"""Reports from organisations that pass on what they learned, and staff's verification of them."""

from __future__ import annotations

from consortium import signals
from consortium.db import db, utcnow
from consortium.organisations.models import Organisation
from consortium.users.models import User
from trainings.models import (
    DisseminationReport,
)


def create_report(organisation: Organisation, *, by: User, **fields) -> DisseminationReport:
    report = DisseminationReport(organisation_id=organisation.id, reported_by_id=by.id, **fields)
    db.session.add(report)
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_created", by=by)
    return report


def verify_report(report: DisseminationReport, *, by: User) -> None:
    report.verified_at = utcnow()
    report.verified_by_id = by.id
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_verified", by=by)
