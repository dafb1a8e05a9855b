"""Per-object answers, reached through ``can()``: who sees a training, who manages a registration, who
reports a training their organisation passed on.

Staff hold both permissions through their role, so these policies answer only for everyone else.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.organisations.models import Organisation, OrganisationRole
from consortium.permissions import Permission
from trainings.models import DisseminationReport, Registration, Training, TrainingState


def training_policy(user, permission: Permission, training: Training) -> bool:
    """Published and cancelled trainings are public (anonymous visitors too); drafts are for staff only."""
    return permission is Permission.TRAININGS_VIEW and training.state is not TrainingState.DRAFT


def _is_org_admin(user, organisation_id: int | None) -> bool:
    return organisation_id is not None and any(
        m.organisation_id == organisation_id and m.role is OrganisationRole.ADMIN for m in user.memberships
    )


def registration_policy(user, permission: Permission, registration: Registration) -> bool:
    """The participant, and their organisation's admin, see and cancel a registration."""
    if not user or not user.is_authenticated or permission is not Permission.TRAININGS_REGISTRATION_MANAGE:
        return False
    return registration.user_id == user.id or _is_org_admin(user, registration.organisation_id)


def dissemination_policy(user, permission: Permission, organisation: Organisation) -> bool:
    """People of an organisation with someone who completed a training report its own trainings."""
    if not user or not user.is_authenticated or permission is not Permission.TRAININGS_REPORT:
        return False
    if not any(m.organisation_id == organisation.id for m in user.memberships):
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.organisation_id == organisation.id, Registration.completed_at.is_not(None)
            )
        )
    )


def report_policy(user, permission: Permission, report: DisseminationReport) -> bool:
    """The reporting organisation's people edit and delete its report (the service refuses once verified)."""
    if not user or not user.is_authenticated or permission is not Permission.TRAININGS_REPORT_EDIT:
        return False
    return any(m.organisation_id == report.organisation_id for m in user.memberships)
