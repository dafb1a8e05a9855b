from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.csvexport import csv_response
from consortium.db import db, utcnow
from consortium.forms import PostForm, first_submission, remember_result, save_edit
from consortium.i18n import LANGUAGES, current_language
from consortium.inputs import parse_id
from consortium.mail import public_url
from consortium.organisations.countries import country_name
from consortium.organisations.models import Membership, Organisation, OrganisationRole
from consortium.pagination import paginate
from consortium.permissions import Permission, can, public, require
from consortium.users.models import User
from trainings import services
from trainings.forms import (
    CatalogueFilterForm,
    RegistrantFilterForm,
    RegistrationForm,
    ReportForm,
    TrainingForm,
    format_sessions,
)
from trainings.models import (
    ApprovalMode,
    Attendance,
    Certificate,
    DisseminationReport,
    Modality,
    Registration,
    RegistrationState,
    Topic,
    Training,
    TrainingSession,
    TrainingState,
)
from trainings.policies import manages_registration, training_visible

bp = Blueprint(
    "trainings",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/trainings/static",
)

PER_PAGE = 24


@bp.context_processor
def helpers():
    return {"trainings_topic_labels": _topic_labels, "trainings_now_utc": utcnow}


def _topic_labels(codes):
    return [Topic(code).label for code in codes if code in Topic._value2member_map_]


def _user() -> User:
    return current_user._get_current_object()


def _load(training_id: int) -> Training:
    training = db.session.get(Training, training_id)
    if training is None or not training_visible(current_user, training):
        abort(404)
    return training


# Catalogue -------------------------------------------------------------------------------------


@bp.route("/trainings")
@public
def index():
    filters = CatalogueFilterForm(request.args)
    filters.validate()
    past = request.args.get("when") == "past"
    query = services.catalogue_query(
        past=past,
        topic=filters.topic.data or None,
        modality=filters.modality.data or None,
        country=filters.country.data or None,
        language=filters.language.data or None,
        include_drafts=can(Permission.TRAININGS_MANAGE),
    )
    page = paginate(query, PER_PAGE)
    return render_template(
        "trainings/index.html", page=page, filters=filters, past=past, language=current_language()
    )


@bp.route("/trainings/<int:training_id>")
@public
def detail(training_id: int):
    training = _load(training_id)
    registration = None
    if current_user.is_authenticated:
        registration = db.session.scalar(
            sa.select(Registration).where(
                Registration.training_id == training.id, Registration.user_id == current_user.id
            )
        )
    language = current_language()
    return render_template(
        "trainings/detail.html",
        training=training,
        registration=registration,
        position=services.waitlist_position(registration) if registration else None,
        language=language,
        share_url=public_url("trainings.detail", training_id=training.id),
    )


@bp.route("/trainings/<int:training_id>.ics")
@public
def calendar(training_id: int):
    training = _load(training_id)
    body = services.ics(training, language=current_language())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="training-{training.id}.ics"'},
    )


# Registration ----------------------------------------------------------------------------------


def _registration_choices(user: User):
    """People this user may register (self, plus colleagues where they are admin) and organisations.

    Organisations awaiting verification are listed after the others (the form shows them disabled);
    someone who belongs to none that is verified registers on their own behalf.
    """
    organisations = sorted((m.organisation for m in user.memberships), key=lambda o: not o.is_verified)
    if not any(o.is_verified for o in organisations):
        organisations = []
    admin_of = [
        m.organisation_id
        for m in user.memberships
        if m.role is OrganisationRole.ADMIN and m.organisation.is_verified
    ]
    people = [user]
    if admin_of:
        colleagues = db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id.in_(admin_of), User.id != user.id, User.is_active.is_(True))
            .order_by(User.name)
            .distinct()
        ).all()
        people.extend(colleagues)
    return people, organisations


