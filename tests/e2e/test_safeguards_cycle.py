"""The whole review cycle in Chromium at 1280 px, in each language, by the people who run it.

A pilot team submits; a reviewer comments on an item and asks for changes; the team reads the comment on
the wizard step, replies, fixes the answer and submits again; the reviewer sees the reply and the change
and approves after the preview; an admin publishes after the preview, then withdraws with a public reason.
Every step goes through the real pages (links, forms, buttons); each page is checked in the person's own
words, taken from translations/<lang>/LC_MESSAGES/messages.po (English is the source).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from consortium.db import db
from tests.e2e import test_safeguards_layout
from tests.e2e.test_trainings import _sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
wizard = test_safeguards_layout.wizard
cycle = test_safeguards_layout.cycle

WORDS = {
    "es": {
        "submitted": "Enviada a revisión",
        "changes_requested": "Cambios solicitados",
        "approved": "Aprobada",
        "published": "Publicada",
        "withdrawn": "Retirada",
        "confirm_title": "Confirmar el envío",
        "still_open": "1 conversación abierta todavía",
        "sent": "Enviada. Se avisó a las personas revisoras",
        "sent_back": "La evaluación volvió al equipo con sus comentarios.",
        "asked_for": "Lo que solicitaron las personas revisoras",
        "reviewers": "Revisores(as)",
        "team": "Equipo",
        "suggested": "Calificación sugerida: 1 · Inicial",
        "message_added": "Su mensaje se añadió a la conversación.",
        "changed_since": "Cambios desde el envío 1",
        "review_title": "Revisar la evaluación",
        "approve_title": "Aprobar la evaluación",
        "preview": "Lo que todo el mundo verá una vez publicada",
        "approved_flash": "La evaluación está aprobada. Ya no se puede modificar.",
        "publish_title": "Publicar los resultados y los datos abiertos",
        "published_flash": "Publicada: los resultados y los datos abiertos ya son públicos.",
        "withdraw_title": "Retirar los resultados publicados",
        "withdrawn_flash": "Retirada: su página y sus datos abiertos ahora lo indican, con su motivo.",
        "withdrawn_on": "Estos resultados se retiraron el",
        "reason_given": "Motivo indicado:",
        "changes_mail": "Se solicitaron cambios en su evaluación",
        "comment": "El acta no dice quién decide la retención de los datos.",
        "note": "Revisen O5 antes de volver a enviar.",
        "reply": "Añadimos el acta firmada de 2026 con el responsable de los datos.",
        "evidence": "Acta firmada de 2026: la directora de datos decide la retención.",
        "reason": "Se publicó con datos de otro sistema.",
    },
    "pt_BR": {
        "submitted": "Enviada para revisão",
        "changes_requested": "Alterações solicitadas",
        "approved": "Aprovada",
        "published": "Publicada",
        "withdrawn": "Retirada",
        "confirm_title": "Confirmar o envio",
        "still_open": "1 conversa ainda aberta",
        "sent": "Enviada. As pessoas revisoras foram avisadas",
        "sent_back": "A avaliação voltou para a equipe com seus comentários.",
        "asked_for": "O que as pessoas revisoras pediram",
        "reviewers": "Revisores(as)",
        "team": "Equipe",
        "suggested": "Nota sugerida: 1 · Inicial",
        "message_added": "Sua mensagem foi adicionada à conversa.",
        "changed_since": "Mudanças desde o envio 1",
        "review_title": "Revisar a avaliação",
        "approve_title": "Aprovar a avaliação",
        "preview": "O que todos verão depois da publicação",
        "approved_flash": "A avaliação foi aprovada. Ela não pode mais ser alterada.",
        "publish_title": "Publicar os resultados e os dados abertos",
        "published_flash": "Publicada: os resultados e os dados abertos agora são públicos.",
        "withdraw_title": "Retirar os resultados publicados",
        "withdrawn_flash": "Retirada: a página e os dados abertos agora informam isso, com o seu motivo.",
        "withdrawn_on": "Estes resultados foram retirados em",
        "reason_given": "Motivo informado:",
        "changes_mail": "A equipe de revisão pediu alterações na sua avaliação",
        "comment": "A ata não diz quem decide a retenção dos dados.",
        "note": "Revisem O5 antes de enviar de novo.",
        "reply": "Juntamos a ata assinada de 2026 com o responsável pelos dados.",
        "evidence": "Ata assinada de 2026: a diretora de dados decide a retenção.",
        "reason": "Foi publicada com dados de outro sistema.",
    },
    "en": {
        "submitted": "Submitted for review",
        "changes_requested": "Changes requested",
        "approved": "Approved",
        "published": "Published",
        "withdrawn": "Withdrawn",
        "confirm_title": "Confirm the submission",
        "still_open": "1 conversation still open",
        "sent": "Submitted. The reviewers were told",
        "sent_back": "The assessment went back to the team with your comments.",
        "asked_for": "What the reviewers asked for",
        "reviewers": "Reviewers",
        "team": "Team",
        "suggested": "Suggested rating: 1 · Initial",
        "message_added": "Your message was added to the thread.",
        "changed_since": "Changed since submission 1",
        "review_title": "Review the assessment",
        "approve_title": "Approve the assessment",
        "preview": "What everyone will see once it is published",
        "approved_flash": "The assessment is approved. It can no longer change.",
        "publish_title": "Publish the results and the open data",
        "published_flash": "Published: the results and open data are public now.",
        "withdraw_title": "Withdraw the published results",
        "withdrawn_flash": "Withdrawn: its page and open data now say so, with your reason.",
        "withdrawn_on": "These results were withdrawn on",
        "reason_given": "Reason given:",
        "changes_mail": "Reviewers asked for changes to your assessment",
        "comment": "The minutes do not say who decides how long data is kept.",
        "note": "Please revise O5 before sending it again.",
        "reply": "We added the signed 2026 minutes naming the data owner.",
        "evidence": "Signed 2026 minutes: the head of data decides retention.",
        "reason": "It was published with another system's data.",
    },
}
WIDTH = 1280


def _person(browser, live_server, language, user=None):
    """A browser at desktop width in ``language``; the team logs in through the form, staff get a session."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale=language.replace("_", "-"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors, page.language = [], language.replace("_", "-")
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if user is not None and user.is_staff:  # staff log in with a second factor: a session instead
        db.session.rollback()
        _sign_in(context, live_server, user)
    elif user is not None:
        page.goto(live_server + "/login")
        form = page.locator("main form[method=post]")
        form.locator("input[name=email]").fill(user.email)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(live_server + "/home")
    return page


