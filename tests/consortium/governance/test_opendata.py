"""A space's public record as open data: its roster and meetings as CSV, and its meetings and decisions
in the API's space document; members-only spaces stay closed to visitors."""

from __future__ import annotations

import csv
import io

from consortium import transaction
from consortium.db import db as _db
from consortium.governance import services
from consortium.governance.models import SeatRole
from tests.consortium.governance.conftest import meeting_in


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_roster_and_the_meetings_download_as_csv(client, space, seat_in):
    seat_in(space, SeatRole.CONVENOR)
    meeting = meeting_in(space, days=-2)
    roster = client.get(f"/governance/spaces/{space.id}/roster.csv")
    assert roster.mimetype == "text/csv"
    (row,) = _csv(roster)
    assert row["role"] == "convenor" and row["sector"] == "advocates"
    (listed,) = _csv(client.get(f"/governance/spaces/{space.id}/meetings.csv"))
    assert listed["id"] == str(meeting.id) and listed["kind"] == "plenary" and listed["format"] == "in_person"
    assert listed["starts_at_utc"].endswith("+00:00")
    page = client.get(f"/governance/spaces/{space.id}/meetings").get_data(as_text=True)
    assert f"/governance/spaces/{space.id}/meetings.csv" in page


def test_a_members_only_space_keeps_its_open_data_closed(client, make_space):
    hidden = make_space(slug="privado", is_public=False)
    assert client.get(f"/governance/spaces/{hidden.id}/roster.csv").status_code == 404
    assert client.get(f"/governance/spaces/{hidden.id}/meetings.csv").status_code == 404


def test_the_api_lists_a_spaces_meetings_and_decisions(client, space, seat_in):
    convenor = seat_in(space, SeatRole.CONVENOR)
    meeting = meeting_in(space, days=-2)
    with transaction.writing():
        decision = services.record_decision(
            space, by=convenor, text="Publicar el registro.", rationale="Lo pidieron.", language="es"
        )
        _db.session.commit()
    body = client.get("/api/v1/spaces/pix-brasil").get_json()
    assert [(m["id"], m["kind"], m["format"]) for m in body["meetings"]] == [
        (meeting.id, "plenary", "in_person")
    ]
    assert [(d["id"], d["kind"], d["method"]) for d in body["decisions"]] == [
        (decision.id, "resolution", "consensus")
    ]
    assert body["decisions"][0]["url"].endswith(f"/governance/decisions/{decision.id}")