@bp.route("/trainings/<int:training_id>/register", methods=["GET", "POST"])
@require(Permission.TRAININGS_ENROL)
def register(training_id: int):
    training = _load(training_id)
    user = _user()
    people, organisations = _registration_choices(user)
    form = RegistrationForm(
        people=people,
        organisations=organisations,
        person_id=user.id,
        organisation_id=organisations[0].id if organisations else None,
    )
    if not organisations:
        form.organisation_id.validate_choice = False
    if not training.registration_open():
        flash(_("Registration for this training is not open."), "error")
        return redirect(url_for("trainings.detail", training_id=training.id))
    if form.validate_on_submit():
        person = db.session.get(User, form.person_id.data)
        organisation = db.session.get(Organisation, form.organisation_id.data) if organisations else None
        url = url_for("trainings.detail", training_id=training.id)
        if person.id != user.id:
            url = (
                url_for("trainings.registrants", training_id=training.id)
                if can(Permission.TRAININGS_MANAGE)
                else url_for("trainings.mine")
            )
        try:
            with transaction.action():
                earlier = first_submission(form)
                if earlier is not None:
                    return redirect(earlier.result_url or url)
                registration = services.register(
                    training,
                    person,
                    organisation,
                    by=user,
                    motivation=form.motivation.data,
                    accessibility_needs=form.accessibility_needs.data,
                    dietary_needs=form.dietary_needs.data,
                )
                remember_result(form, url)
        except services.RegistrationError as error:  # rolled back, the submission key with it
            form.motivation.errors = [*form.motivation.errors, error.message]
            flash(error.message, "error")
        else:
            flash(_state_message(registration, person, user), "success")
            return redirect(url)
    return render_template(
        "trainings/register.html", training=training, form=form, language=current_language()
    )


def _state_message(registration: Registration, person: User, user: User) -> str:
    name = person.name
    if registration.state is RegistrationState.CONFIRMED:
        return _("%(name)s has a confirmed place.", name=name)
    if registration.state is RegistrationState.WAITLISTED:
        return _("The training is full: %(name)s is on the waiting list.", name=name)
    return _("Registration received for %(name)s; staff will review it.", name=name)


@bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@require()
def cancel_registration(registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or not manages_registration(current_user, registration):
        abort(404)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.cancel_registration(registration, by=_user())
        flash(_("The registration was cancelled."), "success")
    return redirect(url_for("trainings.detail", training_id=registration.training_id))


@bp.route("/trainings/mine")
@require()
def mine():
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(
            sa.or_(
                Registration.user_id == current_user.id,
                Registration.registered_by_id == current_user.id,
            )
        )
        .options(
            sa.orm.joinedload(Registration.training),
            sa.orm.joinedload(Registration.user),
            sa.orm.selectinload(Registration.certificate),
        )
        .order_by(Registration.created_at.desc())
    ).all()
    return render_template(
        "trainings/mine.html", registrations=registrations, post_form=PostForm(), language=current_language()
    )


# Certificates ----------------------------------------------------------------------------------


@bp.route("/registrations/<int:registration_id>/certificate.pdf")
@require()
def certificate(registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or not manages_registration(current_user, registration):
        abort(404)
    if registration.certificate is None:
        abort(404)
    pdf = services.certificate_pdf(registration.certificate)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{registration.certificate.code}.pdf"'
        },
    )


@bp.route("/certificates/<code>")
@public
def verify_certificate(code: str):
    found = db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.code == code.strip().upper())
        .options(
            sa.orm.joinedload(Certificate.registration).joinedload(Registration.user),
            sa.orm.joinedload(Certificate.registration).joinedload(Registration.training),
        )
    )
    status = 200 if found else 404
    return render_template(
        "trainings/certificate.html", certificate=found, code=code, language=current_language()
    ), status


# Staff: trainings ------------------------------------------------------------------------------


def _organisers():
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.is_consortium_member.is_(True)).order_by(Organisation.name)
    ).all()


