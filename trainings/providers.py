"""What trainings offer the kernel's registries: suggestions of trainings for weak safeguards principles,
and staff's work (disseminator reports to check) and the registrations and certificates on a person's
/home (``consortium.worklist``).

(The personal-data keeper for ``consortium.personal_data`` lives in ``privacy.py``.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from consortium.dates import moment
from consortium.db import db, utcnow
from consortium.i18n import current_language
from consortium.i18n import lazy_gettext as _l
from consortium.permissions import Permission, can
from consortium.suggestions import Suggestion
from consortium.worklist import Entry, Section, WorkItem, counting
from trainings.models import (
    ACTIVE_STATES,
    Certificate,
    Registration,
    RegistrationState,
    ReportStatus,
    Training,
    TrainingState,
)
from trainings.services.dissemination import reports_waiting

AREA = _l("Trainings")
HOME_LIMIT = 10  # the full lists are a link away


def suggest(codes: Iterable[str], limit: int) -> list[Suggestion]:
    """Upcoming published trainings that address the given safeguards principles."""
    codes = [code for code in codes if code]
    if not codes:
        return []
    now = utcnow()
    query = (
        sa.select(Training)
        .where(Training.state == TrainingState.PUBLISHED, Training.starts_at > now)
        .where(sa.or_(*(sa.cast(Training.principles, sa.String).like(f'%"{code}"%') for code in codes)))
        .order_by(Training.starts_at)
        .limit(limit)
        # what a suggestion shows, without the organiser Training joins by default or the long texts
        .options(
            sa.orm.load_only(Training.title, Training.language, Training.principles, Training.modality),
            sa.orm.raiseload(Training.organiser),
        )
    )
    language = current_language()
    suggestions = []
    for training in db.session.scalars(query):
        title, _lang = training.text("title", language)
        suggestions.append(
            Suggestion(
                kind="training",
                title=title,
                url=url_for("trainings.detail", training_id=training.id),
                principles=tuple(code for code in training.principles if code in codes),
                detail=training.modality.label,
            )
        )
    return suggestions


def work_for(user) -> list[WorkItem]:
    """Staff check disseminator reports that are neither verified nor rejected."""
    if not can(Permission.TRAININGS_MANAGE, user=user):
        return []
    return [
        WorkItem(
            label=str(_l("Reports to check")),
            count=counting(reports_waiting()),
            url=url_for("trainings.reports", status=ReportStatus.PENDING.value),
            area=str(AREA),
        )
    ]


def _waitlist_position():
    """A registration's place on its waiting list, as a correlated subquery: one query for the page."""
    ahead = sa.orm.aliased(Registration)
    return (
        sa.select(sa.func.count() + 1)
        .where(
            ahead.training_id == Registration.training_id,
            ahead.state == RegistrationState.WAITLISTED,
            sa.or_(
                ahead.waitlisted_at < Registration.waitlisted_at,
                sa.and_(ahead.waitlisted_at == Registration.waitlisted_at, ahead.id < Registration.id),
            ),
        )
        .scalar_subquery()
    )


@functools.cache
def _upcoming_registrations() -> sa.Select:
    """Built once per worker, its values bound: building it (the aliased waiting list) cost more than
    running it, on every /home."""
    return (
        sa.select(Registration, _waitlist_position())
        .join(Registration.training)
        .where(
            Registration.user_id == sa.bindparam("user_id"),
            Registration.state.in_(ACTIVE_STATES),
            sa.func.coalesce(Training.ends_at, Training.starts_at)
            >= sa.bindparam("now", type_=Training.starts_at.type),
        )
        .options(sa.orm.contains_eager(Registration.training))
        .order_by(Training.starts_at)
        .limit(HOME_LIMIT)
    )


def my_registrations(user) -> Section:
    """The user's registrations for trainings that have not ended, with their waiting-list places."""
    rows = db.session.execute(_upcoming_registrations(), {"user_id": user.id, "now": utcnow()}).all()
    language = current_language()
    entries = []
    for registration, position in rows:
        training = registration.training
        detail = [moment(training.starts_at)] if training.starts_at else []
        if registration.state is RegistrationState.WAITLISTED:
            detail.append(_("place %(position)s on the waiting list", position=position))
        entries.append(
            Entry(
                title=training.text("title", language)[0],
                url=url_for("trainings.detail", training_id=training.id),
                detail=" · ".join(detail),
                badge=registration.state.label,
            )
        )
    return Section(
        title=_("My registrations"),
        entries=entries,
        more_url=url_for("trainings.mine"),
        empty=_("You have no upcoming trainings. Find one in the catalogue."),
        empty_url=url_for("trainings.index"),
        order=20,
    )


def my_certificates(user) -> Section | None:
    rows = db.session.scalars(
        sa.select(Certificate)
        .join(Certificate.registration)
        .join(Registration.training)
        .where(Registration.user_id == user.id)
        .options(sa.orm.contains_eager(Certificate.registration).contains_eager(Registration.training))
        .order_by(Certificate.issued_at.desc())
        .limit(HOME_LIMIT)
    ).all()
    if not rows:
        return None
    language = current_language()
    return Section(
        title=_("My certificates"),
        entries=[
            Entry(
                title=c.registration.training.text("title", language)[0],
                url=url_for("trainings.certificate", registration_id=c.registration_id),
                detail=_("Issued on %(date)s", date=format_date(c.issued_at, "medium")),
            )
            for c in rows
        ],
        more_url=url_for("trainings.mine"),
        order=30,
    )
