"""A consultation's life: draft → scheduled → open → closed → responding → responses published → archived.

Every move locks the consultation's row and checks the move inside the lock, so the convenor's button and
``flask governance tick`` (on one host or several) never both make it: the second finds it already made.
Publishing needs an approved official response for every contribution, counted inside the same lock.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.activity import EventKind
from consortium.governance.contribution_models import Contribution, Response, response_contributions
from consortium.governance.models import (
    CONSULTATION_TRANSITIONS,
    Consultation,
    ConsultationState,
    Space,
    SpaceState,
)
from consortium.governance.services import following
from consortium.governance.services.errors import (
    ConsultationLocked,
    GovernanceError,
    UnansweredContributions,
)
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed

ANSWERED = _l("Your contribution received its official response")


def _lock(consultation: Consultation) -> Consultation:
    return transaction.lock(Consultation, consultation.id)


def set_schedule(
    consultation: Consultation,
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    responses_due_at: datetime | None,
) -> Consultation:
    """The planned times; opening and closing ones only while the consultation has not opened yet."""
    consultation = _lock(consultation)
    if consultation.state in (ConsultationState.PUBLISHED, ConsultationState.ARCHIVED):
        raise ConsultationLocked()
    if consultation.state in (ConsultationState.DRAFT, ConsultationState.SCHEDULED):
        consultation.opens_at = opens_at
    if consultation.state in (ConsultationState.DRAFT, ConsultationState.SCHEDULED, ConsultationState.OPEN):
        consultation.closes_at = closes_at
    consultation.responses_due_at = responses_due_at
    _check_order(consultation)
    db.session.flush()
    return consultation


def _check_order(consultation: Consultation) -> None:
    opens, closes, due = consultation.opens_at, consultation.closes_at, consultation.responses_due_at
    if opens and closes and closes <= opens:
        raise GovernanceError(_l("The consultation must close after it opens."))
    if closes and due and due <= closes:
        raise GovernanceError(_l("Responses must be due after the consultation closes."))


def schedule(consultation: Consultation, *, by) -> Consultation:
    """Planned: ``flask governance tick`` opens it at ``opens_at`` and closes it at ``closes_at``."""
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.SCHEDULED)
    if consultation.opens_at is None or consultation.closes_at is None:
        raise GovernanceError(_l("Set when the consultation opens and closes before scheduling it."))
    _ready(consultation)
    return _move(consultation, ConsultationState.SCHEDULED, by=by)


def unschedule(consultation: Consultation, *, by) -> Consultation:
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.DRAFT)
    return _move(consultation, ConsultationState.DRAFT, by=by)


def open_consultation(consultation: Consultation, *, by) -> Consultation:
    # the space first (as archiving does): it cannot be archived between the check and the opening
    transaction.lock(Space, consultation.space_id)
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.OPEN)
    if consultation.space.state is not SpaceState.ACTIVE:
        raise GovernanceError(_l("Consultations open only in an active space."))
    _ready(consultation)
    consultation.opened_at = utcnow()
    return _move(consultation, ConsultationState.OPEN, by=by, tell=EventKind.CONSULTATION_OPENED)


def _ready(consultation: Consultation) -> None:
    if not consultation.sections:
        raise GovernanceError(_l("Write at least one section before opening the consultation."))


def close_consultation(consultation: Consultation, *, by) -> Consultation:
    """No more contributions: the official responses are drafted and approved now."""
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.CLOSED)
    consultation.closed_at = utcnow()
    return _move(consultation, ConsultationState.CLOSED, by=by, tell=EventKind.CONSULTATION_CLOSED)


def start_responding(consultation: Consultation, *, by) -> Consultation:
    consultation = _lock(consultation)
    if consultation.state is ConsultationState.RESPONDING:
        return consultation
    _allowed(consultation, ConsultationState.RESPONDING)
    return _move(consultation, ConsultationState.RESPONDING, by=by)


def unanswered_count(consultation: Consultation) -> int:
    """Published contributions without an approved official response (waiting or hidden ones need none)."""
    approved = (
        sa.select(response_contributions.c.contribution_id)
        .join(Response, Response.id == response_contributions.c.response_id)
        .where(Response.approved_at.is_not(None))
    )
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Contribution)
        .where(
            Contribution.consultation_id == consultation.id,
            Contribution.published_clause(),
            Contribution.id.not_in(approved),
        )
    )


def publish_responses(consultation: Consultation, *, by) -> Consultation:
    """Make every approved response public and tell each contribution's author, in their language."""
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.PUBLISHED)
    # inside the lock: no response can be withdrawn from approval nor a contribution added meanwhile
    waiting = unanswered_count(consultation)
    if waiting:
        raise UnansweredContributions(waiting)
    now = utcnow()
    consultation.responses_published_at = now
    responses = db.session.scalars(
        sa.select(Response)
        .where(Response.consultation_id == consultation.id)
        .options(selectinload(Response.contributions).joinedload(Contribution.author))
        .order_by(Response.id)
    ).all()
    url = public_url("governance.consultation", consultation_id=consultation.id)
    for response in responses:
        response.published_at = now
        for contribution in response.contributions:
            _tell_author(contribution, response, consultation, url)
    return _move(consultation, ConsultationState.PUBLISHED, by=by, tell=EventKind.RESPONSES_PUBLISHED)


