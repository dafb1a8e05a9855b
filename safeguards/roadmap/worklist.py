"""Roadmap entries on the home page (``consortium.worklist``): roadmaps to validate, owners' actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from consortium.db import db
from consortium.i18n import localised
from consortium.organisations.models import Membership
from consortium.permissions import Permission, role_grants
from consortium.worklist import Entry, Section, WorkItem, counting
from safeguards.roadmap.models import EDITABLE, Action, ActionState, Roadmap, action_co_owners

OPEN = (ActionState.VALIDATED, ActionState.IN_PROGRESS, ActionState.DELAYED, ActionState.AT_RISK)
SHOWN = 5


def owned_by(user, organisation_ids=None) -> sa.ColumnElement[bool]:
    """Actions that ``user``'s organisations (or ``organisation_ids``) own or co-own, as a WHERE clause."""
    mine = organisation_ids or sa.select(Membership.organisation_id).where(Membership.user_id == user.id)
    co_owned = sa.select(action_co_owners.c.action_id).where(action_co_owners.c.organisation_id.in_(mine))
    return sa.or_(Action.owner_id.in_(mine), Action.id.in_(co_owned))


def work_items(user) -> list[WorkItem]:
    """Staff: roadmaps with actions that are not validated yet."""
    if not role_grants(user, Permission.SAFEGUARDS_ROADMAP_VALIDATE):
        return []
    waiting = counting(
        sa.select(Roadmap.id).where(
            Roadmap.state.in_(EDITABLE), sa.exists().where(Action.roadmap_id == Roadmap.id)
        )
    )
    return [
        WorkItem(
            label=_("Roadmaps waiting for validation"),
            count=waiting,
            url=url_for("safeguards.roadmaps"),
            area=_("Safeguards"),
        )
    ]


def section(user) -> Section | None:
    """Owners: their organisations' open actions, late and at-risk ones first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    # the memberships are loaded already on /home (the organisations' section): no query without any
    organisation_ids = [m.organisation_id for m in user.memberships]
    if not organisation_ids:
        return None
    late_first = sa.case((Action.state.in_([ActionState.DELAYED, ActionState.AT_RISK]), 0), else_=1)
    rows = db.session.execute(
        sa.select(Action.id, Action.title, Action.state, Action.due_on, sa.func.count().over().label("total"))
        .where(owned_by(user, organisation_ids), Action.state.in_(OPEN))
        .order_by(late_first, Action.due_on.is_(None), Action.due_on, Action.id)
        .limit(SHOWN)
    ).all()
    if not rows:
        return None
    return Section(
        title=_("Your organisation's roadmap actions"),
        entries=[
            Entry(
                title=localised(row.title),
                url=url_for("safeguards.action", action_id=row.id),
                detail=_("due %(day)s", day=format_date(row.due_on)) if row.due_on else "",
                badge=row.state.label,
            )
            for row in rows
        ],
        more_url=url_for("safeguards.my_actions") if rows[0].total > SHOWN else "",
        order=60,
    )
