"""The public tracker's open data: the validated roadmap's actions as CSV and JSON (CC BY 4.0)."""

from __future__ import annotations

import json

from flask import Response

from consortium.csvexport import csv_response
from consortium.permissions import public
from safeguards.roadmap import opendata
from safeguards.roadmap import policies as roadmap_policies
from safeguards.views import bp

LICENCE_LINK = f'<{opendata.LICENCE_URL}>; rel="license"'


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/roadmap.csv")
@public
def roadmap_csv(roadmap_id: int):
    roadmap = roadmap_policies.public_roadmap_or_404(roadmap_id)
    rows = opendata.csv_rows(opendata.actions(roadmap))
    response = csv_response(opendata.CSV_COLUMNS, rows, opendata.filename(roadmap, "csv"))
    response.headers["Link"] = LICENCE_LINK
    return response


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/roadmap.json")
@public
def roadmap_json(roadmap_id: int):
    roadmap = roadmap_policies.public_roadmap_or_404(roadmap_id)
    body = json.dumps(opendata.document(roadmap), ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/json")
    response.headers["Link"] = LICENCE_LINK
    return response
