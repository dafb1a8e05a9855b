"""What trainings do: register people without overbooking, promote the waiting list, tell everyone.

Services flush and never commit: the view's ``transaction.action()`` does. Everything that decides
seats or a registration's state (registering, approving, rejecting, cancelling, promoting, changing the
capacity, cancelling the training) first locks the training's row with ``transaction.lock`` and only
then reads and checks: capacity, the per-organisation limit, whether the person is already registered,
the registration's current state. Concurrent requests for one training so take their turn, on
PostgreSQL (``SELECT … FOR UPDATE``) and on SQLite (one writer at a time). Seats are counted in
``trainings.confirmed_count``, changed by conditional UPDATEs (``... WHERE confirmed_count < capacity``)
that bypass the training's version counter, so taking a seat never makes a staff edit look stale.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import normalise_language
from consortium.mail import public_url, queue_email
from consortium.organisations.countries import country_name
from consortium.organisations.models import Organisation
from consortium.suggestions import Suggestion
from consortium.users.models import User
from trainings.models import (
    ACTIVE_STATES,
    ApprovalMode,
    Attendance,
    Certificate,
    DisseminationReport,
    Modality,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
    TrainingState,
)

REMINDER_AHEAD = timedelta(hours=48)


# Errors ----------------------------------------------------------------------------------------


class RegistrationError(Exception):
    """A registration that cannot be made; ``message`` is translated for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistrationNotOpen(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    pass


class NotAllowed(RegistrationError):
    pass


# Trainings -------------------------------------------------------------------------------------

Sessions = list[tuple[datetime, datetime]]


def _set_sessions(training: Training, sessions: Sessions) -> bool:
    """Replace the sessions when they differ; returns whether they changed. Keeps attended sessions."""
    wanted = sorted(sessions)
    current = [(s.starts_at, s.ends_at) for s in training.sessions]
    if current == wanted:
        return False
    by_time = {(s.starts_at, s.ends_at): s for s in training.sessions}
    training.sessions = [
        by_time.get((start, end)) or TrainingSession(starts_at=start, ends_at=end) for start, end in wanted
    ]
    training.starts_at = wanted[0][0] if wanted else None
    training.ends_at = max(end for _, end in wanted) if wanted else None
    return True


def create_training(*, by: User | None, sessions: Sessions, **fields) -> Training:
    training = Training(created_by_id=by.id if by else None, **fields)
    _set_sessions(training, sessions)
    db.session.add(training)
    db.session.flush()
    signals.state_changed.send(training, action="trainings.training_created", by=by)
    return training


#: Changes that people who registered must hear about.
NOTIFY_ON = ("venue", "city", "country", "online_url", "modality", "timezone")


def update_training(training: Training, *, by: User | None, sessions: Sessions | None = None, **fields):
    """Apply edits; tell active registrants when dates or place changed; fill seats a raise freed."""
    changed = False
    for name, value in fields.items():
        if getattr(training, name) != value:
            changed = changed or name in NOTIFY_ON
            setattr(training, name, value)
    if sessions is not None:
        changed = _set_sessions(training, sessions) or changed
    db.session.flush()  # first, so the version counter still catches an edit saved in between
    training = transaction.lock(Training, training.id)
    promoted = fill_free_seats(training)
    if changed and training.state is TrainingState.PUBLISHED:
        for registration in _registrations(training, ACTIVE_STATES):
            if registration not in promoted:
                notify(registration, "changed")
    signals.state_changed.send(training, action="trainings.training_updated", by=by)
    return training


def publish(training: Training, *, by: User | None) -> None:
    training = transaction.lock(Training, training.id)
    training.state = TrainingState.PUBLISHED
    db.session.flush()
    signals.state_changed.send(training, action="trainings.training_published", by=by)


def cancel_training(training: Training, *, by: User | None) -> int:
    """Cancel and tell everyone who registered and has not left. Returns how many were told."""
    training = transaction.lock(Training, training.id)  # registrations after this one are refused
    training.state = TrainingState.CANCELLED
    db.session.flush()
    told = 0
    for registration in _registrations(training, ACTIVE_STATES):
        notify(registration, "training_cancelled")
        told += 1
    signals.state_changed.send(training, action="trainings.training_cancelled", by=by)
    return told


def _registrations(training: Training, states: Iterable[RegistrationState]) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.training_id == training.id, Registration.state.in_(list(states)))
            .options(sa.orm.joinedload(Registration.user))
            .order_by(Registration.id)
        )
    )


