"""The list of spaces, a space with its roster, and staff's pages to create, edit and move a space."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import pagination, transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, first_submission, remember_result, save_edit
from consortium.governance import policies, reporting, services
from consortium.governance.forms import SpaceForm
from consortium.governance.models import (
    SPACE_TRANSITIONS,
    Consultation,
    ConsultationState,
    Seat,
    Space,
    SpaceState,
)
from consortium.governance.records import Meeting
from consortium.governance.views import bp
from consortium.permissions import Permission, can, public, require, role_grants
from consortium.reference.systems import all_systems
from consortium.users import current_person

PER_PAGE = 30
ROSTER_PER_PAGE = 100


def visible_spaces() -> sa.Select:
    """The spaces the viewer may see, newest first (the list page and the API)."""
    query = sa.select(Space).order_by(Space.id.desc())
    if role_grants(current_user, Permission.GOVERNANCE_VIEW):
        return query
    query = query.where(Space.state != SpaceState.DRAFT)
    if not current_user.is_authenticated:
        return query.where(Space.is_public)
    seated = sa.select(Seat.id).where(Seat.space_id == Space.id, Seat.user_id == current_user.id)
    return query.where(sa.or_(Space.is_public, seated.exists()))


@bp.route("/governance")
@public
def index():
    page = pagination.paginate(visible_spaces(), PER_PAGE, count=False)
    return render_template("governance/index.html", page=page, spaces=page.items)


def _roster(space: Space, per_page: int, *, page: int | None = None):
    query = (
        sa.select(Seat)
        .where(Seat.space_id == space.id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.role, Seat.id)
    )
    return pagination.paginate(query, per_page, page=page, count=False)


@bp.route("/governance/spaces/<int:space_id>")
@public
def space(space_id: int):
    found = policies.space_or_404(current_user, space_id)
    consultations = db.session.scalars(
        sa.select(Consultation).where(Consultation.space_id == found.id).order_by(Consultation.id.desc())
    ).all()
    if not can(Permission.GOVERNANCE_CONVENE, found):
        consultations = [c for c in consultations if c.state is not ConsultationState.DRAFT]
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.space_id == found.id).order_by(Meeting.starts_at.desc()).limit(5)
    ).all()
    return render_template(
        "governance/space.html",
        space=found,
        roster=_roster(found, 12, page=1),
        consultations=consultations,
        meetings=meetings,
        debt=reporting.response_debt(found),
        transitions=sorted(SPACE_TRANSITIONS[found.state]),
    )


@bp.route("/governance/spaces/<int:space_id>/roster")
@public
def roster(space_id: int):
    found = policies.space_or_404(current_user, space_id)
    page = _roster(found, ROSTER_PER_PAGE)
    # the roles whose seats this person may end (a convenor does not end a convenor's seat)
    manage = policies.grantable_roles(current_user, found) if current_user.is_authenticated else None
    return render_template("governance/roster.html", space=found, page=page, seats=page.items, manage=manage)


@bp.route("/governance/spaces/new", methods=["GET", "POST"])
@require(Permission.GOVERNANCE_MANAGE)
def create():
    form = SpaceForm(systems=all_systems())
    if form.validate_on_submit():
        try:
            with transaction.action():
                earlier = first_submission(form)
                if earlier is None:
                    created = services.create_space(
                        by=current_person(), slug=form.slug.data, **form.space_fields()
                    )
                    url = url_for("governance.space", space_id=created.id)
                    remember_result(form, url)
        except services.SlugTaken as error:
            form.slug.errors = [str(error.message)]
        else:
            if earlier is not None:
                return redirect(earlier.result_url or url_for("governance.index"))
            flash(_("The space was created as a draft."), "success")
            return redirect(url)
    return render_template("governance/space_form.html", form=form, space=None)


@bp.route("/governance/spaces/<int:space_id>/edit", methods=["GET", "POST"])
@require(Permission.GOVERNANCE_MANAGE)
def edit(space_id: int):
    found = db.session.get(Space, space_id) or abort(404)
    form = SpaceForm(obj=found, systems=all_systems())
    form.slug.data = found.slug  # the address never changes once people link to it
    if request.method == "GET":
        form.version.data = found.version
        form.fill_texts(found)
    if form.validate_on_submit():
        saved = save_edit(form, found, lambda: services.update_space(found, **form.space_fields()))
        if saved is not None:
            return edit_conflict(
                form,
                saved,
                _(
                    "Someone else saved this space while you were editing. Your changes are below; "
                    "check them against the saved version and save again."
                ),
                "governance/space_form.html",
                space=saved,
            )
        flash(_("The space was saved."), "success")
        return redirect(url_for("governance.space", space_id=found.id))
    return render_template("governance/space_form.html", form=form, space=found)


@bp.route("/governance/spaces/<int:space_id>/state/<any(active, paused, archived):state>", methods=["POST"])
@require(Permission.GOVERNANCE_MANAGE)
def change_state(space_id: int, state: str):
    found = db.session.get(Space, space_id) or abort(404)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.change_state(found, SpaceState(state), by=current_person())
        except services.InvalidTransition as error:
            flash(str(error.message), "error")
        else:
            flash(_("The space is now: %(state)s.", state=SpaceState(state).label), "success")
    return redirect(url_for("governance.space", space_id=space_id))
