"""The home page's "waiting for you" entries for roadmaps (``consortium.worklist``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from consortium.db import db
from consortium.organisations.models import Membership
from consortium.permissions import Permission, role_grants
from consortium.worklist import WorkItem
from safeguards.roadmap.models import EDITABLE, Action, ActionState, Roadmap, action_co_owners


def work_items(user) -> list[WorkItem]:
    """Owners: their organisations' delayed or at-risk actions. Staff: roadmaps not validated yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = sa.select(Membership.organisation_id).where(Membership.user_id == user.id)
    co_owned = sa.select(action_co_owners.c.action_id).where(action_co_owners.c.organisation_id.in_(mine))
    late = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Action)
        .where(
            Action.state.in_([ActionState.DELAYED, ActionState.AT_RISK]),
            sa.or_(Action.owner_id.in_(mine), Action.id.in_(co_owned)),
        )
    )
    items = [
        WorkItem(
            label=_("Roadmap actions of your organisation that are delayed or at risk"),
            count=late or 0,
            url=url_for("safeguards.my_actions"),
            area=_("Safeguards roadmaps"),
        )
    ]
    if role_grants(user, Permission.SAFEGUARDS_ROADMAP_VALIDATE):
        waiting = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Roadmap)
            .where(Roadmap.state.in_(EDITABLE), sa.exists().where(Action.roadmap_id == Roadmap.id))
        )
        items.append(
            WorkItem(
                label=_("Roadmaps waiting for validation"),
                count=waiting or 0,
                url=url_for("safeguards.roadmaps"),
                area=_("Safeguards roadmaps"),
            )
        )
    return items
