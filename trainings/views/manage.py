"""Staff: creating, editing, publishing and cancelling trainings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, first_submission, remember_result, save_edit
from consortium.i18n import LANGUAGES
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, require, visible_or_404
from consortium.users import current_person
from trainings import services
from trainings.forms import (
    TrainingForm,
    format_sessions,
)
from trainings.models import (
    Training,
    TrainingState,
)
from trainings.services.catalogue import training_fields
from trainings.views import bp


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
    for name in ("title", "summary", "description"):
        values[name] = form.translated(name)
    for name in ("registration_opens_at", "registration_closes_at"):
        values[name] = form.local_to_utc(getattr(form, name).data)
    return training_fields(values)


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
            training = services.create_training(
                by=current_person(), sessions=form.parsed_sessions, **_fields(form)
            )
            url = url_for("trainings.detail", training_id=training.id)
            remember_result(form, url)
        flash(_("The training was saved as a draft. Publish it when it is ready."), "success")
        return redirect(url)
    return render_template("trainings/form.html", form=form, training=None)


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"])
@require(Permission.TRAININGS_MANAGE)
def edit(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    form = TrainingForm(obj=training, organisers=_organisers(), existing_sessions=training.sessions)
    if request.method == "GET":
        _fill(form, training)
    if form.validate_on_submit():
        saved_by_someone_else = save_edit(
            form,
            training,
            lambda: services.update_training(
                training, by=current_person(), sessions=form.parsed_sessions, **_fields(form)
            ),
        )
        if saved_by_someone_else is not None:
            return edit_conflict(
                form,
                saved_by_someone_else,
                _(
                    "Someone else saved this training while you were editing. Your changes are below; "
                    "check them against the saved training and save again."
                ),
                "trainings/form.html",
                training=saved_by_someone_else,
            )
        flash(_("The training was saved."), "success")
        return redirect(url_for("trainings.detail", training_id=training.id))
    return render_template("trainings/form.html", form=form, training=training)


@bp.route("/trainings/<int:training_id>/publish", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def publish(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    if PostForm().validate_on_submit() and training.state is TrainingState.DRAFT:
        with transaction.action():
            services.publish(training, by=current_person())
        flash(_("The training is published."), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))


@bp.route("/trainings/<int:training_id>/cancel", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def cancel(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    if PostForm().validate_on_submit() and training.state is not TrainingState.CANCELLED:
        with transaction.action():
            told = services.cancel_training(training, by=current_person())
        flash(_("The training is cancelled; %(n)s people were told.", n=told), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))
