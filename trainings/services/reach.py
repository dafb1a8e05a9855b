"""The reach figures: trainings held, people trained and dissemination, per year and country.

Years are local: a training belongs to the year of its first session in the training's own time zone
(``consortium.sqlfunctions.local_year``), a disseminator report to the year of its date. Only verified
reports count; pending ones are counted apart (``pending``) so staff see what waits, never in the totals.
Filters (year, country, organisation) narrow every figure; each is an aggregate query, so the number of
queries does not grow with the number of trainings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Organisation
from consortium.sqlfunctions import local_year
from trainings.models import (
    Attendance,
    DisseminationReport,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
    TrainingState,
)


@dataclass(frozen=True)
class ReachFilters:
    year: int | None = None
    country: str | None = None  # the training's country; the organisation's for people; the report's
    organisation_id: int | None = None  # its people's registrations and its reports


@dataclass
class Reach:
    years: list[dict] = field(default_factory=list)  # year, trainings, registrations, completed, rate
    countries: list[dict] = field(default_factory=list)  # country, organisations, people
    dissemination: list[dict] = field(default_factory=list)  # year, trainings, people
    pending: dict = field(default_factory=lambda: {"reports": 0, "people": 0})  # awaiting verification


TRAINING_YEAR = local_year(Training.starts_at, Training.timezone)
REPORT_YEAR = sa.cast(sa.extract("year", DisseminationReport.held_on), sa.Integer)  # a date: already local


def _held(filters: ReachFilters, now):
    conditions = [Training.state == TrainingState.PUBLISHED, Training.starts_at <= now]
    if filters.year:
        conditions.append(filters.year == TRAINING_YEAR)
    if filters.country:
        conditions.append(Training.country == filters.country)
    if filters.organisation_id:
        theirs = sa.orm.aliased(Registration)  # the outer queries join Registration themselves
        conditions.append(
            sa.exists()
            .where(
                theirs.training_id == Training.id,
                theirs.organisation_id == filters.organisation_id,
                theirs.state == RegistrationState.CONFIRMED,
            )
            .correlate(Training)
        )
    return sa.and_(*conditions)


def _registrations(filters: ReachFilters):
    conditions = [Registration.state == RegistrationState.CONFIRMED]
    if filters.organisation_id:
        conditions.append(Registration.organisation_id == filters.organisation_id)
    return sa.and_(*conditions)


def _years(result: Reach, filters: ReachFilters, now) -> None:
    held, chosen = _held(filters, now), _registrations(filters)
    year = TRAINING_YEAR.label("year")
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
            .where(held, chosen)
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
            .where(held, chosen)
            .group_by(year)
        ).all()
    )
    attended = dict(
        db.session.execute(
            sa.select(year, sa.func.count(Attendance.id))
            .join(Registration, Registration.training_id == Training.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
            .where(held, chosen)
            .group_by(year)
        ).all()
    )
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


def _countries(result: Reach, filters: ReachFilters) -> None:
    query = (
        sa.select(
            Organisation.country,
            sa.func.count(sa.distinct(Registration.organisation_id)).label("organisations"),
            sa.func.count(sa.distinct(Registration.user_id)).label("people"),
        )
        .join(Organisation, Organisation.id == Registration.organisation_id)
        .join(Training, Training.id == Registration.training_id)
        .where(Registration.completed_at.is_not(None))
        .group_by(Organisation.country)
        .order_by(sa.func.count(sa.distinct(Registration.user_id)).desc(), Organisation.country)
    )
    if filters.year:
        query = query.where(filters.year == TRAINING_YEAR)
    if filters.country:
        query = query.where(Organisation.country == filters.country)
    if filters.organisation_id:
        query = query.where(Registration.organisation_id == filters.organisation_id)
    result.countries = [
        {"country": row.country, "organisations": row.organisations, "people": row.people}
        for row in db.session.execute(query)
    ]


def report_conditions(filters: ReachFilters) -> list:
    conditions = []
    if filters.year:
        conditions.append(filters.year == REPORT_YEAR)
    if filters.country:
        conditions.append(DisseminationReport.country == filters.country)
    if filters.organisation_id:
        conditions.append(DisseminationReport.organisation_id == filters.organisation_id)
    return conditions


def _dissemination(result: Reach, filters: ReachFilters) -> None:
    year = REPORT_YEAR.label("year")
    people = sa.func.coalesce(sa.func.sum(DisseminationReport.participants), 0)
    query = (
        sa.select(year, sa.func.count(DisseminationReport.id).label("trainings"), people.label("people"))
        .where(DisseminationReport.verified_at.is_not(None), *report_conditions(filters))
        .group_by(year)
        .order_by(year)
    )
    result.dissemination = [
        {"year": int(row.year), "trainings": row.trainings, "people": int(row.people)}
        for row in db.session.execute(query)
    ]
    pending = db.session.execute(
        sa.select(sa.func.count(DisseminationReport.id), people).where(
            DisseminationReport.verified_at.is_(None),
            DisseminationReport.rejected_at.is_(None),
            *report_conditions(filters),
        )
    ).one()
    result.pending = {"reports": pending[0], "people": int(pending[1])}


def reach(filters: ReachFilters | None = None) -> Reach:
    """Aggregates only: a handful of queries however many trainings there are."""
    filters = filters or ReachFilters()
    result = Reach()
    _years(result, filters, utcnow())
    _countries(result, filters)
    _dissemination(result, filters)
    return result


def years_with_data() -> list[int]:
    """The years a filter can choose: those with a training held or a verified report."""
    now = utcnow()
    held = db.session.scalars(
        sa.select(TRAINING_YEAR)
        .where(Training.state == TrainingState.PUBLISHED, Training.starts_at <= now)
        .distinct()
    ).all()
    reported = db.session.scalars(
        sa.select(REPORT_YEAR).where(DisseminationReport.verified_at.is_not(None)).distinct()
    ).all()
    return sorted({int(y) for y in (*held, *reported) if y is not None}, reverse=True)
