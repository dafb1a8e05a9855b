"""Consultations: a document in sections written in the space, contributions per section from seat
holders, and the convenor's official response to every one of them.

Every step that depends on the consultation's state locks its row first (``transaction.lock``) and
checks inside the lock: a contribution sent while the convenor closes waits for the close and is then
refused, or lands first and then stops the close; it never ends up unanswered in a closed consultation.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.activity import EventKind
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Contribution,
    Disposition,
    Section,
    Space,
    SpaceState,
)
from consortium.governance.services import following
from consortium.governance.services.errors import (
    AlreadyAnswered,
    ConsultationLocked,
    GovernanceError,
    UnansweredContributions,
)
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed


def _lock(consultation: Consultation) -> Consultation:
    return transaction.lock(Consultation, consultation.id)


def create_consultation(space: Space, *, by, title: str, language: str) -> Consultation:
    if space.state is SpaceState.ARCHIVED:
        raise GovernanceError(_l("The space is archived."))
    consultation = Consultation(
        space_id=space.id, title=title.strip(), language=language, created_by_id=by.id if by else None
    )
    db.session.add(consultation)
    db.session.flush()
    return consultation


def add_section(consultation: Consultation, *, heading: str, body: str) -> Section:
    consultation = _lock(consultation)
    if consultation.state is ConsultationState.CLOSED:
        raise ConsultationLocked()
    last = db.session.scalar(
        sa.select(sa.func.max(Section.position)).where(Section.consultation_id == consultation.id)
    )
    section = Section(
        consultation_id=consultation.id, position=(last or 0) + 1, heading=heading.strip(), body=body.strip()
    )
    db.session.add(section)
    _new_revision(consultation)
    return section


def update_section(section: Section, *, heading: str, body: str) -> Section:
    """Save an edit of one section; a concurrent edit raises StaleDataError (``Section`` is versioned)."""
    consultation = _lock(section.consultation)
    if consultation.state is ConsultationState.CLOSED:
        raise ConsultationLocked()
    section.heading, section.body = heading.strip(), body.strip()
    _new_revision(consultation)
    return section


def _new_revision(consultation: Consultation) -> None:
    # Once people read it, every change makes a new revision: contributions name the one they answer.
    if consultation.state is ConsultationState.OPEN:
        consultation.revision += 1
    db.session.flush()


def open_consultation(consultation: Consultation, *, by) -> Consultation:
    # the space first (as archiving does): it cannot be archived between the check and the opening
    transaction.lock(Space, consultation.space_id)
    consultation = _lock(consultation)
    if consultation.state is not ConsultationState.DRAFT:
        raise ConsultationLocked()
    if consultation.space.state is not SpaceState.ACTIVE:
        raise GovernanceError(_l("Consultations open only in an active space."))
    if not consultation.sections:
        raise GovernanceError(_l("Write at least one section before opening the consultation."))
    return _transition(consultation, ConsultationState.OPEN, by=by)


def close_consultation(consultation: Consultation, *, by) -> Consultation:
    """Close it once every contribution has its official response; the responses then become public."""
    consultation = _lock(consultation)
    if consultation.state is not ConsultationState.OPEN:
        raise ConsultationLocked()
    waiting = unanswered_count(consultation)
    if waiting:
        raise UnansweredContributions(waiting)
    return _transition(consultation, ConsultationState.CLOSED, by=by)


def unanswered_count(consultation: Consultation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Contribution)
        .where(Contribution.consultation_id == consultation.id, Contribution.answered_at.is_(None))
    )


def _transition(consultation: Consultation, to: ConsultationState, *, by) -> Consultation:
    before = consultation.state
    consultation.state = to
    if to is ConsultationState.OPEN:
        consultation.opened_at = utcnow()
    else:
        consultation.closed_at = utcnow()
    db.session.flush()
    state_changed.send(
        consultation,
        action=f"governance.consultation_{to.value}",
        by=by,
        summary=f"{consultation.title[:80]}: {before.value} → {to.value}",
    )
    following.record_event(
        consultation.space,
        EventKind.CONSULTATION_OPENED if to is ConsultationState.OPEN else EventKind.CONSULTATION_CLOSED,
        consultation,
        consultation.title,
        consultation_id=consultation.id,
    )
    return consultation


def contribute(section: Section, *, by, organisation_id: int | None, body: str) -> Contribution:
    """A seat holder's contribution to one section of an open consultation."""
    consultation = _lock(section.consultation)
    if consultation.state is not ConsultationState.OPEN:
        raise ConsultationLocked()
    contribution = Contribution(
        consultation_id=consultation.id,
        section_id=section.id,
        author_id=by.id,
        organisation_id=organisation_id,
        body=body.strip(),
        revision=consultation.revision,
    )
    db.session.add(contribution)
    db.session.flush()
    return contribution


SUBJECT = _l("Your contribution received its official response")


def respond(contribution: Contribution, *, by, disposition: Disposition, reason: str) -> Contribution:
    """The convenor's reasoned response, given once; its author is told by e-mail."""
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_l("Give the reason for this response."))
    consultation = _lock(contribution.consultation)
    db.session.refresh(contribution)  # as saved now, inside the lock: another convenor may have answered
    if contribution.is_answered:
        raise AlreadyAnswered()
    if consultation.state is not ConsultationState.OPEN:
        raise ConsultationLocked()
    contribution.disposition = disposition
    contribution.reason = reason
    contribution.answered_at = utcnow()
    contribution.answered_by_id = by.id
    db.session.flush()
    state_changed.send(
        contribution, action="governance.response_given", by=by, summary=f"{disposition.value}"
    )
    author = contribution.author
    if author is not None and author.is_active and not author.is_deleted:
        # an outbox row in this transaction: the worker sends it only once the response is committed
        queue_email(
            author.email,
            "governance/response_given",
            SUBJECT,
            to_name=author.name,
            locale=author.locale,
            contribution=contribution,
            consultation=consultation,
            url=public_url("governance.consultation", consultation_id=consultation.id),
        )
    return contribution