# Seats -----------------------------------------------------------------------------------------
# Everything here runs with the training locked (see the module's docstring).


def _take_seat(training_id: int) -> bool:
    """Take one seat; False when the training is full."""
    result = db.session.execute(
        sa.update(Training)
        .where(Training.id == training_id, Training.confirmed_count < Training.capacity)
        .values(confirmed_count=Training.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seat(training_id: int) -> None:
    db.session.execute(
        sa.update(Training)
        .where(Training.id == training_id, Training.confirmed_count > 0)
        .values(confirmed_count=Training.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )


def _organisation_full(training: Training, organisation_id: int | None) -> bool:
    if not training.seats_per_organisation or organisation_id is None:
        return False
    confirmed = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.training_id == training.id,
            Registration.organisation_id == organisation_id,
            Registration.state == RegistrationState.CONFIRMED,
        )
    )
    return confirmed >= training.seats_per_organisation


def _confirm(registration: Registration) -> None:
    registration.state = RegistrationState.CONFIRMED
    registration.confirmed_at = utcnow()
    registration.waitlisted_at = None
    db.session.flush()


def _seat_or_waitlist(registration: Registration) -> RegistrationState:
    training = registration.training
    if not _organisation_full(training, registration.organisation_id) and _take_seat(training.id):
        _confirm(registration)
    else:
        registration.state = RegistrationState.WAITLISTED
        registration.waitlisted_at = registration.waitlisted_at or utcnow()
        db.session.flush()
    return registration.state


def fill_free_seats(training: Training) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free. Returns the promoted.

    Someone whose organisation has used its seats keeps their place in the queue for a later seat.
    """
    promoted: list[Registration] = []
    skipped: set[int] = set()
    while True:
        query = (
            sa.select(Registration)
            .where(
                Registration.training_id == training.id,
                Registration.state == RegistrationState.WAITLISTED,
            )
            .order_by(Registration.waitlisted_at, Registration.id)
            .limit(1)
        )
        if skipped:
            query = query.where(Registration.id.not_in(skipped))
        candidate = db.session.scalar(query)
        if candidate is None:
            break
        if _organisation_full(training, candidate.organisation_id):
            skipped.add(candidate.id)
            continue
        if not _take_seat(training.id):
            break
        _confirm(candidate)
        promoted.append(candidate)
        notify(candidate, "promoted")
        signals.state_changed.send(candidate, action="trainings.registration_promoted", by=None)
    return promoted


def waitlist_position(registration: Registration) -> int | None:
    if registration.state is not RegistrationState.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.training_id == registration.training_id,
            Registration.state == RegistrationState.WAITLISTED,
            sa.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                sa.and_(
                    Registration.waitlisted_at == registration.waitlisted_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


# Registration ----------------------------------------------------------------------------------


def may_register_for(user: User, person: User, organisation: Organisation | None) -> bool:
    """Members register themselves; an organisation's admin registers its people."""
    if person.id == user.id:
        return organisation is None or any(m.organisation_id == organisation.id for m in user.memberships)
    if organisation is None:
        return False
    is_admin = any(m.organisation_id == organisation.id and m.role.value == "admin" for m in user.memberships)
    return is_admin and any(m.organisation_id == organisation.id for m in person.memberships)


def register(
    training: Training,
    person: User,
    organisation: Organisation | None,
    *,
    by: User,
    motivation: str = "",
    accessibility_needs: str = "",
    dietary_needs: str = "",
) -> Registration:
    """Register ``person``: confirmed while seats last, then waitlisted; pending under staff approval."""
    training = transaction.lock(Training, training.id)
    now = utcnow()
    if training.state is not TrainingState.PUBLISHED:
        raise RegistrationNotOpen(_("This training is not open for registration."))
    if training.registration_opens_at and now < training.registration_opens_at:
        raise RegistrationNotOpen(_("Registration has not opened yet."))
    if (training.registration_closes_at and now >= training.registration_closes_at) or (
        training.starts_at and now >= training.starts_at
    ):
        raise RegistrationNotOpen(_("Registration for this training has closed."))
    if not may_register_for(by, person, organisation):
        raise NotAllowed(_("You can register yourself, or colleagues of an organisation you administer."))
    if organisation is not None and not organisation.is_verified:
        raise NotAllowed(
            _(
                "%(name)s is awaiting verification by consortium staff: until then, nobody can register "
                "on its behalf.",
                name=organisation.name,
            )
        )
    answers = {
        "organisation_id": organisation.id if organisation else None,
        "registered_by_id": by.id,
        "motivation": motivation or "",
        "accessibility_needs": accessibility_needs or "",
        "dietary_needs": (dietary_needs or "") if training.is_in_person else "",
    }
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.user_id == person.id)
        .execution_options(populate_existing=True)
    )
    if registration is not None:
        if registration.state is not RegistrationState.CANCELLED:
            raise AlreadyRegistered(_("%(name)s is already registered for this training.", name=person.name))
        for name, value in answers.items():  # a cancelled registration comes back, at the end of the queue
            setattr(registration, name, value)
        registration.state, registration.created_at = RegistrationState.PENDING, now
        registration.cancelled_at = registration.waitlisted_at = registration.decided_at = None
    else:
        registration = Registration(training_id=training.id, user_id=person.id, **answers)
        db.session.add(registration)
    registration.training, registration.user = training, person
    db.session.flush()
    if training.approval is ApprovalMode.AUTOMATIC:
        state = _seat_or_waitlist(registration)
        notify(registration, "confirmed" if state is RegistrationState.CONFIRMED else "waitlisted")
    else:
        notify(registration, "received")
    signals.state_changed.send(registration, action="trainings.registered", by=by)
    return registration


