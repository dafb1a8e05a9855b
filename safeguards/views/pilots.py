"""DPI systems and pilots: creating them, the pilot page, its team and starting a cycle."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.db import db
from consortium.forms import OnceForm, PostForm, first_submission, remember_result
from consortium.permissions import Permission, can, require
from consortium.reference.systems import DpiSystem, SystemExists, SystemKind, all_systems, create_system
from consortium.users import current_person
from consortium.users.models import User
from safeguards import policies, services
from safeguards.forms import MemberForm, PilotForm, SystemForm
from safeguards.models import Assessment, TeamRole
from safeguards.views import bp, presenter


@bp.route("/safeguards/systems/new", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def new_system():
    form = SystemForm()
    if form.validate_on_submit():
        url = url_for("safeguards.index")
        try:
            with transaction.action():
                earlier = first_submission(form)
                if earlier is None:
                    create_system(
                        slug=form.slug.data,
                        name=form.name.data,
                        countries=form.countries.data,
                        kind=SystemKind(form.kind.data),
                        operator=form.operator.data,
                        description=form.description.data or "",
                    )
                    remember_result(form, url)
        except SystemExists:
            form.slug.errors.append(_("Another system already uses this short name."))
        else:
            if earlier is not None:
                return redirect(earlier.result_url or url)
            flash(_("The DPI system was added."), "success")
            return redirect(url)
    return render_template("safeguards/system_form.html", form=form)


@bp.route("/safeguards/pilots/new", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def new_pilot():
    systems = all_systems()
    form = PilotForm(systems)
    if form.validate_on_submit():
        lead = db.session.scalar(sa.select(User).where(User.email == form.lead_email.data.strip().lower()))
        if lead is None:
            form.lead_email.errors.append(_("Nobody has an account with this e-mail address yet."))
        else:
            system = db.session.get(DpiSystem, int(form.system.data))
            with transaction.action():
                earlier = first_submission(form)
                if earlier is None:
                    pilot = services.create_pilot(
                        system, form.country.data, form.title.data, lead=lead, by=current_person()
                    )
                    url = url_for("safeguards.pilot", pilot_id=pilot.id)
                    remember_result(form, url)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("safeguards.index"))
            flash(_("The pilot was created."), "success")
            return redirect(url)
    return render_template("safeguards/pilot_form.html", form=form)


@bp.route("/safeguards/pilots/<int:pilot_id>")
@require()
def pilot(pilot_id: int):
    return _pilot_page(policies.pilot_or_404(pilot_id))


def _pilot_page(pilot, *, member_form: MemberForm | None = None, status: int = 200):
    """The pilot's page; after a refused addition, with that form's errors and what was typed."""
    assessments = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.pilot_id == pilot.id, policies.visible_assessments(current_user))
        .options(joinedload(Assessment.framework))
        .order_by(Assessment.cycle)
    ).all()
    return render_template(
        "safeguards/pilot.html",
        pilot=pilot,
        assessments=assessments,
        trend=presenter.cycle_scores(assessments),
        member_form=member_form or MemberForm(roles=policies.roles_offered(current_user)),
        cycle_form=OnceForm(),
        post_form=PostForm(),
        may_manage=policies.may_manage_team(current_user, pilot),
        removable={m.id for m in pilot.members if policies.may_remove(current_user, m)},
        may_start=policies.is_team(current_user, pilot) or can(Permission.SAFEGUARDS_MANAGE),
    ), status


@bp.route("/safeguards/pilots/<int:pilot_id>/members", methods=["POST"])
@require()
def add_member(pilot_id: int):
    pilot = policies.pilot_or_404(pilot_id)
    if not policies.may_manage_team(current_user, pilot):
        abort(403)
    form = MemberForm()
    if not form.validate_on_submit():
        return _pilot_page(pilot, member_form=form, status=422)
    role = TeamRole(form.role.data)
    user = db.session.scalar(sa.select(User).where(User.email == form.email.data.strip().lower()))
    if user is None:
        form.email.errors.append(_("Nobody has an account with this e-mail address yet."))
    elif user.id == current_user.id:
        form.email.errors.append(
            _("You cannot add yourself to a pilot or change your own role. Ask an admin.")
        )
    elif not policies.may_give_role(current_user, pilot, user, role):
        abort(403)
    else:
        try:
            with transaction.action():
                services.add_member(pilot, user, role, by=current_person())
        except services.ReviewerNotStaff:
            form.role.errors.append(_("Reviewers must be consortium staff."))
        else:
            flash(_("%(name)s is now on the pilot as %(role)s.", name=user.name, role=role.label), "success")
            return redirect(url_for("safeguards.pilot", pilot_id=pilot.id))
    return _pilot_page(pilot, member_form=form, status=422)


@bp.route("/safeguards/pilots/<int:pilot_id>/members/<int:member_id>/remove", methods=["POST"])
@require()
def remove_member(pilot_id: int, member_id: int):
    pilot = policies.pilot_or_404(pilot_id)
    member = next((m for m in pilot.members if m.id == member_id), None)
    if member is None:
        abort(404)
    if not policies.may_remove(current_user, member):
        abort(403)
    leads = [m for m in pilot.members if m.role is TeamRole.LEAD]
    if member.role is TeamRole.LEAD and len(leads) == 1:
        flash(_("A pilot needs a lead. Make someone else lead first."), "error")
    elif PostForm().validate_on_submit():
        with transaction.action():
            services.remove_member(member, by=current_person())
        flash(_("The person was removed from the pilot."), "success")
    return redirect(url_for("safeguards.pilot", pilot_id=pilot.id))


@bp.route("/safeguards/pilots/<int:pilot_id>/cycles", methods=["POST"])
@require()
def start_cycle(pilot_id: int):
    pilot = policies.pilot_or_404(pilot_id)
    if not (policies.is_team(current_user, pilot) or can(Permission.SAFEGUARDS_MANAGE)):
        abort(403)
    form = OnceForm()
    here = url_for("safeguards.pilot", pilot_id=pilot.id)
    if not form.validate_on_submit():
        return redirect(here)
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                assessment = services.start_assessment(pilot, by=current_person())
                url = url_for("safeguards.scope", assessment_id=assessment.id)
                remember_result(form, url)
    except services.SafeguardsError:
        flash(_("Finish and approve the current cycle before starting a new one."), "error")
        return redirect(here)
    if earlier is not None:
        return redirect(earlier.result_url or here)
    flash(_("A new assessment cycle started from a copy of the last one."), "success")
    return redirect(url)