FIELDS = (
    "language",
    "topics",
    "principles",
    "modality",
    "venue",
    "city",
    "country",
    "online_url",
    "timezone",
    "instruction_language",
    "capacity",
    "seats_per_organisation",
    "approval",
    "organiser_id",
    "trainers",
    "completion_percent",
)


def _fields(form: TrainingForm) -> dict:
    values = {name: getattr(form, name).data for name in FIELDS}
    values["modality"] = Modality(values["modality"])
    values["approval"] = ApprovalMode(values["approval"])
    values["venue"] = values["venue"] or ""
    values["city"] = values["city"] or ""
    values["online_url"] = values["online_url"] or ""
    values["trainers"] = values["trainers"] or ""
    values["country"] = values["country"] or ""
    values["title"] = form.translated("title")
    values["summary"] = form.translated("summary")
    values["description"] = form.translated("description")
    values["registration_opens_at"] = form.local_to_utc(form.registration_opens_at.data)
    values["registration_closes_at"] = form.local_to_utc(form.registration_closes_at.data)
    return values


def _fill(form: TrainingForm, training: Training) -> None:
    zone = ZoneInfo(training.timezone)
    for code in LANGUAGES:
        for name in ("title", "summary", "description"):
            getattr(form, f"{name}_{code}").data = (getattr(training, name) or {}).get(code, "")
    form.sessions.data = format_sessions(training.sessions, training.timezone)
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(training, name)
        getattr(form, name).data = value.astimezone(zone).replace(tzinfo=None) if value else None
    form.version.data = training.version


@bp.route("/trainings/new", methods=["GET", "POST"])
@require(Permission.TRAININGS_MANAGE)
def create():
    form = TrainingForm(organisers=_organisers())
    if form.validate_on_submit():
        with transaction.action():
            earlier = first_submission(form)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("trainings.index"))
            training = services.create_training(by=_user(), sessions=form.parsed_sessions, **_fields(form))
            url = url_for("trainings.detail", training_id=training.id)
            remember_result(form, url)
        flash(_("The training was saved as a draft. Publish it when it is ready."), "success")
        return redirect(url)
    return render_template("trainings/form.html", form=form, training=None)


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"])
@require(Permission.TRAININGS_MANAGE)
def edit(training_id: int):
    training = _load(training_id)
    form = TrainingForm(obj=training, organisers=_organisers())
    if request.method == "GET":
        _fill(form, training)
    if form.validate_on_submit():
        saved_by_someone_else = save_edit(
            form,
            training,
            lambda: services.update_training(
                training, by=_user(), sessions=form.parsed_sessions, **_fields(form)
            ),
        )
        if saved_by_someone_else is not None:
            return _conflict(form, saved_by_someone_else)
        flash(_("The training was saved."), "success")
        return redirect(url_for("trainings.detail", training_id=training.id))
    return render_template("trainings/form.html", form=form, training=training)


def _conflict(form: TrainingForm, training: Training):
    form.version.data = training.version
    flash(
        _(
            "Someone else saved this training while you were editing. Your changes are below; "
            "check them against the saved training and save again."
        ),
        "error",
    )
    return render_template("trainings/form.html", form=form, training=training, conflict=True), 409


@bp.route("/trainings/<int:training_id>/publish", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def publish(training_id: int):
    training = _load(training_id)
    if PostForm().validate_on_submit() and training.state is TrainingState.DRAFT:
        with transaction.action():
            services.publish(training, by=_user())
        flash(_("The training is published."), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))


@bp.route("/trainings/<int:training_id>/cancel", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def cancel(training_id: int):
    training = _load(training_id)
    if PostForm().validate_on_submit() and training.state is not TrainingState.CANCELLED:
        with transaction.action():
            told = services.cancel_training(training, by=_user())
        flash(_("The training is cancelled; %(n)s people were told.", n=told), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))


# Staff: registrants ----------------------------------------------------------------------------