def _lock(registration: Registration) -> None:
    """Lock the registration's training, then read the registration's state as it is now."""
    transaction.lock(Training, registration.training_id)
    db.session.refresh(registration)


def approve(registration: Registration, *, by: User) -> RegistrationState:
    _lock(registration)
    if registration.state is not RegistrationState.PENDING:
        return registration.state
    registration.decided_at = utcnow()
    state = _seat_or_waitlist(registration)
    notify(registration, "confirmed" if state is RegistrationState.CONFIRMED else "waitlisted")
    signals.state_changed.send(registration, action="trainings.registration_approved", by=by)
    return state


def reject(registration: Registration, *, by: User) -> None:
    _leave(registration, RegistrationState.REJECTED, by=by)


def cancel_registration(registration: Registration, *, by: User) -> None:
    _leave(registration, RegistrationState.CANCELLED, by=by)


LEAVING = {
    RegistrationState.REJECTED: ("rejected", "trainings.registration_rejected"),
    RegistrationState.CANCELLED: ("cancelled", "trainings.registration_cancelled"),
}


def _leave(registration: Registration, state: RegistrationState, *, by: User) -> None:
    """End an active registration (rejected by staff, or cancelled) and give its seat to the next in line."""
    _lock(registration)
    if registration.state not in ACTIVE_STATES:
        return
    was_confirmed = registration.state is RegistrationState.CONFIRMED
    now = utcnow()
    registration.state = state
    registration.decided_at = now
    registration.cancelled_at = now if state is RegistrationState.CANCELLED else None
    registration.waitlisted_at = None
    db.session.flush()
    if was_confirmed:
        _release_seat(registration.training_id)
    kind, action = LEAVING[state]
    notify(registration, kind)
    fill_free_seats(registration.training)
    signals.state_changed.send(registration, action=action, by=by)


BULK_ACTIONS = {"approve": approve, "reject": reject, "cancel": cancel_registration}


def decide(registrations: Iterable[Registration], action: str, *, by: User) -> None:
    """Staff's bulk action on registrations of one training, in the order given."""
    for registration in registrations:
        BULK_ACTIONS[action](registration, by=by)


# Attendance, completion, certificates ----------------------------------------------------------


def set_attendance(registration: Registration, session: TrainingSession, present: bool, *, by: User) -> None:
    existing = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.registration_id == registration.id, Attendance.session_id == session.id
        )
    )
    if present and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Attendance(registration_id=registration.id, session_id=session.id, marked_by_id=by.id)
                )
        except sa.exc.IntegrityError:
            pass  # marked at the same moment on another phone
    elif not present and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    _update_completion(registration)


