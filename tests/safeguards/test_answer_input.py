"""What a team may write in an answer, by every way in (wizard form, autosave, API): links only to the web."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.users import services as user_services
from safeguards.models import Answer, AnswerStatus, AssessmentState, Process
from tests.conftest import field_error
from tests.safeguards.views.conftest import in_scope_codes, step_url

SCRIPT_LINKS = [
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "https://example.org/informe\njavascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "example.org/informe",  # not an address: the browser would resolve it against our own site
]


def _answer(db, assessment, code) -> Answer:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Answer).join(Process).where(Answer.assessment_id == assessment.id, Process.code == code)
    )


@pytest.mark.parametrize("links", SCRIPT_LINKS)
def test_wizard_refuses_links_a_browser_would_run(client, login_as, submit, lead, assessment, db, links):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = f"a{_answer(db, assessment, code).id}"
    response = submit(
        step_url(assessment, code.split(".")[0]),
        {f"{prefix}-choice": "3", f"{prefix}-evidence": "Informe anual", f"{prefix}-links": links},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, f"{prefix}-links")
    assert "Informe anual" in html  # what was typed is kept
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_wizard_accepts_web_and_mail_links_one_a_line(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = f"a{_answer(db, assessment, code).id}"
    links = "https://example.org/informe\r\nhttp://example.org/acta?id=1#p2\r\nmailto:datos@example.org"
    response = submit(
        step_url(assessment, code.split(".")[0]),
        {f"{prefix}-choice": "3", f"{prefix}-evidence": "Informe anual", f"{prefix}-links": links},
    )
    assert response.status_code == 302
    assert _answer(db, assessment, code).links == links.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("field", "value"), [("confidence", "Media\nBcc: x@example.org"), ("evidence", "Informe\x00anual")]
)
def test_wizard_refuses_control_characters(client, login_as, submit, lead, assessment, db, field, value):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = f"a{_answer(db, assessment, code).id}"
    response = submit(
        step_url(assessment, code.split(".")[0]),
        {f"{prefix}-choice": "2", f"{prefix}-evidence": "Informe", f"{prefix}-{field}": value},
    )
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), f"{prefix}-{field}")
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_autosave_refuses_a_script_link(client, login_as, csrf_token, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    response = client.post(
        f"/safeguards/assessments/{assessment.id}/answers/{code}",
        json={"choice": "3", "evidence": "Informe", "links": "javascript:alert(1)", "version": 1},
        headers={"X-CSRFToken": csrf_token(page=step_url(assessment, code.split(".")[0]))},
    )
    assert response.status_code == 422 and "links" in response.get_json()["errors"]
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_api_refuses_a_script_link(client, db, lead, assessment):
    _token, secret = user_services.create_api_token(lead, "tests")
    db.session.commit()
    code = in_scope_codes(assessment)[0]
    response = client.put(
        f"/api/v1/assessments/{assessment.id}/answers/{code}",
        json={"status": "rated", "rating": 3, "evidence": "Informe", "links": "javascript:alert(1)"},
        headers={"Authorization": f"Bearer {secret}", "If-Match": '"1"'},
    )
    assert response.status_code == 422
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_stored_script_links_are_shown_as_text_to_reviewers(client, login_as, reviewer, assessment, db):
    code = in_scope_codes(assessment)[0]
    answer = _answer(db, assessment, code)
    answer.status, answer.rating, answer.evidence = AnswerStatus.RATED, 3, "Informe"
    answer.links = "javascript:alert(1)\nhttps://example.org/informe"
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    login_as(reviewer)
    html = client.get(f"/safeguards/assessments/{assessment.id}/review").get_data(as_text=True)
    assert 'href="https://example.org/informe"' in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html.lower()
