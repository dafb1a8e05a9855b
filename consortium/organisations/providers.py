"""What organisations put on people's /home: their organisations, invitations waiting for them and,
for staff, organisations to verify (``consortium.worklist``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from consortium.db import db, utcnow
from consortium.i18n import fast_gettext as _
from consortium.organisations.models import Invitation, Organisation
from consortium.permissions import Permission, role_grants
from consortium.reference.countries import country_name
from consortium.worklist import Entry, Section, WorkItem, counting


def to_verify(user) -> list[WorkItem]:
    if not role_grants(user, Permission.ORGANISATIONS_VERIFY):
        return []
    return [
        WorkItem(
            label=_("Organisations to verify"),
            count=counting(sa.select(Organisation.id).where(Organisation.verified_at.is_(None))),
            url=url_for("organisations.index", pending=1),
            area=_("Organisations"),
        )
    ]


def my_organisations(user) -> Section | None:
    # The user's memberships are often loaded already (their organisation's time zone); the organisation
    # comes joined (Membership.organisation is lazy="joined").
    memberships = sorted(user.memberships, key=lambda m: m.created_at)
    if not memberships and user.is_staff:
        return None  # staff need not belong to one: no nudge to register an organisation
    return Section(
        title=_("My organisations"),
        entries=[
            Entry(
                title=m.organisation.name,
                url=url_for("organisations.detail", slug=m.organisation.slug),
                detail=" · ".join(filter(None, (m.role.label, country_name(m.organisation.country)))),
                badge="" if m.organisation.is_verified else _("Awaiting verification"),
            )
            for m in memberships
        ],
        empty=_("You do not belong to an organisation yet. Register yours, or ask its admin to invite you."),
        empty_url=url_for("organisations.create"),
        order=40,
    )


def my_invitations(user) -> Section | None:
    """Invitations to the user's own (confirmed) address that wait for an answer; accepted from /home."""
    if user.email_verified_at is None:
        return None
    invitations = db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.email == user.email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .options(sa.orm.joinedload(Invitation.organisation))
        .order_by(Invitation.created_at.desc())
    ).all()
    if not invitations:
        return None
    return Section(
        title=_("Invitations"),
        entries=[
            Entry(
                title=invitation.organisation.name,
                url=url_for("organisations.accept_my_invitation", invitation_id=invitation.id),
                detail=invitation.role.label,
                action=_("Accept"),
            )
            for invitation in invitations
        ],
        order=10,
    )