def _update_completion(registration: Registration) -> None:
    training = registration.training
    total = len(training.sessions)
    attended = db.session.scalar(
        sa.select(sa.func.count()).where(Attendance.registration_id == registration.id)
    )
    completed = total > 0 and attended * 100 >= training.completion_percent * total
    if completed and registration.completed_at is None:
        registration.completed_at = utcnow()
        if registration.certificate is None:
            registration.certificate = Certificate(code=new_certificate_code())
    elif not completed and registration.completed_at is not None:
        registration.completed_at = None
        registration.certificate = None
    db.session.flush()


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_url(certificate: Certificate) -> str:
    return public_url("trainings.verify_certificate", code=certificate.code)


def _font_path() -> Path | None:
    for candidate in (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    ):
        if candidate.exists():
            return candidate
    return None


def certificate_pdf(certificate: Certificate) -> bytes:
    """A one-page A4 landscape certificate in the participant's language, with its code, URL and QR."""
    import segno
    from fpdf import FPDF

    registration = certificate.registration
    training = registration.training
    person = registration.user
    language = normalise_language(person.locale) or "es"
    url = certificate_url(certificate)
    with force_locale(language):
        title, _lang = training.text("title", language)
        lines = {
            "heading": _("Certificate of completion"),
            "certifies": _("This certifies that"),
            "completed": _("completed the training"),
            "dates": _sessions_text(training, language),
            "organiser": _("Organised by %(organiser)s", organiser=training.organiser.name),
            "code": _("Verification code: %(code)s", code=certificate.code),
            "check": _("Check it at %(url)s", url=url),
        }
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(lines["heading"])
    pdf.add_page()
    font = _font_path()
    if font:
        pdf.add_font("dejavu", "", str(font))
        family = "dejavu"
    else:  # core fonts know Latin-1 only
        family = "helvetica"
        lines = {k: v.encode("latin-1", "replace").decode("latin-1") for k, v in lines.items()}
        title = title.encode("latin-1", "replace").decode("latin-1")
    pdf.set_draw_color(11, 85, 102)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font(family, size=30)
    pdf.set_y(35)
    pdf.cell(0, 14, lines["heading"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=14)
    pdf.ln(6)
    pdf.cell(0, 8, lines["certifies"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=24)
    name = person.name if font else person.name.encode("latin-1", "replace").decode("latin-1")
    pdf.cell(0, 14, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=14)
    pdf.cell(0, 8, lines["completed"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=18)
    pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=12)
    pdf.cell(0, 8, lines["dates"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, lines["organiser"], align="C", new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    pdf.image(qr, x=25, y=150, w=35, h=35)
    pdf.set_xy(65, 160)
    pdf.set_font(family, size=10)
    pdf.cell(0, 6, lines["code"], new_x="LEFT", new_y="NEXT")
    pdf.cell(0, 6, lines["check"])
    return bytes(pdf.output())


def _sessions_text(training: Training, language: str) -> str:
    from babel.dates import format_date

    zone = ZoneInfo(training.timezone)
    if not training.starts_at:
        return ""
    first = format_date(training.starts_at.astimezone(zone), "long", locale=language)
    last = format_date((training.ends_at or training.starts_at).astimezone(zone), "long", locale=language)
    return first if first == last else f"{first} \u2013 {last}"


# Calendar --------------------------------------------------------------------------------------


def ics(training: Training, *, with_link: bool = False, language: str = "es") -> bytes:
    """An iCalendar file with one event per session. The online link goes only to confirmed people."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//DPI Consortium//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    title, _lang = training.text("title", language)
    summary, _lang = training.text("summary", language)
    page = public_url("trainings.detail", training_id=training.id)
    location = ", ".join(
        part
        for part in (
            training.venue,
            training.city,
            country_name(training.country) if training.country else "",
        )
        if part
    )
    if training.modality is Modality.ONLINE:
        location = training.online_url if with_link else "Online"
    host = current_app.config["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0] or "localhost"
    total = len(training.sessions)
    for number, session in enumerate(training.sessions, start=1):
        event = Event()
        event.add("uid", f"training-{training.id}-session-{session.id}@{host}")
        event.add("dtstamp", utcnow())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", title if total == 1 else f"{title} ({number}/{total})")
        description = summary + "\n\n" + page
        if with_link and training.online_url:
            description += "\n" + training.online_url
        event.add("description", description)
        if location:
            event.add("location", location)
        event.add("url", page)
        if training.state is TrainingState.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()


# E-mail ----------------------------------------------------------------------------------------

SUBJECTS = {
    "received": _l("We received your registration: %(title)s"),
    "confirmed": _l("Your place is confirmed: %(title)s"),
    "waitlisted": _l("You are on the waiting list: %(title)s"),
    "promoted": _l("A place opened up for you: %(title)s"),
    "rejected": _l("Your registration was not accepted: %(title)s"),
    "cancelled": _l("Your registration was cancelled: %(title)s"),
    "changed": _l("The training changed: %(title)s"),
    "training_cancelled": _l("The training was cancelled: %(title)s"),
    "reminder": _l("Reminder: %(title)s starts soon"),
}


def notify(registration: Registration, kind: str) -> None:
    person = registration.user
    training = registration.training
    language = normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
    title, _lang = training.text("title", language)
    confirmed = registration.state is RegistrationState.CONFIRMED
    attachments = []
    if kind in ("confirmed", "promoted", "changed", "reminder") and confirmed:
        attachments.append(
            ("training.ics", "text/calendar", ics(training, with_link=True, language=language))
        )
    with force_locale(language):
        subject = str(SUBJECTS[kind] % {"title": title})
    queue_email(
        person.email,
        "trainings/notice",
        subject,
        to_name=person.name,
        locale=language,
        attachments=attachments,
        kind=kind,
        title=title,
        training=training,
        registration=registration,
        show_link=confirmed and bool(training.online_url),
        position=waitlist_position(registration),
        url=public_url("trainings.detail", training_id=training.id),
    )


def send_reminders(now: datetime | None = None) -> int:
    """Remind confirmed people 48 hours before the first session; each training is claimed once."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Training.id).where(
            Training.state == TrainingState.PUBLISHED,
            Training.reminder_sent_at.is_(None),
            Training.starts_at > now,
            Training.starts_at <= now + REMINDER_AHEAD,
        )
    ).all()
    sent = 0
    for training_id in due:
        claimed = db.session.execute(
            sa.update(Training)
            .where(Training.id == training_id, Training.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        training = db.session.get(Training, training_id)
        for registration in _registrations(training, [RegistrationState.CONFIRMED]):
            notify(registration, "reminder")
            sent += 1
    return sent


# Disseminators ---------------------------------------------------------------------------------


def can_report_for(user: User, organisation: Organisation) -> bool:
    """People of an organisation with someone who completed a training report its own trainings."""
    if not any(m.organisation_id == organisation.id for m in user.memberships):
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.organisation_id == organisation.id, Registration.completed_at.is_not(None)
            )
        )
    )


def create_report(organisation: Organisation, *, by: User, **fields) -> DisseminationReport:
    report = DisseminationReport(organisation_id=organisation.id, reported_by_id=by.id, **fields)
    db.session.add(report)
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_created", by=by)
    return report


def verify_report(report: DisseminationReport, *, by: User) -> None:
    report.verified_at = utcnow()
    report.verified_by_id = by.id
    db.session.flush()
    signals.state_changed.send(report, action="trainings.report_verified", by=by)


# Reach -----------------------------------------------------------------------------------------


@dataclass
class Reach:
    years: list[dict] = field(default_factory=list)  # year, trainings, registrations, attended, rate
    countries: list[dict] = field(default_factory=list)  # country, organisations, people
    dissemination: list[dict] = field(default_factory=list)  # year, trainings, people


def _year(column):
    return sa.extract("year", column)


def reach(*, verified_only: bool = True) -> Reach:
    """Aggregates only: a handful of queries however many trainings there are."""
    now = utcnow()
    held = sa.and_(Training.state == TrainingState.PUBLISHED, Training.starts_at <= now)
    year = _year(Training.starts_at).label("year")
    trainings = dict(
        db.session.execute(sa.select(year, sa.func.count(Training.id)).where(held).group_by(year)).all()
    )
    registrations = {
        row.year: row
        for row in db.session.execute(
            sa.select(
                year,
                sa.func.count(Registration.id).label("registrations"),
                sa.func.count(Registration.completed_at).label("completed"),
            )
            .join(Registration, Registration.training_id == Training.id)
            .where(held, Registration.state == RegistrationState.CONFIRMED)
            .group_by(year)
        )
    }
    session_count = (
        sa.select(sa.func.count(TrainingSession.id))
        .where(TrainingSession.training_id == Training.id, TrainingSession.starts_at <= now)
        .scalar_subquery()
    )
    expected = dict(
        db.session.execute(
            sa.select(year, sa.func.sum(session_count))
            .join(Registration, Registration.training_id == Training.id)
            .where(held, Registration.state == RegistrationState.CONFIRMED)
            .group_by(year)
        ).all()
    )
    attended = dict(
        db.session.execute(
            sa.select(year, sa.func.count(Attendance.id))
            .join(Registration, Registration.training_id == Training.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
            .where(held)
            .group_by(year)
        ).all()
    )
    result = Reach()
    for y in sorted(set(trainings) | set(registrations), key=int):
        row = registrations.get(y)
        rate = (attended.get(y, 0) / expected[y]) if expected.get(y) else 0
        result.years.append(
            {
                "year": int(y),
                "trainings": trainings.get(y, 0),
                "registrations": row.registrations if row else 0,
                "completed": row.completed if row else 0,
                "rate": min(rate, 1),
            }
        )
    result.countries = [
        {"country": row.country, "organisations": row.organisations, "people": row.people}
        for row in db.session.execute(
            sa.select(
                Organisation.country,
                sa.func.count(sa.distinct(Registration.organisation_id)).label("organisations"),
                sa.func.count(sa.distinct(Registration.user_id)).label("people"),
            )
            .join(Organisation, Organisation.id == Registration.organisation_id)
            .where(Registration.completed_at.is_not(None))
            .group_by(Organisation.country)
            .order_by(sa.func.count(sa.distinct(Registration.user_id)).desc(), Organisation.country)
        )
    ]
    report_year = _year(DisseminationReport.held_on).label("year")
    query = sa.select(
        report_year,
        sa.func.count(DisseminationReport.id).label("trainings"),
        sa.func.coalesce(sa.func.sum(DisseminationReport.participants), 0).label("people"),
    ).group_by(report_year)
    if verified_only:
        query = query.where(DisseminationReport.verified_at.is_not(None))
    result.dissemination = [
        {"year": int(row.year), "trainings": row.trainings, "people": int(row.people)}
        for row in db.session.execute(query.order_by(report_year))
    ]
    return result


# Catalogue and suggestions ---------------------------------------------------------------------


def catalogue_query(
    *,
    past: bool = False,
    topic: str | None = None,
    modality: str | None = None,
    country: str | None = None,
    language: str | None = None,
    include_drafts: bool = False,
):
    now = utcnow()
    query = sa.select(Training)
    if not include_drafts:
        query = query.where(Training.state != TrainingState.DRAFT)
    if past:
        query = query.where(Training.ends_at < now).order_by(Training.starts_at.desc(), Training.id.desc())
    else:
        query = query.where(sa.or_(Training.ends_at >= now, Training.ends_at.is_(None))).order_by(
            Training.starts_at, Training.id
        )
    if modality:
        query = query.where(Training.modality == modality)
    if country:
        query = query.where(Training.country == country)
    if language:
        query = query.where(Training.instruction_language == language)
    if topic:
        # JSON lists differ between databases; matching the quoted code in the text works on both.
        query = query.where(sa.cast(Training.topics, sa.String).like(f'%"{topic}"%'))
    return query


def suggest(codes: Iterable[str], limit: int) -> list[Suggestion]:
    """Upcoming published trainings that address the given safeguards principles."""
    codes = [code for code in codes if code]
    if not codes:
        return []
    now = utcnow()
    query = (
        sa.select(Training)
        .where(Training.state == TrainingState.PUBLISHED, Training.starts_at > now)
        .where(sa.or_(*(sa.cast(Training.principles, sa.String).like(f'%"{code}"%') for code in codes)))
        .order_by(Training.starts_at)
        .limit(limit)
    )
    from consortium.i18n import current_language

    language = current_language()
    suggestions = []
    for training in db.session.scalars(query):
        title, _lang = training.text("title", language)
        suggestions.append(
            Suggestion(
                kind="training",
                title=title,
                url=url_for("trainings.detail", training_id=training.id),
                principles=tuple(code for code in training.principles if code in codes),
                detail=training.modality.label,
            )
        )
    return suggestions
