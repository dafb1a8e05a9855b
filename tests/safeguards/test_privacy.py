"""A pilot team member's data: exported with the answers they wrote; their membership ends on deletion."""

from __future__ import annotations

import json

import sqlalchemy as sa

from consortium import transaction
from safeguards import answers, services
from safeguards import framework as fw
from safeguards.models import Answer, PilotMember
from tests.factories import PASSWORD


def test_export_lists_pilot_roles_and_answers_written_and_deletion_ends_membership(
    client, submit, login_as, lead, assessment, db
):
    item = next(i for i in services.items(assessment, fw.index(assessment.framework_id)) if i.in_scope)
    with transaction.writing(), transaction.action():
        answers.save_answer(
            item.answer,
            answers.AnswerInput.from_choice("2", justification="Hay un reglamento publicado"),
            expected_version=None,
            by=lead,
        )
    login_as(lead)
    data = json.loads(submit("/account", {}, action="/account/export").get_data(as_text=True))
    assert [m["role"] for m in data["safeguards"]["pilot_roles"]] == ["lead"]
    [answer] = data["safeguards"]["answers_written"]
    assert answer["process"] == item.process.code and answer["justification"] == "Hay un reglamento publicado"
    assert submit("/account/delete", {"current": PASSWORD, "confirm": "y"}).status_code == 302
    assert not db.session.scalars(sa.select(PilotMember).where(PilotMember.user_id == lead.id)).all()
    kept = db.session.get(Answer, item.answer.id)
    assert kept.justification == "Hay un reglamento publicado"  # the team's assessment stays


def test_export_lists_the_messages_a_person_wrote_in_threads(client, submit, login_as, lead, assessment, db):
    from safeguards import threads
    from safeguards.item_models import Side

    item = next(i for i in services.items(assessment, fw.index(assessment.framework_id)) if i.in_scope)
    with transaction.writing(), transaction.action():
        threads.post(item.answer, "Adjuntamos el acta", by=lead, side=Side.TEAM)
    login_as(lead)
    data = json.loads(submit("/account", {}, action="/account/export").get_data(as_text=True))
    [message] = data["safeguards"]["thread_messages"]
    assert (message["process"], message["body"]) == (item.process.code, "Adjuntamos el acta")
