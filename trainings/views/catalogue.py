"""The public catalogue: the list of trainings, one training's page and its calendar file."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, render_template, request
from flask_login import current_user

from consortium.db import db
from consortium.i18n import current_language
from consortium.mail import public_url
from consortium.pagination import paginate
from consortium.permissions import Permission, can, public, visible_or_404
from trainings import services
from trainings.forms import (
    CatalogueFilterForm,
)
from trainings.models import Registration, Training
from trainings.views import bp

PER_PAGE = 24


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
    # a card shows no organiser: not joined (Training.organiser is lazy="joined"), and never loaded per row
    page = paginate(query.options(sa.orm.raiseload(Training.organiser)), PER_PAGE)
    return render_template(
        "trainings/index.html", page=page, filters=filters, past=past, language=current_language()
    )


@bp.route("/trainings/<int:training_id>")
@public
def detail(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
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
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    body = services.ics(training, language=current_language())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="training-{training.id}.ics"'},
    )
