"""The reach figures: aggregates of trainings held, people trained and dissemination, per year and country."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Organisation
from trainings.models import (
    Attendance,
    DisseminationReport,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
    TrainingState,
)


@dataclass
class Reach:
    years: list[dict] = field(default_factory=list)  # year, trainings, registrations, attended, rate
    countries: list[dict] = field(default_factory=list)  # country, organisations, people
    dissemination: list[dict] = field(default_factory=list)  # year, trainings, people


def _year(column):
    return sa.extract("year", column)


def reach(*, verified_only: bool = True) -> Reach:
    """Aggregates only: a handful of queries however many trainings there are."""
    now = utcnow()
    held = sa.and_(Training.state == TrainingState.PUBLISHED, Training.starts_at <= now)
    year = _year(Training.starts_at).label("year")
    trainings = dict(
        db.session.execute(sa.select(year, sa.func.count(Training.id)).where(held).group_by(year)).all()
    )
    registrations = {
        row.year: row
        for row in db.session.execute(
            sa.select(
                year,
                sa.func.count(Registration.id).label("registrations"),
                sa.func.count(Registration.completed_at).label("completed"),
            )
            .join(Registration, Registration.training_id == Training.id)
            .where(held, Registration.state == RegistrationState.CONFIRMED)
            .group_by(year)
        )
    }
    session_count = (
        sa.select(sa.func.count(TrainingSession.id))
        .where(TrainingSession.training_id == Training.id, TrainingSession.starts_at <= now)
        .scalar_subquery()
    )
    expected = dict(
        db.session.execute(
            sa.select(year, sa.func.sum(session_count))
            .join(Registration, Registration.training_id == Training.id)
            .where(held, Registration.state == RegistrationState.CONFIRMED)
            .group_by(year)
        ).all()
    )
    attended = dict(
        db.session.execute(
            sa.select(year, sa.func.count(Attendance.id))
            .join(Registration, Registration.training_id == Training.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
            .where(held)
            .group_by(year)
        ).all()
    )
    result = Reach()
    for y in sorted(set(trainings) | set(registrations), key=int):
        row = registrations.get(y)
        rate = (attended.get(y, 0) / expected[y]) if expected.get(y) else 0
        result.years.append(
            {
                "year": int(y),
                "trainings": trainings.get(y, 0),
                "registrations": row.registrations if row else 0,
                "completed": row.completed if row else 0,
                "rate": min(rate, 1),
            }
        )
    result.countries = [
        {"country": row.country, "organisations": row.organisations, "people": row.people}
        for row in db.session.execute(
            sa.select(
                Organisation.country,
                sa.func.count(sa.distinct(Registration.organisation_id)).label("organisations"),
                sa.func.count(sa.distinct(Registration.user_id)).label("people"),
            )
            .join(Organisation, Organisation.id == Registration.organisation_id)
            .where(Registration.completed_at.is_not(None))
            .group_by(Organisation.country)
            .order_by(sa.func.count(sa.distinct(Registration.user_id)).desc(), Organisation.country)
        )
    ]
    report_year = _year(DisseminationReport.held_on).label("year")
    query = sa.select(
        report_year,
        sa.func.count(DisseminationReport.id).label("trainings"),
        sa.func.coalesce(sa.func.sum(DisseminationReport.participants), 0).label("people"),
    ).group_by(report_year)
    if verified_only:
        query = query.where(DisseminationReport.verified_at.is_not(None))
    result.dissemination = [
        {"year": int(row.year), "trainings": row.trainings, "people": int(row.people)}
        for row in db.session.execute(query.order_by(report_year))
    ]
    return result