def _main(page) -> str:
    return page.locator("main").inner_text()


def _fits(page) -> None:
    assert page.locator("html").get_attribute("lang") == page.language, page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    assert page.errors == [], page.errors


def _flash(page) -> str:
    return page.locator(".flashes").inner_text()


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_a_team_and_a_reviewer_go_through_the_whole_cycle(browser, live_server, cycle, mail_outbox, language):
    words = WORDS[language]
    for person in ("lead", "reviewer", "admin"):
        cycle[person].locale = language
    db.session.commit()
    assessment_id, code, prefix = cycle["assessment"].id, cycle["code"], cycle["prefix"]
    base = f"{live_server}/safeguards/assessments/{assessment_id}"
    answer_id = prefix.removeprefix("a")
    team = _person(browser, live_server, language, cycle["lead"])
    reviewer = _person(browser, live_server, language, cycle["reviewer"])
    admin = _person(browser, live_server, language, cycle["admin"])
    public = _person(browser, live_server, language)

    # 1. The team submits: the summary, then the confirmation.
    team.goto(f"{base}/submit")
    team.locator(f"a[href$='/assessments/{assessment_id}/submit/confirm']").click()
    expect(team.locator("h1")).to_have_text(words["confirm_title"])
    team.locator("main form[method=post] button[type=submit]").click()
    team.wait_for_url(f"{base}/results")
    assert words["sent"] in _flash(team) and words["submitted"] in _main(team)

    # 2. The reviewer comments on one item, suggests a rating and sends the assessment back.
    reviewer.goto(base)  # a submitted assessment opens on its review for a reviewer
    reviewer.wait_for_url(f"{base}/review")
    expect(reviewer.locator("h1")).to_have_text(words["review_title"])
    _fits(reviewer)
    item = reviewer.locator(f"[id='review-{code}']")
    item.locator(f"select[name='r{answer_id}-reviewed_rating']").select_option("1")
    item.locator(f"textarea[name='r{answer_id}-reviewer_comment']").fill(words["comment"])
    reviewer.locator("textarea[name=note]").fill(words["note"])
    reviewer.locator("[type=submit][name=request_changes]").click()
    reviewer.wait_for_url(f"{base}/results")
    assert words["sent_back"] in _flash(reviewer) and words["changes_requested"] in _main(reviewer)
    db.session.rollback()
    mails = [m for m in mail_outbox() if m.to_email == cycle["lead"].email]
    assert [(m.locale, m.subject) for m in mails][-1:] == [(language, words["changes_mail"])]

    # 3. The team opens the assessment: it lands on the step with the open thread and reads the comment.
    team.goto(base)
    team.wait_for_url(re.compile(rf"{re.escape(base)}/steps/O5"))
    _fits(team)
    heading = team.locator("main p.muted", has_text=cycle["assessment"].pilot.title).first
    assert words["changes_requested"] in heading.inner_text()
    asked = team.locator(".notice", has_text=words["asked_for"])
    assert words["note"] in asked.inner_text()
    assert asked.locator(f"a[href$='#item-{code}']").count() == 1
    thread = team.locator(f"[id='item-{code}'] .item-thread")
    said = thread.locator(".thread-message.side-reviewers")
    assert words["comment"] in said.inner_text() and words["suggested"] in said.inner_text()
    assert words["reviewers"] in said.inner_text()

    # 4. The team replies in the item's thread, and comes back to the step.
    thread.locator(f"a[href*='/items/{code}'][href$='#reply']").click()
    reply = team.locator("form#reply")
    reply.locator("textarea[name=body]").fill(words["reply"])
    reply.locator("button[type=submit]").click()
    team.wait_for_url(re.compile(rf"{re.escape(base)}/steps/O5"))
    assert words["message_added"] in _flash(team)
    answered = team.locator(f"[id='item-{code}'] .thread-message.side-team")
    assert words["reply"] in answered.inner_text() and words["team"] in answered.inner_text()

    # 5. ... fixes the answer (saved with the step's button), and submits again.
    team.locator(f"input[name='{prefix}-choice'][value='3']").check()
    team.locator(f"#{prefix}-evidence").fill(words["evidence"])
    with team.expect_navigation():
        team.locator("button[name=go][value=stay]").click()
    assert team.locator(f"#{prefix}-evidence").input_value() == words["evidence"]
    assert team.locator(f"input[name='{prefix}-choice'][value='3']").is_checked()
    team.goto(f"{base}/submit")
    team.locator(f"a[href$='/assessments/{assessment_id}/submit/confirm']").click()
    expect(team.locator("main")).to_contain_text(
        words["still_open"]
    )  # the reviewer has not closed the thread yet
    team.locator("main form[method=post] button[type=submit]").click()
    team.wait_for_url(f"{base}/results")
    assert words["sent"] in _flash(team) and words["submitted"] in _main(team)

    # 6. The reviewer sees the reply and what changed, then approves on the preview.
    reviewer.goto(base)
    reviewer.wait_for_url(f"{base}/review")
    item = reviewer.locator(f"[id='review-{code}']")
    assert words["reply"] in item.locator(".thread-message.side-team").inner_text()
    changes = item.locator("details.item-changes")
    assert words["changed_since"] in changes.inner_text() and words["evidence"] in changes.inner_text()
    with reviewer.expect_navigation():  # the review is saved, and the approval's preview shown
        reviewer.locator("[type=submit][name=approve]").click()
    expect(reviewer.locator("h1")).to_have_text(words["approve_title"])
    preview = reviewer.locator("section.preview")
    assert words["preview"] in preview.inner_text() and words["evidence"] in preview.inner_text()
    _fits(reviewer)
    reviewer.locator("form#confirm [type=submit][name=confirm]").click()
    reviewer.wait_for_url(f"{base}/results")
    assert words["approved_flash"] in _flash(reviewer) and words["approved"] in _main(reviewer)

    # 7. An admin publishes after the preview; everyone sees the results.
    admin.goto(f"{base}/results")
    admin.locator(f"main a[href$='/assessments/{assessment_id}/publish']").click()
    expect(admin.locator("h1")).to_have_text(words["publish_title"])
    assert words["evidence"] in admin.locator("section.preview").inner_text()
    _fits(admin)
    admin.locator("form#confirm button[type=submit]").click()
    admin.wait_for_url(f"{base}/results")
    assert words["published_flash"] in _flash(admin)
    public.goto(f"{base}/results")
    assert words["published"] in _main(public) and cycle["assessment"].pilot.title in _main(public)
    _fits(public)

    # 8. The admin withdraws it with a public reason; the public page then says so.
    admin.locator(f"main a[href$='/assessments/{assessment_id}/withdraw']").click()
    expect(admin.locator("h1")).to_have_text(words["withdraw_title"])
    admin.locator("textarea[name=reason]").fill(words["reason"])
    admin.locator("main form [type=submit][name=confirm]").click()
    admin.wait_for_url(f"{base}/results")
    assert words["withdrawn_flash"] in _flash(admin)
    public.reload()
    record = public.locator(".withdrawn").inner_text()
    assert words["withdrawn_on"] in record and words["reason_given"] in record and words["reason"] in record
    assert words["withdrawn"] in _main(public)
    _fits(public)
    for page in (team, reviewer, admin, public):
        page.context.close()
