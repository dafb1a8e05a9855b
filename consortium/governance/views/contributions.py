"""Writing a contribution under a section, and what follows it: supporting it, co-signing it for an
organisation, and the moderators publishing or hiding it. Every action is a plain POST form (with its
CSRF token) that works without JavaScript and comes back to the contribution on the page."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission
from consortium.governance import policies, services
from consortium.governance.contribution_models import Contribution, ContributionKind, Visibility
from consortium.governance.forms import CosignForm, ModerationForm
from consortium.governance.models import Consultation, Moderation, Section
from consortium.governance.views import bp
from consortium.governance.views.consultations import contribution_form, page
from consortium.permissions import Permission, can, require, visible_or_404
from consortium.users import current_person


def _back(contribution: Contribution):
    return redirect(
        url_for(
            "governance.consultation",
            consultation_id=contribution.consultation_id,
            _anchor=f"c{contribution.id}",
        )
    )


def _contribution_or_404(contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id) or abort(404)
    visible_or_404(Consultation, contribution.consultation_id, Permission.GOVERNANCE_VIEW)
    if not can(Permission.GOVERNANCE_VIEW, contribution):
        abort(404)
    return contribution


@bp.route("/governance/sections/<int:section_id>/contributions", methods=["POST"])
@require()
def contribute(section_id: int):
    section = db.session.get(Section, section_id) or abort(404)
    consultation = visible_or_404(Consultation, section.consultation_id, Permission.GOVERNANCE_VIEW)
    if not can(Permission.GOVERNANCE_CONTRIBUTE, consultation):
        abort(403)
    form = contribution_form(section)
    if not form.validate_on_submit():
        return page(consultation, form, section.id)
    if not policies.may_act_for(current_person(), form.organisation):
        abort(403)  # the form offers only the person's organisations: this was crafted
    try:
        with transaction.action():
            if first_submission(form) is None:
                services.contribute(
                    section,
                    by=current_person(),
                    organisation_id=form.organisation,
                    body=form.body.data,
                    kind=ContributionKind(form.kind.data),
                    language=form.language.data,
                    link=form.link.data or "",
                )
    except services.ConsultationLocked as error:
        flash(str(error.message), "error")
    else:
        flash(
            _("Thank you: your contribution waits for a moderator, who will publish it.")
            if consultation.moderation is Moderation.PRE
            else _("Thank you: your contribution was added. It gets its official response after the close."),
            "success",
        )
    return redirect(
        url_for("governance.consultation", consultation_id=consultation.id, _anchor=f"s{section.id}")
    )


@bp.route("/governance/contributions/<int:contribution_id>/<any(publish, hide):step>", methods=["POST"])
@require()
def moderate(contribution_id: int, step: str):
    contribution = _contribution_or_404(contribution_id)
    if not can(Permission.GOVERNANCE_MODERATE, contribution):
        abort(403)
    form = ModerationForm(prefix=f"m{contribution.id}")
    if form.validate_on_submit():
        to = Visibility.PUBLISHED if step == "publish" else Visibility.HIDDEN
        try:
            with transaction.action():
                services.moderate(contribution, by=current_person(), to=to, reason=form.reason.data or "")
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("The contribution is published.")
                if to is Visibility.PUBLISHED
                else _("The contribution is hidden; its author sees why."),
                "success",
            )
    return _back(contribution)


@bp.route("/governance/contributions/<int:contribution_id>/<any(support, withdraw):step>", methods=["POST"])
@require()
def support(contribution_id: int, step: str):
    contribution = _contribution_or_404(contribution_id)
    if not can(Permission.GOVERNANCE_CONTRIBUTE, contribution):
        abort(403)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                if step == "support":
                    services.support(contribution, current_person())
                else:
                    services.withdraw_support(contribution, current_person())
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("You support this contribution.")
                if step == "support"
                else _("You no longer support this contribution."),
                "success",
            )
    return _back(contribution)


@bp.route("/governance/contributions/<int:contribution_id>/cosign", methods=["POST"])
@require()
def cosign(contribution_id: int):
    contribution = _contribution_or_404(contribution_id)
    organisations = policies.cosigning_organisations(current_person(), contribution)
    form = CosignForm(prefix=f"k{contribution.id}", organisations=organisations)
    if not can(Permission.GOVERNANCE_CONTRIBUTE, contribution):
        abort(403)
    if form.validate_on_submit():
        try:
            with transaction.action():
                services.cosign(contribution, by=current_person(), organisation_id=form.organisation_id.data)
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Your organisation co-signs this contribution."), "success")
    elif form.organisation_id.errors:  # not one of the person's organisations, or it already co-signs
        flash(_("Your organisation cannot co-sign this contribution."), "error")
    return _back(contribution)
