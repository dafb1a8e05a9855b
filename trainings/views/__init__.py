"""The trainings pages: one blueprint, one module per audience.

- ``catalogue``      everyone: the list of trainings, a training's page, its calendar file
- ``registration``   participants: registering, cancelling, "my registrations", certificates and their check
- ``manage``         staff: creating, editing, publishing and cancelling trainings
- ``registrants``    staff: a training's registrants, their export, the check-in list per session
- ``dissemination``  organisations' dissemination reports and staff's verification of them
- ``reach``          the public reach page, staff's dashboard (filters, CSV export)
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from consortium.db import utcnow
from trainings.models import TrainingTopic

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
    return [TrainingTopic(code).label for code in codes if code in TrainingTopic._value2member_map_]


# The modules add their routes to ``bp`` when imported, so they come after it.
from trainings.views import catalogue, dissemination, manage, reach, registrants, registration  # noqa: E402

__all__ = ["bp", "catalogue", "dissemination", "manage", "reach", "registrants", "registration"]
