"""The governance pages: one blueprint, one module per flow; its template filters live here.

- ``spaces``         everyone: the list of spaces, a space and its roster; staff: creating, editing and
                     moving a space through its states
- ``seats``          convenors and staff: granting and ending seats
- ``consultations``  a consultation's document and contributions, and the convenor's steps (sections,
                     dates, each move of its life)
- ``responses``      official responses (drafting, editing, approving) and the "you said, we did" report
- ``contributions``  writing a contribution, supporting and co-signing it, moderating it
- ``meetings``       meetings, their calendar file, changes, cancellation and attendance
- ``minutes``        the draft minutes, the attendees' review and the convenor's approval
- ``opendata``       the roster and the meetings as CSV
- ``decisions``      decisions per space (page, CSV) and the convenor's form
- ``following``      following and unfollowing a space or a consultation, the digest's unfollow link
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from consortium.governance.contribution_models import Visibility
from consortium.governance.forms import FollowForm
from consortium.governance.models import ConsultationState, SpaceState
from consortium.governance.services.following import follow_of
from consortium.markdown import render_markdown

bp = Blueprint(
    "governance",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),  # templates/ are in governance/
    template_folder="templates",
)


@bp.app_template_filter("governance_text")
def governance_text(text: str):
    return render_markdown(text)


@bp.app_context_processor
def governance_globals():
    return {
        "governance_SpaceState": SpaceState,
        "governance_ConsultationState": ConsultationState,
        "governance_Visibility": Visibility,
        # the follow box (``_follow.html``) on space and consultation pages
        "governance_follow_of": follow_of,
        "governance_FollowForm": FollowForm,
    }


# The modules add their routes to ``bp`` when imported, so they come after it.
from consortium.governance.views import (  # noqa: E402
    consultations,
    contributions,
    decisions,
    following,
    meetings,
    minutes,
    opendata,
    responses,
    seats,
    spaces,
)

__all__ = [
    "bp",
    "consultations",
    "contributions",
    "decisions",
    "following",
    "meetings",
    "minutes",
    "opendata",
    "responses",
    "seats",
    "spaces",
]
