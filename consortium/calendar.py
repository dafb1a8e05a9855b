"""iCalendar files for events any feature publishes (one VEVENT each), so no feature builds its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from consortium.db import utcnow


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # unique on this site, for example "governance-meeting-7"; the host is added
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    #: how many times the event changed since it was first published: calendars keep the highest
    sequence: int = 0


def _host() -> str:
    return current_app.config["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0] or "localhost"


def ics(events: list[CalendarEvent], *, product: str) -> bytes:
    """A PUBLISH calendar of ``events``; times are written in UTC, so every calendar shows them right."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//DPI Consortium//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{_host()}")
        event.add("dtstamp", utcnow())
        event.add("sequence", item.sequence)
        event.add("dtstart", item.starts_at.astimezone(UTC))
        event.add("dtend", item.ends_at.astimezone(UTC))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
