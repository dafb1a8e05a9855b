"""A consultation: its document and contributions for everyone who sees the space, the contribution
form for seat holders, and the convenor's steps (sections, opening, official responses, closing)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, first_submission, save_edit
from consortium.governance import policies, services
from consortium.governance.forms import ConsultationForm, ContributionForm, ResponseForm, SectionForm
from consortium.governance.models import Consultation, Contribution, Disposition, Section
from consortium.governance.views import bp
from consortium.i18n import current_language
from consortium.permissions import Permission, can, public, require, visible_or_404
from consortium.users import current_person


def _convened_or_403(consultation: Consultation) -> None:
    if not can(Permission.GOVERNANCE_CONVENE, consultation):
        abort(403)


@bp.route("/governance/spaces/<int:space_id>/consultations/new", methods=["GET", "POST"])
@require()
def new_consultation(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    if not can(Permission.GOVERNANCE_CONVENE, space):
        abort(403)
    form = ConsultationForm()
    if request.method == "GET":
        form.language.data = space.main_language
    if form.validate_on_submit():
        try:
            with transaction.action():
                earlier = first_submission(form)
                created = earlier or services.create_consultation(
                    space, by=current_person(), title=form.title.data, language=form.language.data
                )
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            if earlier is not None:
                return redirect(url_for("governance.space", space_id=space.id))
            flash(_("The consultation was created as a draft: write its sections, then open it."), "success")
            return redirect(url_for("governance.consultation", consultation_id=created.id))
    return render_template("governance/consultation_form.html", space=space, form=form)


@bp.route("/governance/consultations/<int:consultation_id>")
@public
def consultation(consultation_id: int):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    return _page(found)


def _contribution_form(section_id: int, **kwargs) -> ContributionForm:
    # one form per section, its field names prefixed, so ids stay unique and each keeps its own text
    return ContributionForm(prefix=f"s{section_id}", **kwargs)


def _page(found: Consultation, typed: ContributionForm | None = None, section_id: int | None = None):
    """The consultation page; after a refused contribution, with what was typed under its section."""
    contributions = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.consultation_id == found.id)
        .options(joinedload(Contribution.author), joinedload(Contribution.organisation))
        .order_by(Contribution.id)
    ).all()
    by_section: dict[int, list[Contribution]] = {}
    for contribution in contributions:
        by_section.setdefault(contribution.section_id, []).append(contribution)
    viewer = current_person()
    may_contribute = can(Permission.GOVERNANCE_CONTRIBUTE, found)
    return render_template(
        "governance/consultation.html",
        consultation=found,
        space=found.space,
        by_section=by_section,
        waiting=sum(not c.is_answered for c in contributions),
        may_contribute=may_contribute,
        may_convene=can(Permission.GOVERNANCE_CONVENE, found),
        may_respond=bool(contributions) and can(Permission.GOVERNANCE_RESPOND, contributions[0]),
        shows_response=lambda c: policies.response_is_visible(viewer, c),
        # only for people who may write: a form makes a CSRF token, and so a session for every reader
        contribution_forms={
            s.id: typed if s.id == section_id else _contribution_form(s.id, formdata=None)
            for s in found.sections
        }
        if may_contribute
        else {},
    )


@bp.route("/governance/sections/<int:section_id>/contributions", methods=["POST"])
@require()
def contribute(section_id: int):
    section = db.session.get(Section, section_id) or abort(404)
    consultation = visible_or_404(Consultation, section.consultation_id, Permission.GOVERNANCE_VIEW)
    if not can(Permission.GOVERNANCE_CONTRIBUTE, consultation):
        abort(403)
    form = _contribution_form(section.id)
    if not form.validate_on_submit():
        return _page(consultation, form, section.id)
    seat = policies.seat_of(current_person(), consultation.space_id)
    try:
        with transaction.action():
            if first_submission(form) is None:
                services.contribute(
                    section,
                    by=current_person(),
                    organisation_id=seat.organisation_id if seat else None,
                    body=form.body.data,
                )
    except services.ConsultationLocked as error:
        flash(str(error.message), "error")
    else:
        flash(_("Thank you: your contribution was added. The convenor will answer it."), "success")
    return redirect(
        url_for("governance.consultation", consultation_id=consultation.id, _anchor=f"s{section.id}")
    )


@bp.route("/governance/consultations/<int:consultation_id>/sections/new", methods=["GET", "POST"])
@require()
def new_section(consultation_id: int):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    _convened_or_403(found)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.add_section(found, heading=form.heading.data, body=form.body.data or "")
        except services.ConsultationLocked as error:
            flash(str(error.message), "error")
        else:
            flash(_("The section was added."), "success")
            return redirect(url_for("governance.consultation", consultation_id=found.id))
    return render_template("governance/section_form.html", consultation=found, section=None, form=form)


@bp.route("/governance/sections/<int:section_id>/edit", methods=["GET", "POST"])
@require()
def edit_section(section_id: int):
    section = db.session.get(Section, section_id) or abort(404)
    found = visible_or_404(Consultation, section.consultation_id, Permission.GOVERNANCE_VIEW)
    _convened_or_403(found)
    form = SectionForm(obj=section)
    if request.method == "GET":
        form.version.data = section.version
    if form.validate_on_submit():
        try:
            saved = save_edit(
                form,
                section,
                lambda: services.update_section(
                    section, heading=form.heading.data, body=form.body.data or ""
                ),
            )
        except services.ConsultationLocked as error:
            flash(str(error.message), "error")
            return redirect(url_for("governance.consultation", consultation_id=found.id))
        if saved is not None:
            return edit_conflict(
                form,
                saved,
                _(
                    "Someone else saved this section while you were editing. Your changes are below; "
                    "check them against the saved version and save again."
                ),
                "governance/section_form.html",
                consultation=found,
                section=saved,
            )
        flash(_("The section was saved."), "success")
        return redirect(
            url_for("governance.consultation", consultation_id=found.id, _anchor=f"s{section.id}")
        )
    return render_template("governance/section_form.html", consultation=found, section=section, form=form)


@bp.route("/governance/consultations/<int:consultation_id>/<any(open, close):step>", methods=["POST"])
@require()
def consultation_step(consultation_id: int, step: str):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    _convened_or_403(found)
    if PostForm().validate_on_submit():
        act = services.open_consultation if step == "open" else services.close_consultation
        try:
            with transaction.action():
                act(found, by=current_person())
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("The consultation is open for contributions.")
                if step == "open"
                else _("The consultation is closed; its official responses are now public."),
                "success",
            )
    return redirect(url_for("governance.consultation", consultation_id=consultation_id))


@bp.route("/governance/contributions/<int:contribution_id>/respond", methods=["GET", "POST"])
@require()
def respond(contribution_id: int):
    contribution = db.session.get(Contribution, contribution_id) or abort(404)
    found = visible_or_404(Consultation, contribution.consultation_id, Permission.GOVERNANCE_VIEW)
    if not can(Permission.GOVERNANCE_RESPOND, contribution):
        abort(403)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.respond(
                        contribution,
                        by=current_person(),
                        disposition=Disposition(form.disposition.data),
                        reason=form.reason.data,
                    )
        except (services.AlreadyAnswered, services.ConsultationLocked) as error:
            flash(str(error.message), "error")
            return redirect(url_for("governance.consultation", consultation_id=found.id))
        except services.GovernanceError as error:
            form.reason.errors = [str(error.message)]
        else:
            flash(_("The response was saved and its author told."), "success")
            return redirect(
                url_for("governance.consultation", consultation_id=found.id, _anchor=f"c{contribution.id}")
            )
    return render_template(
        "governance/respond.html",
        consultation=found,
        contribution=contribution,
        form=form,
        language=current_language(),
    )
