"""Decisions: the public list per space (with a CSV export) and one decision's page, and the convenor's
form to record one, at a meeting or on its own, with each seat's position."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from consortium import pagination, transaction, validations
from consortium.csvexport import csv_response
from consortium.dates import iso
from consortium.db import db
from consortium.forms import first_submission
from consortium.governance import balance, policies, services
from consortium.governance.contribution_models import Contribution
from consortium.governance.meeting_forms import DecisionForm
from consortium.governance.models import Consultation, ConsultationState, Seat, Space
from consortium.governance.records import (
    DecisionKind,
    DecisionMethod,
    DecisionVote,
    Meeting,
    Position,
    SpaceDecision,
)
from consortium.governance.views import bp
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person

PER_PAGE = 20
POSITION_FIELDS = {
    "supported": Position.SUPPORTED,
    "opposed": Position.OPPOSED,
    "abstained": Position.ABSTAINED,
}


def _decisions(space: Space) -> sa.Select:
    return (
        sa.select(SpaceDecision)
        .where(SpaceDecision.space_id == space.id)
        .options(
            joinedload(SpaceDecision.meeting),
            # one query with the page's decisions (the pagination limits them in a subquery first)
            joinedload(SpaceDecision.votes).joinedload(DecisionVote.organisation),
        )
        .order_by(SpaceDecision.decided_at.desc(), SpaceDecision.id.desc())
    )


@bp.route("/governance/spaces/<int:space_id>/decisions")
@public
def decisions(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    page = pagination.paginate(_decisions(space), PER_PAGE, count=False)
    return render_template("governance/decisions.html", space=space, page=page, decisions=page.items)


def _vote_cell(vote: DecisionVote) -> str:
    return f"{vote.organisation.name if vote.organisation else '-'} ({vote.sector.value})"


@bp.route("/governance/spaces/<int:space_id>/decisions.csv")
@public
def decisions_csv(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    rows = []
    found = db.session.scalars(_decisions(space).options(selectinload(SpaceDecision.contributions))).unique()
    for decision in found:
        tally = decision.seats_by_position()
        rows.append(
            [
                decision.id,
                iso(decision.decided_at),
                decision.meeting.title if decision.meeting else "",
                decision.language,
                decision.text,
                decision.rationale,
                " ".join(decision.principles),
                *("; ".join(_vote_cell(vote) for vote in tally[p]) for p in Position),
                " ".join(str(c.id) for c in decision.contributions),
                decision.kind.value,
                decision.method.value,
                decision.dissent,
            ]
        )
    header = ["id", "decided_at", "meeting", "language", "text", "rationale", "principles"]
    header += [*(p.value for p in Position), "contributions", "kind", "method", "dissent"]
    return csv_response(header, rows, f"decisions-{space.id}.csv")


@bp.route("/governance/decisions/<int:decision_id>")
@public
def decision(decision_id: int):
    found = db.session.get(SpaceDecision, decision_id) or abort(404)
    space = policies.space_or_404(current_user, found.space_id)
    return render_template(
        "governance/decision.html",
        decision=found,
        space=space,
        balance=balance.of_decision(found),
        # a contribution is shown (and linked) only where its consultation is visible to this reader
        contributions=[c for c in found.contributions if c.consultation.state is not ConsultationState.DRAFT],
    )


def _choices(space: Space) -> dict:
    seats = db.session.scalars(
        sa.select(Seat)
        .where(Seat.space_id == space.id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.sector, Seat.id)
    ).all()
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.space_id == space.id).order_by(Meeting.starts_at.desc()).limit(50)
    ).all()
    contributions = db.session.scalars(
        sa.select(Contribution)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Consultation.space_id == space.id)
        .order_by(Contribution.id.desc())
        .limit(200)
    ).all()
    validatable = validations.validatable_for(space.system_id)
    return {"seats": seats, "meetings": meetings, "contributions": contributions, "validatable": validatable}


@bp.route("/governance/spaces/<int:space_id>/decisions/new", methods=["GET", "POST"])
@require()
def new_decision(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    if not can(Permission.GOVERNANCE_CONVENE, space):
        abort(403)
    form = DecisionForm(**_choices(space))
    if request.method == "GET":
        form.language.data = space.main_language
        form.meeting_id.data = request.args.get("meeting_id", 0, type=int)
    if form.validate_on_submit():
        meeting = db.session.get(Meeting, form.meeting_id.data) if form.meeting_id.data else None
        positions = {
            seat_id: position
            for name, position in POSITION_FIELDS.items()
            for seat_id in form[name].data or []
        }
        try:
            with transaction.action():
                earlier = first_submission(form)
                created = earlier or services.record_decision(
                    space,
                    by=current_person(),
                    text=form.text.data,
                    rationale=form.rationale.data,
                    language=form.language.data,
                    meeting=meeting,
                    positions=positions,
                    contribution_ids=set(form.contributions.data or []),
                    principles=form.principles.data or [],
                    kind=DecisionKind(form.kind.data),
                    method=DecisionMethod(form.method.data),
                    dissent=form.dissent.data or "",
                    validates=form.validates.data or "",
                )
        except services.GovernanceError as error:
            flash(str(error.message), "error")  # shown above what was typed
        else:
            if earlier is not None:
                return redirect(url_for("governance.decisions", space_id=space.id))
            flash(_("The decision was published; the space's followers are told."), "success")
            return redirect(url_for("governance.decision", decision_id=created.id))
    return render_template("governance/decision_form.html", space=space, form=form)
