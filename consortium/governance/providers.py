"""What governance offers the kernel's registries (``consortium.worklist``): the contributions of closed
consultations still without an approved official response, for those who answer for the space (focal
points, government and regulator seats, convenors), as work items (staff's queue and the daily digest
read those) and as a section of their own /home, since most of them are not staff; and on everyone's
/home, the spaces and consultations they follow with how often their digest comes."""

from __future__ import annotations

import functools
from datetime import timedelta

import sqlalchemy as sa
from flask import g, has_request_context, url_for

from consortium.db import db, utcnow
from consortium.governance.contribution_models import Contribution, Response, response_contributions
from consortium.governance.models import (
    ANSWERING_STATES,
    CONTRIBUTING_ROLES,
    Consultation,
    Seat,
    Space,
    term_covers,
    today_in,
)
from consortium.governance.policies import ANSWERING_ROLES, ANSWERING_SECTORS
from consortium.governance.records import ConsultationFollow, DigestFrequency, SpaceFollow
from consortium.i18n import fast_gettext as _
from consortium.i18n import fast_ngettext, localised
from consortium.worklist import Entry, Section, WorkItem


def _waiting(user) -> list[tuple[int, str, int]]:
    """One query per request (both providers read it): (id, title, unanswered) per consultation being
    answered in a space the user answers for now."""
    if not user or not user.is_authenticated:
        return []
    cache = g.setdefault("governance_waiting", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _query_waiting(user)
    return cache[user.id]


def _query_waiting(user) -> list[tuple[int, str, int]]:
    # Each space's today is in its own zone, within a day of UTC's: the query keeps the seats whose term
    # covers any of those three dates, and each is checked here against its space's date.
    now = utcnow()
    bounds = {"earliest": now.date() - timedelta(days=1), "latest": now.date() + timedelta(days=1)}
    rows = db.session.execute(_waiting_query(), {"user_id": user.id, **bounds}).all()
    return [
        (consultation_id, title, count)
        for consultation_id, title, count, zone, starts_on, ends_on in rows
        if term_covers(starts_on, ends_on, today_in(zone, now))
    ]


@functools.cache
def _waiting_query() -> sa.Select:
    """Built once per worker, its values bound: building it cost more than running it, on every /home."""
    approved = (
        sa.select(response_contributions.c.contribution_id)
        .join(Response, Response.id == response_contributions.c.response_id)
        .where(Response.approved_at.is_not(None))
    )
    return (
        sa.select(
            Contribution.consultation_id,
            Consultation.title,
            sa.func.count(),
            Space.timezone,
            Seat.term_starts_on,
            Seat.term_ends_on,
        )
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .join(Space, Space.id == Consultation.space_id)
        .join(Seat, Seat.space_id == Consultation.space_id)
        .where(
            Seat.user_id == sa.bindparam("user_id"),
            sa.or_(
                Seat.role.in_(list(ANSWERING_ROLES)),
                sa.and_(Seat.sector.in_(list(ANSWERING_SECTORS)), Seat.role.in_(list(CONTRIBUTING_ROLES))),
            ),
            Seat.term_starts_on <= sa.bindparam("latest", type_=sa.Date),
            sa.or_(Seat.term_ends_on.is_(None), Seat.term_ends_on >= sa.bindparam("earliest", type_=sa.Date)),
            Consultation.state.in_(list(ANSWERING_STATES)),
            Contribution.id.not_in(approved),
            Contribution.published_clause(),
        )
        # one seat per person and space: the seat's columns do not split a consultation's count
        .group_by(
            Contribution.consultation_id,
            Consultation.title,
            Space.timezone,
            Seat.term_starts_on,
            Seat.term_ends_on,
        )
        .order_by(Contribution.consultation_id)
    )


def responses_waiting(user) -> list[WorkItem]:
    return [
        WorkItem(
            label=_("Contributions waiting for your official response"),
            count=count,
            url=url_for("governance.consultation", consultation_id=consultation_id),
            area=_("Governance"),
        )
        for consultation_id, _title, count in _waiting(user)
    ]


def my_responses_to_give(user) -> Section | None:
    rows = _waiting(user)
    if not rows:
        return None
    return Section(
        title=_("Waiting for your official response"),
        entries=[
            Entry(
                title=title,
                url=url_for("governance.consultation", consultation_id=consultation_id),
                detail=fast_ngettext("%(num)s contribution", "%(num)s contributions", count) % {"num": count},
            )
            for consultation_id, title, count in rows
        ],
        order=20,
    )


def my_follows(user) -> Section | None:
    """What the person follows and how often its digest comes (one query for spaces and consultations)."""
    spaces = (
        sa.select(
            sa.literal("space").label("kind"),
            Space.id,
            SpaceFollow.frequency,
            Space.title.label("titles"),
            sa.cast(sa.null(), sa.String).label("title"),
        )
        .join(SpaceFollow, SpaceFollow.space_id == Space.id)
        .where(SpaceFollow.user_id == user.id)
    )
    consultations = (
        sa.select(
            sa.literal("consultation"),
            Consultation.id,
            ConsultationFollow.frequency,
            sa.cast(sa.null(), sa.JSON),
            Consultation.title,
        )
        .join(ConsultationFollow, ConsultationFollow.consultation_id == Consultation.id)
        .where(ConsultationFollow.user_id == user.id)
    )
    rows = db.session.execute(spaces.union_all(consultations).limit(20)).all()
    if not rows:
        return None
    return Section(
        title=_("What you follow"),
        entries=[
            Entry(
                title=localised(row.titles) if row.kind == "space" else row.title,
                url=url_for("governance.space", space_id=row.id)
                if row.kind == "space"
                else url_for("governance.consultation", consultation_id=row.id),
                detail=str(DigestFrequency(row.frequency).label),
            )
            for row in rows
        ],
        order=60,
    )
