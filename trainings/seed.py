"""Benchmark volume: hundreds of trainings and thousands of registrations (``flask bench seed``)."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Membership, Organisation
from consortium.reference.countries import LAC_COUNTRY_CODES
from consortium.users.models import User
from trainings.models import (
    ApprovalMode,
    Modality,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
    TrainingState,
    TrainingTopic,
)

ZONES = ["America/Bogota", "America/Lima", "America/Sao_Paulo", "America/Mexico_City", "America/Santiago"]


def seed(scale: int, rng: random.Random) -> int:
    if db.session.scalar(
        sa.select(sa.func.count()).select_from(Training).where(Training.trainers == "bench")
    ):
        return 0
    organisers = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id).limit(3)).all()
    people = db.session.execute(
        sa.select(User.id, Membership.organisation_id)
        .join(Membership, Membership.user_id == User.id)
        .order_by(User.id)
    ).all()
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    topics = [t.value for t in TrainingTopic]
    trainings = []
    for n in range(300 * scale):
        # The first one is the benchmark's target: upcoming, published, open, with room for everyone.
        days = 30 if n == 0 else rng.randint(-400, 200)
        start = now + timedelta(days=days, hours=rng.randint(0, 12))
        language = rng.choice(["es", "pt_BR", "en"])
        modality = rng.choice(list(Modality))
        sessions = [
            TrainingSession(
                starts_at=start + timedelta(days=7 * k), ends_at=start + timedelta(days=7 * k, hours=2)
            )
            for k in range(rng.randint(1, 3))
        ]
        trainings.append(
            Training(
                title={language: f"Formación de prueba {n}", "en": f"Benchmark training {n}"},
                summary={language: "Una formación generada para medir el rendimiento del catálogo."},
                language=language,
                instruction_language=language,
                modality=modality,
                country="" if modality is Modality.ONLINE else rng.choice(LAC_COUNTRY_CODES),
                city="" if modality is Modality.ONLINE else "Ciudad",
                timezone=rng.choice(ZONES),
                capacity=100_000 if n == 0 else rng.choice([10, 20, 30, 50]),
                approval=ApprovalMode.AUTOMATIC,
                state=TrainingState.DRAFT if n % 10 == 9 else TrainingState.PUBLISHED,
                organiser_id=rng.choice(organisers),
                trainers="bench",
                topics=rng.sample(topics, 2),
                principles=[f"F{rng.randint(1, 9)}", f"O{rng.randint(1, 9)}"],
                sessions=sessions,
                starts_at=sessions[0].starts_at,
                ends_at=sessions[-1].ends_at,
                registration_closes_at=start,
            )
        )
    db.session.add_all(trainings)
    db.session.flush()
    registrations = 0
    rows = []
    for training in trainings:
        # The benchmark member (the first person) stays free to register for the first training.
        pool = people[1:] if training is trainings[0] else people
        chosen = rng.sample(pool, min(len(pool), rng.randint(5, 30)))
        confirmed = 0
        for user_id, organisation_id in chosen:
            seat = confirmed < training.capacity
            confirmed += seat
            rows.append(
                {
                    "training_id": training.id,
                    "user_id": user_id,
                    "organisation_id": organisation_id,
                    "registered_by_id": user_id,
                    "state": RegistrationState.CONFIRMED if seat else RegistrationState.WAITLISTED,
                    "created_at": training.starts_at - timedelta(days=10),
                    "waitlisted_at": None if seat else training.starts_at - timedelta(days=10),
                    "motivation": "",
                    "accessibility_needs": "",
                    "dietary_needs": "",
                }
            )
        training.confirmed_count = confirmed
        registrations += len(chosen)
    db.session.execute(sa.insert(Registration), rows)
    return len(trainings) + registrations