def _registrants_query(training: Training, filters: RegistrantFilterForm):
    query = (
        sa.select(Registration)
        .where(Registration.training_id == training.id)
        .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
        .join(User, User.id == Registration.user_id)
        .options(
            sa.orm.contains_eager(Registration.user),
            sa.orm.contains_eager(Registration.organisation),
        )
        .order_by(Registration.created_at, Registration.id)
    )
    if filters.state.data:
        query = query.where(Registration.state == filters.state.data)
    if filters.country.data:
        query = query.where(Organisation.country == filters.country.data)
    if filters.q.data:
        like = f"%{filters.q.data.strip()}%"
        query = query.where(sa.or_(User.name.ilike(like), Organisation.name.ilike(like)))
    return query


@bp.route("/trainings/<int:training_id>/registrations")
@require(Permission.TRAININGS_MANAGE)
def registrants(training_id: int):
    training = _load(training_id)
    filters = RegistrantFilterForm(request.args)
    filters.validate()
    registrations = db.session.scalars(_registrants_query(training, filters)).all()
    return render_template(
        "trainings/registrants.html",
        training=training,
        registrations=registrations,
        filters=filters,
        post_form=PostForm(),
        language=current_language(),
    )


@bp.route("/trainings/<int:training_id>/registrations/bulk", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def bulk(training_id: int):
    training = _load(training_id)
    if not PostForm().validate_on_submit():
        abort(400)
    action = request.form.get("action")
    ids = [i for i in map(parse_id, request.form.getlist("registration")) if i is not None]
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.id.in_(ids))
        .order_by(Registration.created_at, Registration.id)
    ).all()
    if action not in services.BULK_ACTIONS or not registrations:
        flash(_("Choose people and an action."), "error")
        return redirect(url_for("trainings.registrants", training_id=training.id))
    with transaction.action():
        services.decide(registrations, action, by=_user())
    flash(_("%(n)s registrations updated.", n=len(registrations)), "success")
    return redirect(url_for("trainings.registrants", training_id=training.id))


@bp.route("/trainings/<int:training_id>/registrations.csv")
@require(Permission.TRAININGS_MANAGE)
def export(training_id: int):
    training = _load(training_id)
    filters = RegistrantFilterForm(request.args)
    filters.validate()
    registrations = db.session.scalars(_registrants_query(training, filters)).all()
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Country"),
        _("State"),
        _("Registered"),
        _("Motivation"),
        _("Accessibility needs"),
        _("Dietary needs"),
        _("Completed"),
    ]
    rows = (
        [
            r.user.name,
            r.user.email,
            r.organisation.name if r.organisation else "",
            country_name(r.organisation.country) if r.organisation else "",
            r.state.label,
            r.created_at.isoformat(timespec="minutes"),
            r.motivation,
            r.accessibility_needs,
            r.dietary_needs,
            _("yes") if r.completed_at else "",
        ]
        for r in registrations
    )
    return csv_response(header, rows, f"registrations-{training.id}.csv")


# Staff: attendance -----------------------------------------------------------------------------


def _session(training: Training, session_id: int) -> TrainingSession:
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.training_id != training.id:
        abort(404)
    return session


@bp.route("/trainings/<int:training_id>/sessions/<int:session_id>/check-in")
@require(Permission.TRAININGS_MANAGE)
def checkin(training_id: int, session_id: int):
    training = _load(training_id)
    session = _session(training, session_id)
    search = (request.args.get("q") or "").strip()[:100]
    query = (
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.state == RegistrationState.CONFIRMED)
        .join(User, User.id == Registration.user_id)
        .options(sa.orm.contains_eager(Registration.user), sa.orm.joinedload(Registration.organisation))
        .order_by(User.name)
    )
    if search:
        query = query.where(User.name.ilike(f"%{search}%"))
    registrations = db.session.scalars(query).all()
    present = set(
        db.session.scalars(sa.select(Attendance.registration_id).where(Attendance.session_id == session.id))
    )
    return render_template(
        "trainings/checkin.html",
        training=training,
        session=session,
        registrations=registrations,
        present=present,
        search=search,
        language=current_language(),
    )


