"""Builders for trainings; flush-only like the kernel's factories, so a test decides when to commit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consortium.db import db, utcnow
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from trainings.models import ApprovalMode, Modality, Registration, Training, TrainingSession, TrainingState

_counter = iter(range(1, 1_000_000))


def make_training(*, days_ahead: float = 10, sessions: int = 1, organiser=None, **fields) -> Training:
    n = next(_counter)
    start = utcnow().replace(microsecond=0) + timedelta(days=days_ahead)
    values = {
        "title": {"es": f"Formación {n}", "en": f"Training {n}"},
        "summary": {"es": "Resumen en español."},
        "language": "es",
        "instruction_language": "es",
        "modality": Modality.ONLINE,
        "timezone": "America/Bogota",
        "capacity": 10,
        "approval": ApprovalMode.AUTOMATIC,
        "state": TrainingState.PUBLISHED,
        "topics": ["dpi_basics"],
        "online_url": "https://meet.example.org/secret-room",
        **fields,
    }
    organiser = organiser or OrganisationFactory(is_consortium_member=True)
    training = Training(organiser_id=organiser.id, **values)
    training.sessions = [
        TrainingSession(
            starts_at=start + timedelta(days=7 * k), ends_at=start + timedelta(days=7 * k, hours=2)
        )
        for k in range(sessions)
    ]
    training.starts_at = training.sessions[0].starts_at
    training.ends_at = training.sessions[-1].ends_at
    db.session.add(training)
    db.session.flush()
    return training


def make_member(organisation=None, *, admin: bool = False, **fields):
    """A member of ``organisation`` (a new one when not given)."""
    from consortium.organisations.models import OrganisationRole

    user = UserFactory(**{"locale": "en", **fields})
    MembershipFactory(
        user=user,
        organisation=organisation or OrganisationFactory(),
        role=OrganisationRole.ADMIN if admin else OrganisationRole.MEMBER,
    )
    db.session.flush()
    db.session.refresh(user)
    return user


def registration_of(training: Training, person) -> Registration:
    """The person's registration as the database holds it now (after the views committed)."""
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.training_id == training.id, Registration.user_id == person.id
        )
    )
