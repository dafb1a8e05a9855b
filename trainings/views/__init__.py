"""The trainings pages: one blueprint, one module per audience.

- ``catalogue``      everyone: the list of trainings, a training's page, its calendar file
- ``registration``   participants: registering, cancelling, "my registrations", certificates and their check
- ``manage``         staff: creating, editing, publishing and cancelling trainings
- ``registrants``    staff: a training's registrants, their export, the check-in list per session
- ``dissemination``  organisations' dissemination reports, and the reach pages
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort
from flask_login import current_user

from consortium.db import db, utcnow
from consortium.users.models import User
from trainings.models import Topic, Training
from trainings.policies import training_visible

bp = Blueprint(
    "trainings",
    __name__,
    root_path=str(Path(__file__).parent.parent),  # templates/ and static/ live in the feature's folder
    template_folder="templates",
    static_folder="static",
    static_url_path="/trainings/static",
)


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


# The modules add their routes to ``bp`` when imported, so they come after it.
from trainings.views import catalogue, dissemination, manage, registrants, registration  # noqa: E402

__all__ = ["bp", "catalogue", "dissemination", "manage", "registrants", "registration"]
