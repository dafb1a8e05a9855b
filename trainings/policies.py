"""Per-object answers: who sees a training, who manages a registration, who reports for an organisation."""

from __future__ import annotations

from consortium.organisations.models import OrganisationRole
from consortium.permissions import Permission, role_grants
from trainings.models import DisseminationReport, Registration, Training, TrainingState


def training_visible(user, training: Training) -> bool:
    """Published and cancelled trainings are public; drafts are for staff only."""
    return training.state is not TrainingState.DRAFT or role_grants(user, Permission.TRAININGS_MANAGE)


def training_policy(user, permission: Permission, training: Training) -> bool:
    return False  # staff manage trainings through their role; nobody else does


def _is_org_admin(user, organisation_id: int | None) -> bool:
    return organisation_id is not None and any(
        m.organisation_id == organisation_id and m.role is OrganisationRole.ADMIN for m in user.memberships
    )


def registration_policy(user, permission: Permission, registration: Registration) -> bool:
    """The participant, and their organisation's admin, see and cancel a registration."""
    if not user or not user.is_authenticated or permission is not Permission.TRAININGS_ENROL:
        return False
    return registration.user_id == user.id or _is_org_admin(user, registration.organisation_id)


def report_policy(user, permission: Permission, report: DisseminationReport) -> bool:
    if not user or not user.is_authenticated or permission is not Permission.TRAININGS_REPORT:
        return False
    return any(m.organisation_id == report.organisation_id for m in user.memberships)


def manages_registration(user, registration: Registration) -> bool:
    """Members hold TRAININGS_ENROL everywhere, so per-registration rights are asked here explicitly."""
    if not user or not user.is_authenticated:
        return False
    return role_grants(user, Permission.TRAININGS_MANAGE) or registration_policy(
        user, Permission.TRAININGS_ENROL, registration
    )
