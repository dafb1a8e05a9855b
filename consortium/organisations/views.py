from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db, utcnow
from consortium.forms import PostForm, edit_conflict, first_submission, remember_result, save_edit
from consortium.organisations import services
from consortium.organisations.forms import FilterForm, InviteForm, OrganisationForm
from consortium.organisations.models import Invitation, Membership, Organisation, OrganisationRole
from consortium.pagination import paginate
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person

bp = Blueprint("organisations", __name__)

PAGE_SIZE = 24
EDITABLE = ("name", "country", "city", "timezone", "kind", "focus_areas", "website", "description")


def _load(slug: str, permission: Permission) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not can(Permission.ORGANISATIONS_VIEW, organisation):
        abort(404)
    if not can(permission, organisation):
        abort(403)
    return organisation


@bp.route("/organisations")
@public
def index():
    filters = FilterForm(request.args)
    filters.validate()
    show_pending = request.args.get("pending") == "1" and can(Permission.ORGANISATIONS_VERIFY)
    query = services.list_organisations(
        country=filters.country.data or None, kind=filters.kind.data or None, include_unverified=show_pending
    )
    if show_pending:
        query = query.where(Organisation.verified_at.is_(None))
    page = paginate(query, PAGE_SIZE)
    return render_template("organisations/index.html", page=page, filters=filters, show_pending=show_pending)


@bp.route("/organisations/new", methods=["GET", "POST"])
@require(Permission.ORGANISATIONS_CREATE)
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                organisation = services.create_organisation(
                    current_person(), **{field: getattr(form, field).data for field in EDITABLE}
                )
                url = url_for("organisations.detail", slug=organisation.slug)
                remember_result(form, url)
        if earlier is not None:
            return redirect(earlier.result_url or url_for("organisations.index"))
        flash(_("The organisation was created. Consortium staff will verify it soon."), "success")
        return redirect(url)
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/organisations/<slug>")
@public
def detail(slug: str):
    return _detail_page(_load(slug, Permission.ORGANISATIONS_VIEW))


