"""The public catalogue through HTTP: listing, filters, a training's page, its calendar, suggestions."""

from __future__ import annotations

from icalendar import Calendar

from tests.trainings.factories import make_member, make_training
from trainings.models import (
    Modality,
    TrainingState,
)


def test_catalogue_lists_upcoming_with_seats_and_hides_drafts(client, db):
    make_training(title={"es": "Identidad digital"}, capacity=12)
    make_training(title={"es": "Borrador secreto"}, state=TrainingState.DRAFT)
    make_training(title={"es": "Ya pasó"}, days_ahead=-30)
    db.session.commit()
    html = client.get("/trainings").get_data(as_text=True)
    assert "Identidad digital" in html and "12 seats left" in html
    assert "Borrador secreto" not in html and "Ya pasó" not in html
    past = client.get("/trainings?when=past").get_data(as_text=True)
    assert "Ya pasó" in past and "Identidad digital" not in past


def test_catalogue_filters_by_topic_modality_country_and_language(client, db):
    make_training(
        title={"es": "Pagos en Brasil"}, topics=["payments"], country="BR", modality=Modality.IN_PERSON
    )
    make_training(title={"es": "Safeguards online"}, topics=["safeguards"], instruction_language="en")
    db.session.commit()
    assert "Pagos en Brasil" in client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "Safeguards online" not in client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "Safeguards online" not in client.get("/trainings?modality=in_person").get_data(as_text=True)
    assert "Pagos en Brasil" in client.get("/trainings?country=BR").get_data(as_text=True)
    by_language = client.get("/trainings?language=en").get_data(as_text=True)
    assert "Safeguards online" in by_language and "Pagos en Brasil" not in by_language


def test_catalogue_query_count_does_not_grow_with_trainings(client, db, count_queries):
    def seed(n):
        for _ in range(n):
            make_training()
        db.session.commit()

    seed(5)
    with count_queries() as small:
        assert client.get("/trainings").status_code == 200
    seed(10)
    with count_queries() as large:
        assert client.get("/trainings").status_code == 200
    assert len(small) == len(large) <= 4


def test_catalogue_query_count_is_small_for_a_signed_in_member(client, db, count_queries, login_as):
    person = make_member()
    db.session.commit()
    login_as(person)
    counts = []
    for n in (4, 12):
        for _ in range(n):
            make_training()
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/trainings").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4  # session and memberships, then the page and its count


def test_dates_are_shown_in_the_viewers_zone_and_language(client, db, login_as):
    training = make_training()
    person = make_member(timezone="Asia/Tokyo", locale="en")
    db.session.commit()
    login_as(person)
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "Times are shown in Japan Time." in html and "Standard Time" not in html  # named once
    assert "At the training: " in html and "(Colombia Time)" in html


def test_training_shown_in_its_own_language_with_a_notice(client, db):
    training = make_training(title={"pt_BR": "Oficina de pagamentos"}, summary={}, language="pt_BR")
    db.session.commit()
    html = client.get(f"/trainings/{training.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Oficina de pagamentos" in html and 'lang="pt-BR"' in html
    assert "not yet available in your language" in html


def test_draft_is_not_found_for_members_but_visible_to_staff(client, db, login_as, staff):
    draft = make_training(state=TrainingState.DRAFT)
    person = make_member()
    db.session.commit()
    assert client.get(f"/trainings/{draft.id}").status_code == 404
    login_as(person)
    assert client.get(f"/trainings/{draft.id}").status_code == 404
    assert client.get(f"/trainings/{draft.id}.ics").status_code == 404
    login_as(staff)
    assert client.get(f"/trainings/{draft.id}").status_code == 200


def test_ics_has_one_event_per_session_and_no_private_link(client, db):
    training = make_training(sessions=2, title={"es": "Taller de identidad"})
    db.session.commit()
    response = client.get(f"/trainings/{training.id}.ics")
    assert response.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    assert len(events) == 2
    assert str(events[0]["summary"]).startswith("Taller de identidad")
    assert events[0].decoded("dtstart") == training.sessions[0].starts_at
    assert "secret-room" not in response.get_data(as_text=True)


def test_training_page_has_a_share_link_and_calendar_link(client, training):
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f"http://localhost/trainings/{training.id}" in html
    assert f"/trainings/{training.id}.ics" in html
    assert "https://wa.me/?text=" in html and "mailto:?subject=" in html


def test_suggestions_provider_offers_upcoming_trainings_for_principles(app, db):
    from consortium.suggestions import for_principles

    make_training(title={"es": "Sobre F3"}, principles=["F3"])
    make_training(title={"es": "Otra"}, principles=["O1"])
    make_training(title={"es": "Pasada"}, principles=["F3"], days_ahead=-3)
    db.session.commit()
    with app.test_request_context():
        found = for_principles(["F3"])["trainings"]
    assert [s.title for s in found] == ["Sobre F3"] and found[0].principles == ("F3",)


def test_catalogue_pages_keep_the_filters(client, db):
    for _ in range(30):
        make_training(topics=["payments"])
    db.session.commit()
    html = client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "/trainings?topic=payments&amp;page=2" in html
    assert client.get("/trainings?topic=payments&page=2").status_code == 200
