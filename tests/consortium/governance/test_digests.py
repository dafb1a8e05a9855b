"""The followers' digests: events are kept, not mailed one by one; ``flask governance digest --daily`` or
``--weekly`` sends each follower one e-mail per period, in their language, with what happened since their
last digest in what they follow, an unfollow link for each, and nothing to anyone with nothing new."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import current_app

from consortium import transaction
from consortium.governance import services
from consortium.governance.records import ConsultationFollow, DigestFrequency, SpaceFollow
from consortium.governance.services.digests import send_digests
from consortium.mail import OutboxMessage
from tests.conftest import hidden_fields
from tests.factories import UserFactory
from tests.race import ServerProcesses
from tests.safeguards.race import _slow_every_first_write

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _follower(target, db, locale, frequency=DigestFrequency.DAILY):
    person = UserFactory(locale=locale)
    db.session.commit()
    with transaction.writing():
        services.follow(target, person, frequency)
        db.session.commit()
    return person


def _digest(frequency=DigestFrequency.DAILY) -> int:
    with current_app.test_request_context(), transaction.writing(), transaction.action():
        return send_digests(frequency)


def _messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _decide(login_as, submit, convenor, space, text):
    login_as(convenor)
    data = {"text": text, "rationale": "Porque sí.", "language": "es", "meeting_id": "0"}
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 302


@pytest.fixture
def clock(mail_outbox):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def test_each_follower_gets_one_digest_a_day_in_their_language(
    clock, app, login_as, submit, space, convenor, make_consultation, make_space, db
):
    pt = _follower(space, db, "pt_BR")
    other_space = make_space(slug="bre-b")
    _follower(other_space, db, "es")  # follows a quiet space: nothing to say
    UserFactory()  # follows nothing
    db.session.commit()
    clock.shift(timedelta(hours=1))
    with app.test_request_context():
        consultation = make_consultation(space)
    clock.shift(timedelta(minutes=1))
    only_it = _follower(consultation, db, "en")
    clock.shift(timedelta(hours=1))
    _decide(login_as, submit, convenor, space, "Publicar las estadísticas.")
    page = f"/governance/consultations/{consultation.id}"
    assert submit(page, {}, action=f"{page}/close").status_code == 302
    assert _messages(db) == []  # nothing is mailed event by event any more
    clock.shift(timedelta(hours=8))
    assert _digest() == 2
    by_person = {m.to_email: m for m in _messages(db)}
    assert set(by_person) == {pt.email, only_it.email}
    mail = by_person[pt.email]
    assert mail.locale == "pt_BR" and mail.template == "governance/digest"
    assert "Publicar las estadísticas" not in mail.subject  # no user text in headers
    assert "Consulta aberta: Consulta sobre Pix" in mail.body_text
    assert "Decisão publicada: Publicar las estadísticas." in mail.body_text
    assert f"/governance/consultations/{consultation.id}" in mail.body_text
    assert "Espaço do Pix" in mail.body_text
    assert f'/governance/consultations/{consultation.id}">Consulta sobre Pix</a>' in mail.body_html
    assert "você segue:\n\nEspaço do Pix\n- Consulta aberta" in mail.body_text
    assert "- Espaço do Pix: http://localhost/governance/unfollow/" in mail.body_text
    assert "Deixar de seguir Espaço do Pix</a>" in mail.body_html
    assert (
        "Consulta encerrada; suas respostas oficiais estão sendo preparadas: Consulta sobre Pix"
        in mail.body_text
    )
    # the consultation's follower followed it after it opened, and nothing else
    assert by_person[only_it.email].locale == "en"
    text = by_person[only_it.email].body_text
    assert "Consultation closed; its official responses are being prepared: Consulta sobre Pix" in text
    assert "Consultation opened" not in text and "Publicar" not in text
    assert _digest() == 0  # a rerun the same day sends nothing
    clock.shift(timedelta(days=1))
    assert _digest() == 0  # nothing new since
    _decide(login_as, submit, convenor, space, "Segunda decisión.")
    clock.shift(timedelta(hours=1))
    assert _digest() == 1
    latest = _messages(db)[-1]
    assert latest.to_email == pt.email
    assert "Segunda decisión." in latest.body_text and "Consulta sobre Pix" not in latest.body_text


def test_a_weekly_follower_gets_one_digest_a_week(clock, app, login_as, submit, space, convenor, db):
    weekly = _follower(space, db, "en", DigestFrequency.WEEKLY)
    daily = _follower(space, db, "es")
    clock.shift(timedelta(minutes=5))
    _decide(login_as, submit, convenor, space, "Lunes.")
    clock.shift(timedelta(days=2))
    _decide(login_as, submit, convenor, space, "Miércoles.")
    clock.shift(timedelta(days=2))
    assert _digest(DigestFrequency.WEEKLY) == 1
    (mail,) = _messages(db)
    assert mail.to_email == weekly.email
    assert "What happened this week" in mail.body_text
    assert "Decision published: Lunes." in mail.body_text and "Miércoles." in mail.body_text
    clock.shift(timedelta(days=2))  # Sunday: still the same week
    _decide(login_as, submit, convenor, space, "Domingo.")
    assert _digest(DigestFrequency.WEEKLY) == 0
    clock.shift(timedelta(days=1))  # the next Monday
    assert _digest(DigestFrequency.WEEKLY) == 1
    assert "Domingo." in _messages(db)[-1].body_text and "Lunes." not in _messages(db)[-1].body_text
    assert daily.email not in {m.to_email for m in _messages(db)}  # daily digests are another run


def test_the_digest_unfollow_link_stops_that_follow(
    clock, app, client, login_as, submit, space, convenor, db
):
    person = _follower(space, db, "en")
    clock.shift(timedelta(minutes=5))
    _decide(login_as, submit, convenor, space, "Decidimos.")
    assert _digest() == 1
    (mail,) = _messages(db)
    link = re.search(r"http://[^/\s]+(/governance/unfollow/\S+)", mail.body_text).group(1)
    visitor = app.test_client()  # not signed in: the link is enough
    visitor.set_cookie("lang", "en")
    page = visitor.get(link)
    assert page.status_code == 200 and "Stop following" in page.get_data(as_text=True)
    assert db.session.scalars(sa.select(SpaceFollow.user_id)).all() == [person.id]  # a GET changes nothing
    response = visitor.post(link, data=hidden_fields(page.get_data(as_text=True), ""))
    assert response.status_code == 200 and "You no longer follow" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(sa.select(SpaceFollow)).all() == []
    assert visitor.get(link).status_code == 404  # used: the follow is gone
    assert visitor.get(link[:-3] + "abc").status_code == 404  # tampered


def test_a_follower_who_may_no_longer_see_the_space_gets_nothing(
    clock, login_as, submit, space, convenor, db
):
    _follower(space, db, "es")
    clock.shift(timedelta(minutes=5))
    _decide(login_as, submit, convenor, space, "Decidimos.")
    space.is_public = False  # members only now, and the follower holds no seat
    db.session.commit()
    assert _digest() == 0 and _messages(db) == []


def test_a_refused_event_is_not_kept(clock, login_as, space, convenor, submit, db):
    _follower(space, db, "es")
    login_as(convenor)
    data = {"text": "Decidimos.", "rationale": "", "language": "es", "meeting_id": "0"}
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 200
    clock.shift(timedelta(hours=1))
    assert _digest() == 0


def test_the_cli_command_queues_the_digests(clock, app, login_as, submit, space, convenor, db):
    _follower(space, db, "es", DigestFrequency.WEEKLY)
    clock.shift(timedelta(minutes=5))
    _decide(login_as, submit, convenor, space, "Decidimos.")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["governance", "digest", "--weekly"])
    assert result.exit_code == 0 and "Queued 1 weekly" in result.output
    result = app.test_cli_runner().invoke(args=["governance", "digest", "--weekly"])
    assert "Queued 0 weekly" in result.output


def _run_digest(app, _payload, barrier):
    with app.app_context():
        barrier.wait(timeout=120)
        with app.test_request_context(), transaction.writing(), transaction.action():
            return send_digests(DigestFrequency.DAILY)


def test_two_runs_at_once_send_each_digest_once(
    app, database_url, login_as, submit, space, convenor, make_consultation, mail_outbox, db
):
    people = [_follower(space, db, "es") for _ in range(3)]
    with app.test_request_context():
        consultation = make_consultation(space)
    _follower(consultation, db, "pt_BR")
    db.session.execute(sa.update(SpaceFollow).values(created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.execute(sa.update(ConsultationFollow).values(created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()
    processes = ServerProcesses({"SQLALCHEMY_DATABASE_URI": database_url}, 2, setup=_slow_every_first_write)
    try:
        sent = processes.run(_run_digest, [None, None])
    finally:
        processes.close()
    db.session.rollback()
    assert sum(sent) == 4, sent
    assert sorted(m.to_email for m in _messages(db)) == sorted(
        {m.to_email for m in _messages(db)} | {p.email for p in people}
    )
    assert len(_messages(db)) == 4