def _detail_page(organisation: Organisation, *, invite_form: InviteForm | None = None, status: int = 200):
    """The organisation's page; after a refused invitation, with that form's errors and what was typed."""
    members = []
    if can(Permission.ORGANISATIONS_EDIT, organisation) or organisation.role_of(current_user):
        members = db.session.scalars(
            sa.select(Membership)
            .where(Membership.organisation_id == organisation.id)
            .options(sa.orm.joinedload(Membership.user))
            .order_by(Membership.created_at)
        ).all()
    may_invite = can(Permission.ORGANISATIONS_INVITE, organisation)
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        members=members,
        invitations=services.pending_invitations(organisation) if may_invite else [],
        may_invite=may_invite,
        now=utcnow(),
        invite_form=invite_form or InviteForm(),
        post_form=PostForm(),
    ), status


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@require()
def edit(slug: str):
    organisation = _load(slug, Permission.ORGANISATIONS_EDIT)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.version.data = organisation.version
    if form.validate_on_submit():

        def apply():
            for field in EDITABLE:
                setattr(organisation, field, getattr(form, field).data)

        saved_by_someone_else = save_edit(form, organisation, apply)
        if saved_by_someone_else is not None:
            return edit_conflict(
                form,
                saved_by_someone_else,
                _(
                    "Someone else saved this organisation while you were editing. Your changes are below, "
                    "next to the saved version; check them and save again."
                ),
                "organisations/form.html",
                organisation=saved_by_someone_else,
            )
        flash(_("The organisation was saved."), "success")
        return redirect(url_for("organisations.detail", slug=organisation.slug))
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.route("/organisations/<slug>/invite", methods=["POST"])
@require()
def invite(slug: str):
    organisation = _load(slug, Permission.ORGANISATIONS_INVITE)
    form = InviteForm()
    if form.validate_on_submit():
        with transaction.action():
            if first_submission(form) is None:
                services.invite(
                    organisation, form.email.data, OrganisationRole(form.role.data), by=current_person()
                )
        flash(_("The invitation was sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("organisations.detail", slug=slug))
    return _detail_page(organisation, invite_form=form, status=422)


@bp.route("/organisations/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@require()
def remove_member(slug: str, membership_id: int):
    organisation = _load(slug, Permission.ORGANISATIONS_EDIT)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    admins = [m for m in organisation.memberships if m.role is OrganisationRole.ADMIN]
    if PostForm().validate_on_submit():
        if membership.role is OrganisationRole.ADMIN and len(admins) == 1:
            flash(_("An organisation needs at least one admin."), "error")
        else:
            with transaction.action():
                services.remove_member(membership)
            flash(_("The person was removed from the organisation."), "success")
    return redirect(url_for("organisations.detail", slug=slug))


@bp.route("/organisations/<slug>/verify", methods=["POST"])
@require(Permission.ORGANISATIONS_VERIFY)
def verify(slug: str):
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.verify_organisation(organisation, current_person())
        flash(_("The organisation is verified."), "success")
    return redirect(url_for("organisations.detail", slug=slug))


def _pending_invitation(organisation: Organisation, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id or invitation.accepted_at:
        abort(404)
    return invitation


@bp.route("/organisations/<slug>/invitations/<int:invitation_id>/resend", methods=["POST"])
@require()
def resend_invitation(slug: str, invitation_id: int):
    organisation = _load(slug, Permission.ORGANISATIONS_INVITE)
    invitation = _pending_invitation(organisation, invitation_id)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.resend_invitation(invitation, by=current_person())
        except services.InvitationGone:
            flash(_("This invitation was accepted or withdrawn in the meantime."), "error")
        else:
            flash(
                _(
                    "A new invitation was sent to %(email)s; the earlier link no longer works.",
                    email=invitation.email,
                ),
                "success",
            )
    return redirect(url_for("organisations.detail", slug=slug))


@bp.route("/organisations/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@require()
def revoke_invitation(slug: str, invitation_id: int):
    organisation = _load(slug, Permission.ORGANISATIONS_INVITE)
    invitation = _pending_invitation(organisation, invitation_id)
    email = invitation.email
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.revoke_invitation(invitation, by=current_person())
        except services.InvitationGone:
            flash(_("This invitation was accepted or withdrawn in the meantime."), "error")
        else:
            flash(
                _("The invitation to %(email)s was withdrawn; its link no longer works.", email=email),
                "success",
            )
    return redirect(url_for("organisations.detail", slug=slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        flash(_("This invitation is invalid, was withdrawn or already used, or has expired."), "error")
        return redirect(url_for("main.home"))
    if not current_user.is_authenticated:
        return render_template("organisations/invitation.html", invitation=invitation, form=None)
    user = current_person()
    if not services.may_accept(invitation, user):
        # Nothing about the invited address is shown: whoever holds the link may not own it.
        return render_template("organisations/invitation.html", invitation=invitation, form=None), 403
    form = PostForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                services.accept_invitation(invitation, user)
        except services.InvitationGone:
            flash(_("This invitation is invalid, was withdrawn or already used, or has expired."), "error")
            return redirect(url_for("main.home"))
        flash(_("You joined %(name)s.", name=invitation.organisation.name), "success")
        return redirect(url_for("organisations.detail", slug=invitation.organisation.slug))
    return render_template("organisations/invitation.html", invitation=invitation, form=form)


@bp.route("/invitations/<int:invitation_id>/accept", methods=["POST"])
@require()
def accept_my_invitation(invitation_id: int):
    """Accept from /home: the invitation is to this account's own confirmed address, so no link needed."""
    invitation = db.session.get(Invitation, invitation_id)
    user = current_person()
    if invitation is None or not services.may_accept(invitation, user):
        abort(404)
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction.action():
            services.accept_invitation(invitation, user)
    except services.InvitationGone:
        flash(_("This invitation is invalid, was withdrawn or already used, or has expired."), "error")
        return redirect(url_for("main.my_home"))
    flash(_("You joined %(name)s.", name=invitation.organisation.name), "success")
    return redirect(url_for("organisations.detail", slug=invitation.organisation.slug))
