"""Answer history through HTTP: versions per author and round, the item's history page, what changed since the
last submission on the review page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium.db import utcnow
from safeguards import services
from safeguards.item_models import AnswerVersion, Submission
from safeguards.models import AssessmentState
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, in_scope_codes, step_url
from tests.safeguards.views.test_items import item_url


class Autosave:
    """The wizard's script: saves one item from the version the last save returned."""

    def __init__(self, client, csrf_token, db, assessment):
        self.client, self.db, self.assessment = client, db, assessment
        code = in_scope_codes(assessment)[0]
        self.headers = {"X-CSRFToken": csrf_token(on=client, page=step_url(assessment, code.split(".")[0]))}

    def __call__(self, code: str, **fields):
        version = answer_of(self.db, self.assessment, code).version
        body = {"choice": "1", "justification": "", "evidence": "", "links": "", "confidence": "", **fields}
        response = self.client.post(
            f"/safeguards/assessments/{self.assessment.id}/answers/{code}",
            json={**body, "version": version},
            headers=self.headers,
        )
        assert response.status_code == 200, response.get_json()
        return response


def versions(db, assessment, code) -> list[AnswerVersion]:
    db.session.expire_all()
    answer = answer_of(db, assessment, code)
    return db.session.scalars(
        sa.select(AnswerVersion).where(AnswerVersion.answer_id == answer.id).order_by(AnswerVersion.number)
    ).all()


@pytest.fixture
def contributor(pilot, db):
    person = UserFactory(name="Carla Contribuidora")
    services.add_member(pilot, person, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    return person


def test_one_authors_saves_within_minutes_make_one_version(
    app, client, login_as, csrf_token, lead, contributor, assessment, db
):
    code = in_scope_codes(assessment)[0]
    save = Autosave(login_as(lead), csrf_token, db, assessment)
    for text in ("Acta", "Acta de", "Acta de 2024"):
        save(code, evidence=text)
    (only,) = versions(db, assessment, code)
    assert (only.number, only.saves, only.evidence, only.author_id) == (1, 3, "Acta de 2024", lead.id)

    other = Autosave(login_as(contributor, on=app.test_client()), csrf_token, db, assessment)
    other(code, evidence="Acta de 2024 firmada")
    save(code, evidence="Acta de 2024 firmada y publicada")
    assert [(v.number, v.author_id) for v in versions(db, assessment, code)] == [
        (1, lead.id),
        (2, contributor.id),
        (3, lead.id),
    ]
    # a pause longer than the window starts a new version too
    latest = versions(db, assessment, code)[-1]
    latest.saved_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    save(code, evidence="Acta final")
    assert [v.number for v in versions(db, assessment, code)] == [1, 2, 3, 4]


def test_a_submission_always_cuts_a_version(
    client, login_as, csrf_token, submit, lead, reviewer, assessment, db, mail_outbox
):
    answer_all(assessment, rating=1)
    code = in_scope_codes(assessment)[0]
    save = Autosave(login_as(lead), csrf_token, db, assessment)
    save(code, evidence="Primera")
    assert submit(f"/safeguards/assessments/{assessment.id}/submit/confirm", {}).status_code == 302
    first = versions(db, assessment, code)
    assert first[-1].submission is not None and first[-1].submission.number == 1
    assessment.state = AssessmentState.CHANGES_REQUESTED
    db.session.commit()
    save(code, evidence="Segunda")  # seconds later, same author: still a new version
    after = versions(db, assessment, code)
    assert len(after) == len(first) + 1 and after[-1].submission_id is None


def test_the_first_change_keeps_the_answer_it_replaced(client, login_as, csrf_token, lead, assessment, db):
    answer_all(assessment, rating=2)  # as copied from the previous cycle
    code = in_scope_codes(assessment)[0]
    Autosave(login_as(lead), csrf_token, db, assessment)(
        code, choice="3", evidence="Nueva", links="https://a.org"
    )
    baseline, saved = versions(db, assessment, code)
    assert (baseline.saves, baseline.rating, baseline.evidence) == (0, 2, "Informe")
    assert (saved.saves, saved.rating, saved.evidence) == (1, 3, "Nueva")


def _round_trip(app, login_as, csrf_token, submit, lead, reviewer, assessment, db):
    """Submit, have changes requested, change one item, submit again."""
    answer_all(assessment, rating=1)
    changed, untouched = in_scope_codes(assessment)[:2]
    team = login_as(lead)
    save = Autosave(team, csrf_token, db, assessment)
    save(changed, evidence="Acta de la junta de 2023")
    assert submit(f"/safeguards/assessments/{assessment.id}/submit/confirm", {}).status_code == 302
    reviewers = login_as(reviewer, on=app.test_client())
    review = f"/safeguards/assessments/{assessment.id}/review"
    assert (
        submit(review, {"note": "Actualicen el acta", "request_changes": "1"}, on=reviewers).status_code
        == 302
    )
    save(changed, choice="2", evidence="Acta de la junta de 2024, firmada")
    assert submit(f"/safeguards/assessments/{assessment.id}/submit/confirm", {}).status_code == 302
    return reviewers, changed, untouched


def test_reviewers_see_what_changed_since_the_last_submission(
    app, client, login_as, csrf_token, submit, lead, reviewer, assessment, db, mail_outbox
):
    reviewers, changed, untouched = _round_trip(
        app, login_as, csrf_token, submit, lead, reviewer, assessment, db
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 2
    html = reviewers.get(f"/safeguards/assessments/{assessment.id}/review").get_data(as_text=True)
    block = html.split(f'id="review-{changed}"')[1].split("</fieldset>")[0]
    assert "Cambios desde el envío 1" in block
    assert "1 · Inicial" in block and "2 · Parcial" in block
    assert '<del><span class="visually-hidden">eliminado: </span>2023</del>' in block
    assert '<ins><span class="visually-hidden">añadido: </span>2024, firmada</ins>' in block
    other = html.split(f'id="review-{untouched}"')[1].split("</fieldset>")[0]
    assert "Cambios desde el envío" not in other


def test_the_item_page_lists_every_version_with_its_author(
    app, client, login_as, csrf_token, submit, lead, reviewer, assessment, db, mail_outbox
):
    reviewers, changed, _ = _round_trip(app, login_as, csrf_token, submit, lead, reviewer, assessment, db)
    html = reviewers.get(item_url(assessment, changed)).get_data(as_text=True)
    history = html.split('id="history"')[1]
    assert history.count('class="card history-version"') == 3  # the copied answer, round 1, round 2
    assert (
        "Versión 3" in history and "Enviada en el envío 2" in history and "Enviada en el envío 1" in history
    )
    assert lead.name in history
    assert "La respuesta tal como estaba antes" in history


@pytest.mark.parametrize(("role", "status"), [("other_team", 404), ("anonymous", 302), ("staff", 404)])
def test_the_history_is_private_to_the_team_and_reviewers(app, login_as, people, assessment, role, status):
    from tests.safeguards.views.conftest import client_as

    code = in_scope_codes(assessment)[0]
    assert client_as(role, app, login_as, people).get(item_url(assessment, code)).status_code == status
