"""The contributions a consultation's page or API shows a viewer, with their supports and co-signers.

Published ones for everyone; a contribution waiting for moderation or hidden also for its author (who
reads the reason) and for those who moderate. A handful of queries whatever the number of contributions.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consortium.db import db
from consortium.governance import policies
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Consultation, Seat, Space
from consortium.governance.services.contributions import supports
from consortium.permissions import Permission, can


@dataclass
class Listing:
    contributions: list[Contribution]
    supports: dict[int, int]
    supported: set[int]

    def by_section(self) -> dict[int, list[Contribution]]:
        grouped: dict[int, list[Contribution]] = {}
        for contribution in self.contributions:
            grouped.setdefault(contribution.section_id, []).append(contribution)
        return grouped


def contributions_for(viewer, consultation: Consultation, *, published_only: bool = False) -> Listing:
    query = (
        sa.select(Contribution)
        .where(Contribution.consultation_id == consultation.id)
        .options(
            joinedload(Contribution.author),
            joinedload(Contribution.organisation),
            joinedload(Contribution.section),
            selectinload(Contribution.cosignatures),
        )
        .order_by(Contribution.id)
    )
    if published_only:
        query = query.where(Contribution.published_clause())
    elif not can(Permission.GOVERNANCE_MODERATE, consultation, user=viewer):
        mine = Contribution.author_id == viewer.id if viewer and viewer.is_authenticated else sa.false()
        query = query.where(sa.or_(Contribution.published_clause(), mine))
    contributions = db.session.scalars(query).unique().all()
    return Listing(contributions, *supports(viewer, [c.id for c in contributions]))


def cosigning_choices(viewer, listing: Listing) -> dict[int, list]:
    """{contribution id: organisations the viewer may co-sign it for}, only where there is one."""
    choices = {}
    for contribution in listing.contributions:
        organisations = policies.cosigning_organisations(viewer, contribution)
        if organisations:
            choices[contribution.id] = organisations
    return choices


def seats_of(space: Space) -> list[Seat]:
    """The whole roster with its people and organisations, convenors first (the API's and the CSV's)."""
    return db.session.scalars(
        sa.select(Seat)
        .where(Seat.space_id == space.id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.role, Seat.id)
    ).all()
