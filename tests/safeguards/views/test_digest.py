"""Thread notifications: one e-mail per decision and recipient, in their language; none per comment."""

from __future__ import annotations

import pytest

from safeguards import services
from safeguards.models import AssessmentState
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, in_scope_codes
from tests.safeguards.views.test_items import post_message
from tests.safeguards.views.test_review import _approve


@pytest.fixture
def cycle(app, login_as, submit, lead, reviewer, assessment, db):
    """Submitted through the site; the reviewer reads Portuguese, a contributor English."""
    answer_all(assessment, rating=1)
    contributor = UserFactory(name="Carla Contribuidora", locale="en")
    services.add_member(assessment.pilot, contributor, services.TeamRole.CONTRIBUTOR)
    reviewer.locale = "pt_BR"
    db.session.commit()
    team = login_as(lead, on=app.test_client())
    assert submit(f"/safeguards/assessments/{assessment.id}/submit/confirm", {}, on=team).status_code == 302
    return {"team": team, "reviewers": login_as(reviewer, on=app.test_client()), "contributor": contributor}


def _review(submit, client, assessment, typed: dict):
    return submit(f"/safeguards/assessments/{assessment.id}/review", typed, on=client)


def test_changes_requested_sends_one_digest_per_person_in_their_language(
    cycle, submit, lead, reviewer, assessment, db, mail_outbox
):
    first, second = in_scope_codes(assessment)[:2]
    before = len(mail_outbox())
    p1, p2 = (f"r{answer_of(db, assessment, code).id}" for code in (first, second))
    _review(
        submit,
        cycle["reviewers"],
        assessment,
        {f"{p1}-reviewer_comment": "Falta el acta", f"{p1}-reviewed_rating": "0"},
    )
    post_message(cycle["reviewers"], assessment, second, "¿Y la auditoría?")
    assert len(mail_outbox()) == before  # comments alone mail nobody
    _review(
        submit,
        cycle["reviewers"],
        assessment,
        {f"{p2}-reviewer_comment": "Sin enlace", "note": "Revisen", "request_changes": "1"},
    )
    mails = mail_outbox()[before:]
    assert sorted(m.to_email for m in mails) == sorted([lead.email, cycle["contributor"].email])
    by_locale = {m.locale: m for m in mails}
    spanish, english = by_locale["es"].body_text, by_locale["en"].body_text
    assert "2 ítems tienen conversaciones abiertas:" in spanish
    assert "2 items have open threads:" in english
    for text in (spanish, english):
        assert "Falta el acta" in text and "¿Y la auditoría?" in text and "Sin enlace" in text
        assert f"/safeguards/assessments/{assessment.id}/steps/{first.split('.')[0]}#item-{first}" in text
    assert "Suggested rating: 0 · Not in place" in english
    assert f'/steps/{first.split(".")[0]}#item-{first}"' in by_locale["es"].body_html


def test_the_resubmission_tells_reviewers_the_replies_once(
    cycle, submit, lead, reviewer, assessment, db, mail_outbox
):
    first, second = in_scope_codes(assessment)[:2]
    p1 = f"r{answer_of(db, assessment, first).id}"
    _review(
        submit,
        cycle["reviewers"],
        assessment,
        {f"{p1}-reviewer_comment": "Falta el acta", "note": "Revisen", "request_changes": "1"},
    )
    before = len(mail_outbox())
    post_message(cycle["team"], assessment, first, "Subimos el acta al repositorio")
    post_message(cycle["team"], assessment, second, "Una duda sobre este ítem")
    assert len(mail_outbox()) == before
    confirm = f"/safeguards/assessments/{assessment.id}/submit/confirm"
    assert submit(confirm, {}, on=cycle["team"]).status_code == 302
    (mail,) = mail_outbox()[before:]
    assert mail.to_email == reviewer.email and mail.locale == "pt_BR"
    assert "2 itens têm conversas abertas:" in mail.body_text
    assert "Subimos el acta al repositorio" in mail.body_text and "Una duda sobre este ítem" in mail.body_text
    assert "Falta el acta" not in mail.body_text  # the reviewers' own words are not sent back to them
    assert f"/safeguards/assessments/{assessment.id}/items/{first}" in mail.body_text
    # the next decision tells the team only what is new
    before = len(mail_outbox())
    assert _approve(cycle["reviewers"], assessment).status_code == 302  # approve, then confirm its preview
    team_mails = mail_outbox()[before:]
    assert team_mails and all("Falta el acta" not in m.body_text for m in team_mails)
    assert db.session.get(type(assessment), assessment.id).state is AssessmentState.APPROVED


def test_the_changes_requested_link_leads_to_the_note_and_the_open_items(
    cycle, submit, lead, assessment, db, mail_outbox
):
    first = in_scope_codes(assessment)[0]
    p1 = f"r{answer_of(db, assessment, first).id}"
    typed = {f"{p1}-reviewer_comment": "Falta el acta", "note": "Revisen el acta", "request_changes": "1"}
    _review(submit, cycle["reviewers"], assessment, typed)
    mail = next(m for m in mail_outbox() if m.to_email == lead.email and "Revisen el acta" in m.body_text)
    link = next(line for line in mail.body_text.splitlines() if line.endswith(f"s/{assessment.id}"))
    page = cycle["team"].get(link.replace("http://localhost", ""), follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Revisen el acta" in html and "Falta el acta" in html
    assert f"#item-{first}" in html
