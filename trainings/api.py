from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from consortium import transaction
from consortium.db import db
from consortium.organisations.models import Organisation
from consortium.pagination import paginate
from consortium.permissions import Permission, public, require, visible_or_404
from consortium.users import current_person
from trainings import schedule, services
from trainings.models import Registration, Training, TrainingState
from trainings.schemas import (
    RegistrationInputSchema,
    RegistrationSchema,
    TrainingInputSchema,
    TrainingPatchSchema,
    TrainingQuerySchema,
    TrainingSchema,
)
from trainings.services.catalogue import training_fields

blp = Blueprint("trainings_api", __name__, url_prefix="/api/v1", description="Trainings and registrations")

PER_PAGE = 50


@blp.route("/trainings")
@public
@blp.arguments(TrainingQuerySchema, location="query")
@blp.response(200, TrainingSchema(many=True))
def list_trainings(args):
    """Published trainings, upcoming by default (`past=true` for those held); 50 a page."""
    query = services.catalogue_query(
        past=args["past"],
        topic=args["topic"],
        modality=args["modality"],
        country=args["country"],
        language=args["language"],
    ).options(sa.orm.selectinload(Training.sessions))
    return paginate(query, PER_PAGE, page=args["page"], count=False, api=True).items


@blp.route("/trainings/<int:training_id>")
@public
@blp.response(200, TrainingSchema)
def get_training(training_id):
    return visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)


def _apply(data: dict, training: Training | None) -> dict:
    fields = {}
    language = data.get("language") or (training.language if training else "es")
    if "language" in data:
        fields["language"] = fields["instruction_language"] = language
    for name in ("title", "summary"):
        if name in data:
            fields[name] = {**((getattr(training, name) or {}) if training else {}), language: data[name]}
    scalars = (
        "timezone",
        "capacity",
        "country",
        "city",
        "venue",
        "online_url",
        "topics",
        "principles",
        "seats_per_organisation",
        "modality",
        "approval",
    )
    fields.update(training_fields({name: data[name] for name in scalars if name in data}))
    if "organiser_id" in data:
        if db.session.get(Organisation, data["organiser_id"]) is None:
            abort(422, _("Unknown organiser."))
        fields["organiser_id"] = data["organiser_id"]
    return fields


def _default_organiser() -> int:
    own = next(
        (m.organisation_id for m in current_user.memberships if m.organisation.is_consortium_member), None
    )
    if own:
        return own
    organiser = db.session.scalar(
        sa.select(Organisation.id)
        .where(Organisation.is_consortium_member.is_(True))
        .order_by(Organisation.id)
    )
    if organiser is None:
        abort(422, _("Unknown organiser."))
    return organiser


def _sessions(data: dict, training: Training | None):
    """The sessions sent (``sessions``, or one from ``starts_at`` to ``ends_at``), checked by the rules the
    HTML form applies; None when the schedule is not being changed."""
    if "sessions" in data:
        field, wanted = "sessions", [(s["starts_at"], s["ends_at"]) for s in data["sessions"]]
    elif "starts_at" in data or "ends_at" in data:
        starts = data.get("starts_at") or (training.starts_at if training else None)
        ends = data.get("ends_at") or (training.ends_at if training else None)
        if not starts or not ends or ends <= starts:
            abort(422, _("The end must come after the start."))
        field, wanted = ("starts_at" if "starts_at" in data else "ends_at"), [(starts, ends)]
    else:
        return None
    zone = data.get("timezone") or (training.timezone if training else "UTC")
    existing = {(s.starts_at, s.ends_at) for s in training.sessions} if training else set()
    try:
        return schedule.check(wanted, zone, existing)
    except schedule.ScheduleError as error:
        refused = UnprocessableEntity(str(error.args[0]))
        refused.data = {"messages": {"json": {field: [str(error.args[0])]}}}
        raise refused from None


@blp.route("/trainings", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
@blp.arguments(TrainingInputSchema)
@blp.response(201, TrainingSchema)
def create_training(data):
    fields = _apply(data, None)
    fields.setdefault("organiser_id", _default_organiser())
    sessions = _sessions(data, None)
    with transaction.action():
        training = services.create_training(by=current_person(), sessions=sessions, **fields)
        if data["state"] != TrainingState.DRAFT.value:
            _set_state(training, TrainingState(data["state"]))
    return training


def _set_state(training: Training, state: TrainingState) -> None:
    if state is training.state:
        return
    by = current_person()
    if state is TrainingState.PUBLISHED:
        services.publish(training, by=by)
    elif state is TrainingState.CANCELLED:
        services.cancel_training(training, by=by)
    else:
        training.state = state


@blp.route("/trainings/<int:training_id>", methods=["PATCH"])
@require(Permission.TRAININGS_MANAGE)
@blp.arguments(TrainingPatchSchema(partial=True))
@blp.response(200, TrainingSchema)
def update_training(data, training_id):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    sessions, fields = _sessions(data, training), _apply(data, training)
    with transaction.action():
        services.update_training(training, by=current_person(), sessions=sessions, **fields)
        if "state" in data:
            _set_state(training, TrainingState(data["state"]))
    return training


@blp.route("/trainings/<int:training_id>/registrations", methods=["POST"])
@require(Permission.TRAININGS_ENROL)
@blp.arguments(RegistrationInputSchema)
@blp.response(201, RegistrationSchema)
@blp.alt_response(409, response="CONFLICT")
def register(data, training_id):
    """Register the caller. The answer's `state` is `confirmed`, `waitlisted` or `pending`."""
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    user = current_person()
    organisation = None
    if data["organisation_id"] is not None:
        organisation = db.session.get(Organisation, data["organisation_id"])
    else:  # on behalf of the caller's first verified organisation, if any
        organisation = next((m.organisation for m in user.memberships if m.organisation.is_verified), None)
    try:
        with transaction.action():
            registration = services.register(
                training,
                user,
                organisation,
                by=user,
                motivation=data["motivation"],
                accessibility_needs=data["accessibility_needs"],
                dietary_needs=data["dietary_needs"],
            )
    except services.AlreadyRegistered as error:
        abort(409, error.message)
    except services.RegistrationError as error:
        abort(422, error.message)
    return registration


@blp.route("/registrations/<int:registration_id>", methods=["DELETE"])
@require()
@blp.response(200, RegistrationSchema)
def cancel_registration(registration_id):
    registration = visible_or_404(Registration, registration_id, Permission.TRAININGS_REGISTRATION_MANAGE)
    with transaction.action():
        services.cancel_registration(registration, by=current_person())
    return registration


@blp.route("/trainings/<int:training_id>/registrations")
@require(Permission.TRAININGS_MANAGE)
@blp.response(200, RegistrationSchema(many=True))
def list_registrations(training_id):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.training_id == training.id)
        .options(sa.orm.joinedload(Registration.user))
        .order_by(Registration.id)
    ).all()


@blp.route("/me/registrations")
@require()
@blp.response(200, RegistrationSchema(many=True))
def my_registrations():
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.user_id == current_user.id)
        .options(sa.orm.joinedload(Registration.user))
        .order_by(Registration.created_at.desc())
    ).all()