@bp.route(
    "/trainings/<int:training_id>/sessions/<int:session_id>/check-in/<int:registration_id>", methods=["POST"]
)
@require(Permission.TRAININGS_MANAGE)
def mark(training_id: int, session_id: int, registration_id: int):
    training = _load(training_id)
    session = _session(training, session_id)
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.training_id != training.id
        or registration.state is not RegistrationState.CONFIRMED
    ):
        abort(404)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.set_attendance(registration, session, request.form.get("present") == "1", by=_user())
    return redirect(
        url_for("trainings.checkin", training_id=training.id, session_id=session.id) + f"#r{registration.id}"
    )


# Disseminators ---------------------------------------------------------------------------------


def _reporting_organisations(user: User) -> list[Organisation]:
    return [m.organisation for m in user.memberships if services.can_report_for(user, m.organisation)]


@bp.route("/trainings/reports")
@require()
def reports():
    query = sa.select(DisseminationReport).order_by(
        DisseminationReport.held_on.desc(), DisseminationReport.id
    )
    if not can(Permission.TRAININGS_MANAGE):
        query = query.where(
            DisseminationReport.organisation_id.in_([m.organisation_id for m in current_user.memberships])
        )
    return render_template(
        "trainings/reports.html",
        reports=db.session.scalars(query.limit(500)).all(),
        may_report=bool(_reporting_organisations(_user())),
        post_form=PostForm(),
    )


@bp.route("/trainings/reports/new", methods=["GET", "POST"])
@require()
def new_report():
    organisations = _reporting_organisations(_user())
    if not organisations:
        abort(403)
    form = ReportForm(organisations=organisations)
    if request.method == "GET":
        form.country.data = organisations[0].country
        form.language.data = current_language()
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        with transaction.action():
            earlier = first_submission(form)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("trainings.reports"))
            services.create_report(
                organisation,
                by=_user(),
                held_on=form.held_on.data,
                country=form.country.data,
                language=form.language.data,
                audience_kind=form.audience_kind.data,
                participants=form.participants.data,
                topics=form.topics.data or [],
                resources=form.resource_list(),
                notes=form.notes.data or "",
            )
            remember_result(form, url_for("trainings.reports"))
        flash(_("Thank you: the report was saved. Staff will verify it."), "success")
        return redirect(url_for("trainings.reports"))
    return render_template("trainings/report_form.html", form=form)


@bp.route("/trainings/reports/<int:report_id>/verify", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def verify_report(report_id: int):
    report = db.session.get(DisseminationReport, report_id)
    if report is None:
        abort(404)
    if PostForm().validate_on_submit() and not report.is_verified:
        with transaction.action():
            services.verify_report(report, by=_user())
        flash(_("The report is verified."), "success")
    return redirect(url_for("trainings.reports"))


# Reach -----------------------------------------------------------------------------------------


@bp.route("/trainings/reach")
@public
def reach():
    return render_template("trainings/reach.html", reach=services.reach(verified_only=True), staff_view=False)


@bp.route("/trainings/reach/staff")
@require(Permission.STAFF_DASHBOARD)
def dashboard():
    upcoming = db.session.scalars(
        sa.select(Training)
        .where(Training.state != TrainingState.CANCELLED, Training.starts_at > utcnow())
        .order_by(Training.starts_at)
        .limit(20)
    ).all()
    unverified = db.session.scalar(
        sa.select(sa.func.count()).where(DisseminationReport.verified_at.is_(None))
    )
    return render_template(
        "trainings/reach.html",
        reach=services.reach(verified_only=False),
        staff_view=True,
        upcoming=upcoming,
        unverified=unverified,
        language=current_language(),
        now=datetime.now,
    )
