"""Organisation logic: creation, editing, verification, invitations and memberships."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.organisations.models import Invitation, Membership, Organisation, OrganisationRole
from consortium.users.models import User, digest


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70] or "organisation"


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(sa.select(Organisation.slug).where(Organisation.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_organisation(creator: User | None, **fields) -> Organisation:
    """A new organisation awaits staff verification; its creator becomes its admin."""
    organisation = Organisation(slug=unique_slug(fields["name"]), **fields)
    db.session.add(organisation)
    db.session.flush()
    if creator is not None:
        db.session.add(
            Membership(user_id=creator.id, organisation_id=organisation.id, role=OrganisationRole.ADMIN)
        )
        db.session.flush()
        db.session.expire(creator, ["memberships"])
    return organisation


def verify_organisation(organisation: Organisation, by: User) -> None:
    if organisation.verified_at is not None:
        return
    organisation.verified_at = utcnow()
    organisation.verified_by_id = by.id
    signals.state_changed.send(organisation, action="organisation.verified", by=by)
    for membership in organisation.memberships:
        if membership.role is OrganisationRole.ADMIN:
            user = membership.user
            queue_email(
                user.email,
                "organisation_verified",
                _l("Your organisation was verified"),
                to_name=user.name,
                locale=user.locale,
                organisation=organisation,
                url=public_url("organisations.detail", slug=organisation.slug),
            )


class InvitationGone(Exception):
    """The invitation was accepted or revoked in the meantime, or has expired."""


class NotTheInvitee(Exception):
    """The account does not own the address the invitation was sent to."""


def invite(organisation: Organisation, email: str, role: OrganisationRole, *, by: User) -> Invitation:
    """E-mail a single-use link that adds the person to the organisation (after sign-up if needed)."""
    invitation = Invitation(
        organisation_id=organisation.id, email=email.strip().lower(), role=role, invited_by_id=by.id
    )
    _send(invitation, by=by)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def _send(invitation: Invitation, *, by: User) -> None:
    """Give the invitation a new secret link and expiry date, and mail the link: any earlier link dies."""
    token = secrets.token_urlsafe(24)
    days = current_app.config["INVITATION_MAX_AGE_DAYS"]
    invitation.token_hash = digest(token)
    invitation.expires_at = utcnow() + timedelta(days=days)
    organisation = invitation.organisation or db.session.get(Organisation, invitation.organisation_id)
    invitee = db.session.scalar(sa.select(User).where(User.email == invitation.email))
    queue_email(
        invitation.email,
        "invitation",
        _l("You are invited to join %(name)s", name=organisation.name),
        to_name=invitee.name if invitee else "",
        locale=invitee.locale if invitee else by.locale,
        organisation=organisation,
        inviter=by,
        role=invitation.role.label,
        url=public_url("organisations.accept_invitation", token=token),
        days=days,
    )


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations nobody has accepted yet, expired ones included (they can be sent again)."""
    return db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())
    ).all()


def _lock_pending(invitation: Invitation) -> Invitation:
    """Lock the invitation's row and check, inside the lock, that it still waits for an answer."""
    try:
        invitation = transaction.lock(Invitation, invitation.id)
    except sa.exc.NoResultFound:
        raise InvitationGone() from None
    if invitation.accepted_at is not None:
        raise InvitationGone()
    return invitation


def resend_invitation(invitation: Invitation, *, by: User) -> None:
    invitation = _lock_pending(invitation)
    _send(invitation, by=by)
    db.session.flush()
    signals.state_changed.send(invitation, action="organisation.invitation_resent", by=by)


def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    invitation = _lock_pending(invitation)
    signals.state_changed.send(invitation, action="organisation.invitation_revoked", by=by)
    db.session.delete(invitation)
    db.session.flush()


def invitation_for_token(token: str) -> Invitation | None:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == digest(token)))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def may_accept(invitation: Invitation, user: User) -> bool:
    """Only the account that owns the invited address, once it has proved that by confirming it."""
    return user.email == invitation.email and user.email_verified_at is not None


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join (or change role in) the organisation; an invitation works once, for its own address."""
    if not may_accept(invitation, user):
        raise NotTheInvitee()
    invitation = _lock_pending(invitation)
    if invitation.expires_at < utcnow():
        raise InvitationGone()
    invitation.accepted_at = utcnow()
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == invitation.organisation_id
        )
    )
    if membership is None:
        membership = Membership(
            user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
        )
        db.session.add(membership)
    elif invitation.role is OrganisationRole.ADMIN:
        membership.role = OrganisationRole.ADMIN
    db.session.flush()
    db.session.expire(user, ["memberships"])
    return membership


def remove_member(membership: Membership) -> None:
    db.session.delete(membership)


def list_organisations(
    *, country: str | None = None, kind: str | None = None, include_unverified: bool = False
):
    query = sa.select(Organisation).order_by(Organisation.is_consortium_member.desc(), Organisation.name)
    if not include_unverified:
        query = query.where(Organisation.verified_at.is_not(None))
    if country:
        query = query.where(Organisation.country == country)
    if kind:
        query = query.where(Organisation.kind == kind)
    return query
