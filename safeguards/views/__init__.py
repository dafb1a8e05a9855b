"""The safeguards pages, one module per audience or flow; the blueprint and its template helpers live here.

- ``public``: the landing page, how scores work, the framework
- ``pilots``: DPI systems, pilots, their teams and cycles
- ``wizard``: the team's scope, steps and autosave
- ``submission``: the summary of what is handed in, and the confirmed submission
- ``review``: the reviewers' decision and the approval's preview
- ``publication``: publishing after its preview, and withdrawing
- ``queue``: the staff work queue of every assessment by state
- ``items``: one item's thread and answer history, and the threads awaiting a reply
- ``evidence``: an item's evidence files (upload, remove, public or not, download)
- ``results``: results, the report and the comparison
- ``exports``: the CSV and JSON open data
- ``roadmap``: an assessment's roadmap, prioritising (matrix), validation, revisions and the public page
- ``roadmap_actions``: one roadmap action, its milestones and its states
- ``roadmap_updates``: owners' progress updates on an action, and their files
- ``roadmap_reviews``: a roadmap's independent reviewers and their ratings of its actions
- ``roadmap_data``: the public tracker's open data (CSV, JSON)
- ``roadmap_lists``: an owner's actions and the staff's list of roadmaps
- ``framework``: staff import, publish and translate framework versions
- ``presenter``: what those pages compute (wizard steps, scores per cycle, weakest items, chart)
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import gettext as _

from safeguards import scoring
from safeguards.models import RATING_LABELS

bp = Blueprint(
    "safeguards",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),  # templates/ and static/ are in safeguards/
    template_folder="templates",
    static_folder="static",
    static_url_path="/safeguards/static",
)


def level_label(level: str | None) -> str:
    return {
        scoring.CRITICAL: _("Critical"),
        scoring.EMERGING: _("Emerging"),
        scoring.DEVELOPING: _("Developing"),
        scoring.ADVANCED: _("Advanced"),
    }.get(level, _("No score"))


@bp.app_template_filter("safeguards_level")
def _level_filter(level):
    return level_label(level)


@bp.app_context_processor
def _helpers():
    return {"safeguards_rating_labels": RATING_LABELS}


# The routes register themselves on ``bp`` when their modules are imported.
from safeguards.views import (  # noqa: E402, F401
    evidence,
    exports,
    framework,
    items,
    pilots,
    public,
    publication,
    queue,
    results,
    review,
    roadmap,
    roadmap_actions,
    roadmap_data,
    roadmap_lists,
    roadmap_reviews,
    roadmap_updates,
    submission,
    wizard,
)
