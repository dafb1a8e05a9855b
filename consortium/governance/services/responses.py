"""Official responses: drafted once contributions are closed, approved by a second person who answers for
the space, public when the consultation publishes its responses (``lifecycle.publish_responses``).

A response covers one contribution or a group of similar ones; a contribution gets at most one. Each step
locks the consultation's row, so two drafts for one contribution, or an approval racing an edit or the
publication, are decided one after the other; an edit made on an outdated page raises StaleDataError
(``Response`` is versioned) and the view shows both versions.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.contribution_models import (
    Contribution,
    Disposition,
    Response,
    response_contributions,
)
from consortium.governance.models import ANSWERING_STATES, Consultation, ConsultationState
from consortium.governance.services import lifecycle
from consortium.governance.services.errors import (
    AlreadyAnswered,
    ConsultationLocked,
    GovernanceError,
    OwnDraft,
    RationaleRequired,
    ResponseApproved,
)
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed


def _check(disposition: Disposition, rationale: str) -> None:
    if disposition is not Disposition.ACCEPTED and not rationale:
        raise RationaleRequired()


def answered_ids(contribution_ids: Iterable[int]) -> set[int]:
    """Which of these contributions already have a response (drafted or approved)."""
    return set(
        db.session.scalars(
            sa.select(response_contributions.c.contribution_id).where(
                response_contributions.c.contribution_id.in_(list(contribution_ids))
            )
        )
    )


def draft_response(
    contribution: Contribution,
    *,
    by,
    organisation_id: int | None,
    disposition: Disposition,
    rationale: str,
    commitment: str = "",
    commitment_link: str = "",
    also: Iterable[int] = (),
) -> Response:
    """A draft answering ``contribution`` and the similar ones in ``also``; the first one starts the
    consultation's "responding" stage."""
    rationale = rationale.strip()
    _check(disposition, rationale)
    consultation = transaction.lock(Consultation, contribution.consultation_id)
    if consultation.state not in ANSWERING_STATES:
        raise ConsultationLocked()
    ids = {contribution.id, *also}
    covered = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.id.in_(ids), Contribution.consultation_id == consultation.id)
        .order_by(Contribution.id)
    ).all()
    if len(covered) != len(ids):
        raise GovernanceError(_l("Some of the chosen contributions are not in this consultation."))
    if answered_ids(ids):  # inside the lock: another draft for one of them cannot land meanwhile
        raise AlreadyAnswered()
    response = Response(
        consultation_id=consultation.id,
        disposition=disposition,
        rationale=rationale,
        commitment=commitment.strip(),
        commitment_link=commitment_link.strip(),
        drafted_by_id=by.id,
        organisation_id=organisation_id,
        contributions=list(covered),
    )
    db.session.add(response)
    db.session.flush()
    if consultation.state is ConsultationState.CLOSED:
        lifecycle.start_responding(consultation, by=by)
    state_changed.send(response, action="governance.response_drafted", by=by, summary=disposition.value)
    return response


def update_response(
    response: Response,
    *,
    by,
    disposition: Disposition,
    rationale: str,
    commitment: str,
    commitment_link: str,
) -> Response:
    """Edit a draft. Whoever writes it last counts as its drafter, so someone else approves that text."""
    rationale = rationale.strip()
    _check(disposition, rationale)
    consultation = transaction.lock(Consultation, response.consultation_id)
    if consultation.state not in ANSWERING_STATES:
        raise ConsultationLocked()
    if response.is_approved:
        raise ResponseApproved()
    response.disposition, response.rationale = disposition, rationale
    response.commitment, response.commitment_link = commitment.strip(), commitment_link.strip()
    response.drafted_by_id = by.id
    db.session.flush()
    return response


def approve_response(response: Response, *, by, version: int | None = None) -> Response:
    """The second person's approval of the draft as they read it (``version``); never the drafter's."""
    consultation = transaction.lock(Consultation, response.consultation_id)
    response = transaction.lock(Response, response.id)
    if consultation.state not in ANSWERING_STATES:
        raise ConsultationLocked()
    if response.is_approved:
        raise ResponseApproved()
    if version is not None and version != response.version:
        raise GovernanceError(_l("The draft changed since you read it. Read it again before approving."))
    if response.drafted_by_id == by.id:
        raise OwnDraft()
    response.approved_by_id, response.approved_at = by.id, utcnow()
    db.session.flush()
    state_changed.send(
        response, action="governance.response_approved", by=by, summary=response.disposition.value
    )
    return response


def response_for(contribution_ids: Iterable[int]) -> dict[int, Response]:
    """{contribution id: its response} in one query."""
    ids = list(contribution_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(response_contributions.c.contribution_id, Response)
        .join(Response, Response.id == response_contributions.c.response_id)
        .where(response_contributions.c.contribution_id.in_(ids))
        .options(selectinload(Response.contributions), joinedload(Response.drafted_by))
    ).all()
    return {contribution_id: response for contribution_id, response in rows}
