"""Meetings: the list and page of each for everyone who sees the space, its calendar file, and the
convenor's steps (scheduling, changing, cancelling, attendance by seat); the minutes are in ``minutes``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import pagination, transaction
from consortium.calendar import CalendarEvent, ics
from consortium.db import db, utcnow
from consortium.forms import PostForm, edit_conflict, first_submission, save_edit
from consortium.governance import balance, policies, services
from consortium.governance.meeting_forms import (
    AttendanceForm,
    CancelMeetingForm,
    MeetingForm,
    MinutesCommentForm,
)
from consortium.governance.models import Seat, Space
from consortium.governance.records import Meeting, MeetingAttendance, MinutesComment, SpaceDecision
from consortium.governance.services.minutes import attendee_seat
from consortium.governance.views import bp
from consortium.mail import public_url
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person

PER_PAGE = 30


def meeting_or_404(meeting_id: int) -> Meeting:
    """The meeting if the viewer sees its space (the space's policy answers for its meetings)."""
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    policies.space_or_404(current_user, meeting.space_id)
    return meeting


def convened_or_403(space: Space) -> None:
    if not can(Permission.GOVERNANCE_CONVENE, space):
        abort(403)


@bp.route("/governance/spaces/<int:space_id>/meetings")
@public
def meetings(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    query = sa.select(Meeting).where(Meeting.space_id == space.id).order_by(Meeting.starts_at.desc())
    page = pagination.paginate(query, PER_PAGE, count=False)
    return render_template("governance/meetings.html", space=space, page=page, meetings=page.items)


@bp.route("/governance/spaces/<int:space_id>/meetings/new", methods=["GET", "POST"])
@require()
def new_meeting(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    convened_or_403(space)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                earlier = first_submission(form)
                created = earlier or services.schedule_meeting(
                    space, by=current_person(), **form.details(space.timezone)
                )
        except services.GovernanceError as error:
            flash(str(error.message), "error")  # shown above what was typed
        else:
            if earlier is not None:
                return redirect(url_for("governance.meetings", space_id=space.id))
            flash(_("The meeting was scheduled."), "success")
            return redirect(url_for("governance.meeting", meeting_id=created.id))
    return render_template("governance/meeting_form.html", space=space, form=form)


@bp.route("/governance/meetings/<int:meeting_id>")
@public
def meeting(meeting_id: int):
    found = meeting_or_404(meeting_id)
    attendance = db.session.scalars(
        sa.select(Seat)
        .join(MeetingAttendance, MeetingAttendance.seat_id == Seat.id)
        .where(MeetingAttendance.meeting_id == found.id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.sector, Seat.id)
    ).all()
    decisions = db.session.scalars(
        sa.select(SpaceDecision).where(SpaceDecision.meeting_id == found.id).order_by(SpaceDecision.id)
    ).all()
    now = utcnow()
    may_convene = can(Permission.GOVERNANCE_CONVENE, found.space)
    reviewer = attendee_seat(found, current_user) if found.draft_minutes else None
    return render_template(
        "governance/meeting.html",
        meeting=found,
        space=found.space,
        attendance=attendance,
        balance=balance.warnings({seat.sector for seat in attendance}),
        decisions=decisions,
        now=now,
        has_ended=found.has_ended(now),
        may_convene=may_convene,
        # the draft and its comments, for the convenors and the attendees who review it
        reviews=_reviews(found) if found.draft_minutes and (may_convene or reviewer) else None,
        comment_form=MinutesCommentForm() if reviewer and found.in_review(now) else None,
        post_form=PostForm(),
    )


def _reviews(meeting: Meeting) -> list[MinutesComment]:
    return db.session.scalars(
        sa.select(MinutesComment)
        .where(MinutesComment.meeting_id == meeting.id)
        .options(joinedload(MinutesComment.seat).joinedload(Seat.organisation))
        .order_by(MinutesComment.created_at, MinutesComment.id)
    ).all()


@bp.route("/governance/meetings/<int:meeting_id>.ics")
@public
def meeting_calendar(meeting_id: int):
    found = meeting_or_404(meeting_id)
    page = public_url("governance.meeting", meeting_id=found.id)
    event = CalendarEvent(
        uid=f"governance-meeting-{found.id}",
        starts_at=found.starts_at,
        ends_at=found.ends_at,
        summary=found.title,
        description="\n\n".join(part for part in (found.agenda, found.online_url, page) if part),
        location=found.place or found.online_url,
        url=page,
        cancelled=found.is_cancelled,
        sequence=found.sequence,
    )
    return Response(
        ics([event], product="Governance"),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="meeting-{found.id}.ics"'},
    )


@bp.route("/governance/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@require()
def attendance(meeting_id: int):
    found = meeting_or_404(meeting_id)
    convened_or_403(found.space)
    seats = db.session.scalars(
        sa.select(Seat)
        .where(Seat.space_id == found.space_id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.sector, Seat.id)
    ).all()
    form = AttendanceForm(seats=seats)
    if request.method == "GET":
        form.seats.data = list(
            db.session.scalars(
                sa.select(MeetingAttendance.seat_id).where(MeetingAttendance.meeting_id == found.id)
            )
        )
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.record_attendance(
                        found, by=current_person(), seat_ids=set(form.seats.data or [])
                    )
        except services.GovernanceError as error:
            flash(str(error.message), "error")  # shown above what was typed
        else:
            flash(_("The attendance was saved."), "success")
            return redirect(url_for("governance.meeting", meeting_id=found.id))
    return render_template("governance/attendance_form.html", meeting=found, space=found.space, form=form)


@bp.route("/governance/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@require()
def edit_meeting(meeting_id: int):
    found = meeting_or_404(meeting_id)
    convened_or_403(found.space)
    form = MeetingForm()
    if request.method == "GET":
        form.fill(found, found.space.timezone)
    if form.validate_on_submit():
        try:
            saved = save_edit(
                form,
                found,
                lambda: services.update_meeting(
                    found,
                    by=current_person(),
                    expected_version=int(form.version.data),
                    **form.details(found.space.timezone),
                ),
            )
        except services.GovernanceError as error:
            flash(str(error.message), "error")  # shown above what was typed
        else:
            if saved is not None:
                return edit_conflict(
                    form,
                    saved,
                    _(
                        "Someone else changed this meeting while you were editing. Your changes are below; "
                        "check them against the saved meeting and save again."
                    ),
                    "governance/meeting_form.html",
                    space=saved.space,
                    meeting=saved,
                )
            flash(_("The meeting was saved; its followers will read the change in their digest."), "success")
            return redirect(url_for("governance.meeting", meeting_id=found.id))
    return render_template("governance/meeting_form.html", space=found.space, form=form, meeting=found)


@bp.route("/governance/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@require()
def cancel_meeting(meeting_id: int):
    found = meeting_or_404(meeting_id)
    convened_or_403(found.space)
    form = CancelMeetingForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.cancel_meeting(found, by=current_person(), reason=form.reason.data)
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The meeting was cancelled."), "success")
            return redirect(url_for("governance.meeting", meeting_id=found.id))
    return render_template("governance/meeting_cancel.html", meeting=found, space=found.space, form=form)
