"""Convenors and staff grant seats in a space and end them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission
from consortium.governance import policies, services
from consortium.governance.forms import SeatForm
from consortium.governance.models import Seat, SeatRole, Sector
from consortium.governance.views import bp
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, can, require
from consortium.users import current_person


def _verified_organisations() -> list[Organisation]:
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.verified_at.is_not(None)).order_by(Organisation.name)
    ).all()


@bp.route("/governance/spaces/<int:space_id>/seats/new", methods=["GET", "POST"])
@require()
def grant_seat(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    if not can(Permission.GOVERNANCE_SEATS, space):
        abort(403)
    by = current_person()
    form = SeatForm(organisations=_verified_organisations(), roles=policies.grantable_roles(by, space))
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.grant_seat(
                        space,
                        by=by,
                        email=form.email.data,
                        organisation_id=form.organisation_id.data,
                        sector=Sector(form.sector.data),
                        role=SeatRole(form.role.data),
                        term_starts_on=form.term_starts_on.data,
                        term_ends_on=form.term_ends_on.data,
                        interests=form.interests.data,
                    )
        except services.SeatRefused as error:
            flash(str(error.message), "error")  # shown on this page, above what was typed
        else:
            flash(_("The seat was granted."), "success")
            return redirect(url_for("governance.roster", space_id=space.id))
    return render_template("governance/seat_form.html", space=space, form=form)


@bp.route("/governance/seats/<int:seat_id>/end", methods=["POST"])
@require()
def end_seat(seat_id: int):
    seat = db.session.get(Seat, seat_id) or abort(404)
    space = policies.space_or_404(current_user, seat.space_id)
    if seat.role not in policies.grantable_roles(current_person(), space):
        abort(403)  # a convenor does not end another convenor's seat: staff do
    if PostForm().validate_on_submit():
        with transaction.action():
            services.end_seat(seat, by=current_person(), today=space.today())
        flash(_("The seat's term was ended."), "success")
    return redirect(url_for("governance.roster", space_id=space.id))
