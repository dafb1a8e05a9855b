"""Decisions of a space: a validation, resolution, recommendation or priority ranking, reached by consensus
or by vote, recorded at one of its meetings or on their own, with each seat's position, the dissent, the
consultation contributions they answer and the framework codes they concern; followers are told.
A validation decision also validates a document of the space's system (``consortium.validations``)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import validations
from consortium.db import db
from consortium.governance.activity import EventKind
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Consultation, Seat, Space, SpaceState
from consortium.governance.records import (
    DecisionKind,
    DecisionMethod,
    DecisionVote,
    Meeting,
    Position,
    SpaceDecision,
)
from consortium.governance.services import following
from consortium.governance.services.errors import GovernanceError
from consortium.i18n import lazy_gettext as _l
from consortium.reference.principles import CODES
from consortium.signals import state_changed


def record_decision(
    space: Space,
    *,
    by,
    text: str,
    rationale: str,
    language: str,
    meeting: Meeting | None = None,
    positions: dict[int, Position] | None = None,
    contribution_ids: set[int] = frozenset(),
    principles: list[str] = (),
    kind: DecisionKind = DecisionKind.RESOLUTION,
    method: DecisionMethod = DecisionMethod.CONSENSUS,
    dissent: str = "",
    validates: str = "",
) -> SpaceDecision:
    positions = positions or {}
    _check_method(method, positions)
    if space.state is SpaceState.ARCHIVED:
        raise GovernanceError(_l("The space is archived."))
    if not text.strip() or not rationale.strip():
        raise GovernanceError(_l("Give the decision's text and its rationale."))
    if meeting is not None and meeting.space_id != space.id:
        raise GovernanceError(_l("The meeting belongs to another space."))
    if set(principles) - set(CODES):
        raise GovernanceError(_l("Unknown framework code."))
    seats = {
        seat.id: seat
        for seat in db.session.scalars(
            sa.select(Seat).where(Seat.space_id == space.id, Seat.id.in_(list(positions)))
        )
    }
    if set(positions) - set(seats):
        raise GovernanceError(_l("Only seats of this space take a position on its decisions."))
    contributions = db.session.scalars(
        sa.select(Contribution)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Contribution.id.in_(contribution_ids), Consultation.space_id == space.id)
    ).all()
    if len(contributions) != len(set(contribution_ids)):
        raise GovernanceError(_l("A decision answers only contributions made in this space."))
    decision = SpaceDecision(
        space_id=space.id,
        meeting_id=meeting.id if meeting else None,
        kind=kind,
        method=method,
        text=text.strip(),
        rationale=rationale.strip(),
        dissent=dissent.strip(),
        language=language,
        principles=[code for code in CODES if code in principles],
        created_by_id=by.id if by else None,
        votes=[
            DecisionVote(
                seat_id=seat_id,
                organisation_id=seats[seat_id].organisation_id,
                sector=seats[seat_id].sector,
                position=position,
            )
            for seat_id, position in sorted(positions.items())
        ],
        contributions=list(contributions),
    )
    db.session.add(decision)
    db.session.flush()
    state_changed.send(decision, action="governance.decision_recorded", by=by, summary=space.slug)
    if validates:
        if kind is not DecisionKind.VALIDATION:
            raise GovernanceError(_l("Only a validation decision validates a document: choose Validation."))
        try:
            validations.decide(decision, validates, system_id=space.system_id, by=by)
        except validations.ValidationRefused as refused:
            raise GovernanceError(refused.message) from None
    following.record_event(space, EventKind.DECISION_PUBLISHED, decision, decision.text)
    return decision


def _check_method(method: DecisionMethod, positions: dict[int, Position]) -> None:
    """A vote names each seat's position; a consensus has no seat opposed (an objection makes it a vote)."""
    if method is DecisionMethod.VOTE and not positions:
        raise GovernanceError(_l("A decision by vote records the position of the seats that voted."))
    if method is DecisionMethod.CONSENSUS and Position.OPPOSED in positions.values():
        raise GovernanceError(_l("A seat opposed it, so it was not a consensus: record it as a vote."))