def _tell_author(contribution: Contribution, response: Response, consultation: Consultation, url: str):
    author = contribution.author
    if author is None or not author.is_active or author.is_deleted:
        return
    # an outbox row in this transaction: the worker sends it only once the publication is committed
    queue_email(
        author.email,
        "governance/response_given",
        ANSWERED,
        to_name=author.name,
        locale=author.locale,
        contribution=contribution,
        response=response,
        consultation=consultation,
        url=url,
    )


def archive(consultation: Consultation, *, by) -> Consultation:
    consultation = _lock(consultation)
    _allowed(consultation, ConsultationState.ARCHIVED)
    return _move(consultation, ConsultationState.ARCHIVED, by=by)


def _allowed(consultation: Consultation, to: ConsultationState) -> None:
    if to not in CONSULTATION_TRANSITIONS[consultation.state]:
        raise ConsultationLocked()


def _move(
    consultation: Consultation, to: ConsultationState, *, by, tell: EventKind | None = None
) -> Consultation:
    before = consultation.state
    consultation.state = to
    db.session.flush()
    state_changed.send(
        consultation,
        action=f"governance.consultation_{to.value}",
        by=by,
        summary=f"{consultation.title[:80]}: {before.value} → {to.value}",
    )
    if tell is not None:  # the followers read it in their next digest
        following.record_event(
            consultation.space, tell, consultation, consultation.title, consultation_id=consultation.id
        )
    return consultation


def due_moves(now: datetime) -> list[tuple[int, str]]:
    """(id, "open" or "close") of the consultations whose planned time has come."""
    opening = sa.select(Consultation.id, sa.literal("open")).where(
        Consultation.state == ConsultationState.SCHEDULED, Consultation.opens_at <= now
    )
    closing = sa.select(Consultation.id, sa.literal("close")).where(
        Consultation.state.in_([ConsultationState.SCHEDULED, ConsultationState.OPEN]),
        Consultation.closes_at <= now,
    )
    moves = [(row[0], row[1]) for row in db.session.execute(opening.union_all(closing)).all()]
    return sorted(moves, key=lambda move: (move[1] != "open", move[0]))  # a late tick opens, then closes


def tick_one(consultation_id: int, step: str, now: datetime) -> bool:
    """Make one planned move if it is still due once the row is locked; False when another run made it."""
    consultation = transaction.lock(Consultation, consultation_id)
    if step == "open":
        if consultation.state is not ConsultationState.SCHEDULED or not _passed(consultation.opens_at, now):
            return False
        open_consultation(consultation, by=None)
        return True
    if consultation.state is not ConsultationState.OPEN or not _passed(consultation.closes_at, now):
        return False
    close_consultation(consultation, by=None)
    return True


def _passed(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now
