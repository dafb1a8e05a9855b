"""The CSV and JSON open data through HTTP."""

from __future__ import annotations

import csv
import io

from safeguards.models import AssessmentState
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import field_prefix, in_scope_codes, step_url


def test_csv_export_has_bom_and_one_row_per_item(client, login_as, lead, assessment, db):
    answer_all(assessment)
    login_as(lead)
    response = client.get(f"/safeguards/assessments/{assessment.id}/answers.csv")
    body = response.get_data()
    assert response.mimetype == "text/csv" and body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("process,principle,title") and len(lines) == 1 + len(
        in_scope_codes(assessment)
    )


def test_published_answers_csv_neutralises_formulas_the_team_wrote(
    client, app, login_as, submit, lead, assessment, db
):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    formula = '=HYPERLINK("http://x.example","Ver informe")'
    response = submit(
        step_url(assessment, code.split(".")[0]),
        {
            f"{prefix}-choice": "1",
            f"{prefix}-justification": formula,
            f"{prefix}-evidence": "@SUM(1+1)*cmd|' /C calc'!A0",
            f"{prefix}-confidence": "-2+3",
        },
    )
    assert response.status_code == 302
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    body = app.test_client().get(f"/safeguards/assessments/{assessment.id}/answers.csv").get_data()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["process"] == code)
    assert row["justification"] == "'" + formula
    assert row["evidence"].startswith("'@SUM") and row["confidence"] == "'-2+3"
    assert row["rating"] == "1"
