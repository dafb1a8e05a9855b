"""Consultations: a document in sections written in the space and contributions per section from seat
holders (its states are in ``lifecycle``, the official responses in ``responses``).

Every step that depends on the consultation's state locks its row first (``transaction.lock``) and
checks inside the lock: a contribution sent while the convenor closes waits for the close and is then
refused, or lands first and is then among those the responses must answer.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium import consultables, transaction
from consortium.db import db
from consortium.governance.contribution_models import Contribution, ContributionKind, Visibility
from consortium.governance.models import (
    EDITABLE_STATES,
    Consultation,
    ConsultationState,
    Eligibility,
    Moderation,
    Section,
    Space,
    SpaceState,
)
from consortium.governance.services.errors import ConsultationLocked, GovernanceError
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l


def _lock(consultation: Consultation) -> Consultation:
    return transaction.lock(Consultation, consultation.id)


def create_consultation(
    space: Space,
    *,
    by,
    title: str,
    language: str,
    eligibility: Eligibility = Eligibility.MEMBERS,
    moderation: Moderation = Moderation.POST,
    document: consultables.Document | None = None,
) -> Consultation:
    """A draft; from ``document``, its sections copied once (later edits to the source don't follow)."""
    if space.state is SpaceState.ARCHIVED:
        raise GovernanceError(_l("The space is archived."))
    consultation = Consultation(
        space_id=space.id,
        title=title.strip(),
        language=language,
        eligibility=eligibility,
        moderation=moderation,
        created_by_id=by.id if by else None,
    )
    if document is not None:
        consultation.source_key, consultation.source_title = document.key, document.title[:300]
        consultation.source_url = document.url
        consultation.language = document.language
        consultation.sections = [
            Section(position=n, heading=section.heading[:300], body=section.body)
            for n, section in enumerate(document.sections(), start=1)
        ]
    db.session.add(consultation)
    db.session.flush()
    return consultation


def add_section(consultation: Consultation, *, heading: str, body: str) -> Section:
    consultation = _lock(consultation)
    if consultation.state not in EDITABLE_STATES:
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
    if consultation.state not in EDITABLE_STATES:
        raise ConsultationLocked()
    section.heading, section.body = heading.strip(), body.strip()
    _new_revision(consultation)
    return section


def _new_revision(consultation: Consultation) -> None:
    # Once people read it, every change makes a new revision: contributions name the one they answer.
    if consultation.state is ConsultationState.OPEN:
        consultation.revision += 1
    db.session.flush()


def contribute(
    section: Section,
    *,
    by,
    organisation_id: int | None,
    body: str,
    kind: ContributionKind = ContributionKind.COMMENT,
    language: str | None = None,
    link: str = "",
) -> Contribution:
    """A contribution to one section of an open consultation; who may send it and for which
    organisation is the policies' question (``policies.eligibility_refusal``, ``may_act_for``)."""
    consultation = _lock(section.consultation)
    if consultation.state is not ConsultationState.OPEN:
        raise ConsultationLocked()
    contribution = Contribution(
        consultation_id=consultation.id,
        section_id=section.id,
        author_id=by.id,
        organisation_id=organisation_id,
        body=body.strip(),
        kind=kind,
        language=language if language in LANGUAGES else (by.locale if by.locale in LANGUAGES else "es"),
        link=link.strip() if kind is ContributionKind.EVIDENCE else "",
        # before publication, it waits hidden for a moderator
        visibility=Visibility.PENDING if consultation.moderation is Moderation.PRE else Visibility.PUBLISHED,
        revision=consultation.revision,
    )
    db.session.add(contribution)
    db.session.flush()
    return contribution
