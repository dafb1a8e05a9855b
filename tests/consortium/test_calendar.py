"""The kernel's iCalendar helper: one VEVENT per event, times in UTC, a site-wide unique UID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from consortium.calendar import CalendarEvent, ics


def test_events_are_written_in_utc_with_their_fields(app):
    lima = timezone(timedelta(hours=-5))
    event = CalendarEvent(
        uid="governance-meeting-7",
        starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=lima),
        ends_at=datetime(2026, 12, 10, 11, 0, tzinfo=lima),
        summary="Plenaria",
        description="Orden del día",
        location="Lima",
        url="https://example.org/m/7",
        cancelled=True,
    )
    body = ics([event], product="Governance").decode()
    assert body.count("BEGIN:VEVENT") == 1 and "PRODID:-//DPI Consortium//Governance//EN" in body
    assert "DTSTART:20261210T140000Z" in body and "DTEND:20261210T160000Z" in body
    assert "UID:governance-meeting-7@" in body and "STATUS:CANCELLED" in body
    assert "LOCATION:Lima" in body and "SUMMARY:Plenaria" in body


def test_empty_fields_are_left_out(app):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    body = ics([CalendarEvent("x", start, start + timedelta(hours=1), "Solo")], product="T").decode()
    assert "LOCATION" not in body and "DESCRIPTION" not in body and "STATUS" not in body
