"""A consultation: its document and contributions for everyone who sees the space, the contribution
form for those who may take part, and the convenor's steps (sections, dates, each move of its life).
What happens to a contribution once written lives in ``contributions``, the official responses' pages
in ``responses``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import consultables, transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, first_submission, save_edit
from consortium.governance import listing, policies, reporting, services
from consortium.governance.forms import (
    ConsultationForm,
    ContributionForm,
    ModerationForm,
    ScheduleForm,
    SectionForm,
)
from consortium.governance.models import Consultation, ConsultationState, Eligibility, Moderation, Section
from consortium.governance.services.responses import response_for
from consortium.governance.views import bp
from consortium.i18n import LANGUAGES, current_language
from consortium.i18n import lazy_gettext as _l
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
    documents = consultables.documents_for(space.system_id)
    form = ConsultationForm(documents=documents)
    if request.method == "GET":
        form.language.data = space.main_language
    if form.validate_on_submit():
        try:
            with transaction.action():
                earlier = first_submission(form)
                created = earlier or services.create_consultation(
                    space,
                    by=current_person(),
                    title=form.title.data,
                    language=form.language.data,
                    eligibility=Eligibility(form.eligibility.data),
                    moderation=Moderation(form.moderation.data),
                    document=next((d for d in documents if d.key == form.source.data), None),
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
    return page(found)


def contribution_form(section: Section, **kwargs) -> ContributionForm:
    # one form per section, its field names prefixed, so ids stay unique and each keeps its own text;
    # by default in the author's language, and for the organisation of their seat if they hold one
    viewer = current_person()
    language = viewer.locale if getattr(viewer, "locale", None) in LANGUAGES else current_language()
    organisations = policies.organisations_for(viewer)
    seat = policies.seat_of(viewer, section.consultation.space_id)
    acting_for = seat.organisation_id if seat and seat.organisation_id in {o.id for o in organisations} else 0
    return ContributionForm(
        prefix=f"s{section.id}",
        organisations=organisations,
        language=language,
        organisation_id=acting_for,
        **kwargs,
    )


def _approved(response) -> bool:
    return response is not None and response.is_approved


def page(found: Consultation, typed: ContributionForm | None = None, section_id: int | None = None):
    """The consultation page; after a refused contribution, with what was typed under its section."""
    viewer = current_person()
    shown = listing.contributions_for(viewer, found)
    responses = response_for(c.id for c in shown.contributions)
    drafts = policies.sees_drafts(viewer, found)
    first = next((c for c in shown.contributions if c.is_published), None)  # answering is asked once
    may_contribute = can(Permission.GOVERNANCE_CONTRIBUTE, found)
    return render_template(
        "governance/consultation.html",
        consultation=found,
        space=found.space,
        by_section=shown.by_section(),
        supports=shown.supports,
        supported=shown.supported,
        cosigning=listing.cosigning_choices(viewer, shown),
        responses=responses,
        waiting=sum(c.is_published and not _approved(responses.get(c.id)) for c in shown.contributions),
        debt=reporting.response_debt(found.space, consultation_id=found.id),
        may_contribute=may_contribute,
        refusal=policies.eligibility_refusal(viewer, found),
        may_convene=can(Permission.GOVERNANCE_CONVENE, found),
        may_moderate=can(Permission.GOVERNANCE_MODERATE, found),
        may_respond=first is not None and can(Permission.GOVERNANCE_RESPOND, first),
        shows_response=lambda c, r: policies.response_is_visible(
            viewer, r, author_id=c.author_id, drafts=drafts
        ),
        may_approve=lambda r: policies.may_approve(viewer, r),
        steps=_STEPS,
        # forms only for people who use them: a form makes a CSRF token, and so a session for every reader
        contribution_forms={
            s.id: typed if s.id == section_id else contribution_form(s, formdata=None) for s in found.sections
        }
        if may_contribute
        else {},
        post_form=PostForm() if viewer.is_authenticated else None,  # approving a response (signed in)
        moderation_form=lambda c: ModerationForm(prefix=f"m{c.id}", formdata=None),
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


#: each step's service, the states it starts from (for the page's buttons) and its confirmation
_STEPS = {
    "schedule": (
        services.schedule,
        (ConsultationState.DRAFT,),
        _l("The consultation is scheduled: it opens and closes by itself at the times set."),
    ),
    "unschedule": (
        services.unschedule,
        (ConsultationState.SCHEDULED,),
        _l("The consultation is a draft again."),
    ),
    "open": (
        services.open_consultation,
        (ConsultationState.DRAFT, ConsultationState.SCHEDULED),
        _l("The consultation is open for contributions."),
    ),
    "close": (
        services.close_consultation,
        (ConsultationState.OPEN,),
        _l("The consultation is closed: the official responses can now be drafted."),
    ),
    "respond": (
        services.start_responding,
        (ConsultationState.CLOSED,),
        _l("The official responses are being prepared."),
    ),
    "publish": (
        services.publish_responses,
        (ConsultationState.CLOSED, ConsultationState.RESPONDING),
        _l("The official responses are published and every author was told."),
    ),
    "archive": (services.archive, (ConsultationState.PUBLISHED,), _l("The consultation is archived.")),
}


@bp.route(
    "/governance/consultations/<int:consultation_id>/"
    "<any(schedule, unschedule, open, close, respond, publish, archive):step>",
    methods=["POST"],
)
@require()
def consultation_step(consultation_id: int, step: str):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    _convened_or_403(found)
    if PostForm().validate_on_submit():
        act, _from, done = _STEPS[step]
        try:
            with transaction.action():
                act(found, by=current_person())
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(str(done), "success")
    return redirect(url_for("governance.consultation", consultation_id=consultation_id))


@bp.route("/governance/consultations/<int:consultation_id>/dates", methods=["GET", "POST"])
@require()
def consultation_dates(consultation_id: int):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    _convened_or_403(found)
    zone = found.space.timezone
    form = ScheduleForm()
    if request.method == "GET":
        form.fill(found, zone)
    if form.validate_on_submit():
        try:
            with transaction.action():
                services.set_schedule(found, **form.moments(zone))
        except services.ConsultationLocked as error:
            flash(str(error.message), "error")
            return redirect(url_for("governance.consultation", consultation_id=found.id))
        except services.GovernanceError as error:
            form.closes_at.errors = [*form.closes_at.errors, str(error.message)]
        else:
            flash(_("The dates were saved."), "success")
            return redirect(url_for("governance.consultation", consultation_id=found.id))
    return render_template(
        "governance/consultation_dates.html", consultation=found, space=found.space, form=form
    )
