"""A seat's term is a span of dates on its space's calendar: it starts and ends at the space's midnight, in
the space's time zone, not at the server's (UTC), which is three to six hours ahead of the region."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from consortium import worklist
from consortium.governance import models, policies, providers
from consortium.governance.models import SeatRole, Sector
from tests.consortium.governance.conftest import end_from_the_roster
from tests.consortium.governance.test_responses import closed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("mail_outbox")  # ending a seat tells its holder

# 22:00 on 31 May in Mexico City, already 1 June in UTC
EVENING = datetime(2030, 6, 1, 4, 0, tzinfo=UTC)
LOCAL_TODAY, UTC_TODAY = date(2030, 5, 31), date(2030, 6, 1)


@pytest.fixture
def evening_in_mexico(space, monkeypatch, db):
    space.timezone = "America/Mexico_City"
    db.session.commit()
    for module in (models, providers):
        monkeypatch.setattr(module, "utcnow", lambda: EVENING)
    return space


def _seat_of(app, user, space_id):
    with app.test_request_context():
        return policies.seat_of(user, space_id)


def test_a_term_covers_the_dates_of_the_spaces_calendar(app, evening_in_mexico, seat_in, db):
    space = evening_in_mexico
    starts_today = seat_in(space, term_starts_on=LOCAL_TODAY)
    starts_tomorrow = seat_in(space, term_starts_on=UTC_TODAY)
    ends_today = seat_in(space, term_starts_on=date(2030, 1, 1), term_ends_on=LOCAL_TODAY)
    assert space.today() == LOCAL_TODAY
    assert _seat_of(app, starts_today, space.id) is not None
    assert _seat_of(app, starts_tomorrow, space.id) is None
    assert _seat_of(app, ends_today, space.id) is not None
    with app.test_request_context():  # the space page reads the seat with the space
        policies.space_or_404(starts_tomorrow, space.id)
        assert policies.seat_of(starts_tomorrow, space.id) is None


def test_a_seat_ended_in_the_evening_stops_counting_at_once(
    app, client, login_as, evening_in_mexico, convenor, seat_in, db
):
    space = evening_in_mexico
    seated = seat_in(space, SeatRole.MEMBER)
    login_as(convenor)
    assert end_from_the_roster(client, space, seated).term_ends_on == date(2030, 5, 30)  # its yesterday
    assert _seat_of(app, seated, space.id) is None


@pytest.mark.usefixtures("closed")  # two contributions waiting for an official response
def test_what_waits_for_those_who_answer_follows_the_spaces_calendar(app, evening_in_mexico, seat_in, db):
    space = evening_in_mexico
    focal = {"role": SeatRole.FOCAL_POINT, "sector": Sector.GOVERNMENT}
    answers_today = seat_in(space, **focal, term_starts_on=LOCAL_TODAY)
    answers_tomorrow = seat_in(space, **focal, term_starts_on=UTC_TODAY)
    with app.test_request_context():
        assert [item.count for item in worklist.waiting_for(answers_today)] == [2]
        assert worklist.waiting_for(answers_tomorrow) == []
