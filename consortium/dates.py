"""The platform's date styles: one per context, no seconds, in the viewer's language and time zone.

- ``moment``: a point in time in a list or a sentence ("vie, 11 dic 2026, 15:00");
- ``long_moment``: written out, for a page about one event ("viernes, 11 de diciembre de 2026, 15:00");
- ``span``: a session ("viernes, 11 de diciembre de 2026, 15:00-17:00"), the day written once;
- ``short_moment``: dense tables (logs, queues: "11/12/26, 15:00").

None of them names the zone: a page names it once (``zone_name``, the "Times in …" line), so a list of
twenty sessions does not repeat "hora estándar de Perú" twenty times. Machine-readable times
(CSV, API, ``<time datetime>``) use ``iso``: ISO 8601 with the UTC offset, so they say their zone.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import DateTimePattern, format_date, format_interval, match_skeleton, parse_pattern
from flask_babel import get_locale

from consortium.timezones import canonical_zone, select_timezone

_DATE_SKELETONS = {"short": "yMd", "medium": "yMMMEd", "long": "yMMMMEEEEd"}


def _zone(zone: str | None) -> ZoneInfo:
    return ZoneInfo(canonical_zone(zone) or select_timezone())


def _locale() -> Locale:
    return Locale.parse(str(get_locale()))


def _time_skeleton(locale: Locale) -> str:
    """'Hm' where the language writes 15:00, 'hm' where it writes 3:00 PM."""
    return "hm" if "h" in locale.time_formats["short"].pattern else "Hm"


def _join(date_text: str, time_text: str, style: str, locale: Locale) -> str:
    """Date and time in the language's own order and punctuation ('{1}, {0}', '{1} 'at' {0}')."""
    pattern = str(locale.datetime_formats["long" if style == "long" else style])
    return pattern.replace("'", "").format(time_text, date_text)


@functools.cache  # per worker and language: resolving a skeleton to a pattern was most of a list's dates
def _patterns(locale_id: str) -> tuple[Locale, dict[str, DateTimePattern], DateTimePattern]:
    """The day pattern of each style and the short time pattern, as babel's format_date("short"/"full"),
    format_skeleton(...) and format_time("short") would find them."""
    locale = Locale.parse(locale_id)
    skeleton = _DATE_SKELETONS["medium"]
    if skeleton not in locale.datetime_skeletons:
        skeleton = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    days = {
        "short": parse_pattern(locale.date_formats["short"]),
        "medium": parse_pattern(locale.datetime_skeletons[skeleton]),
        "long": parse_pattern(locale.date_formats["full"]),
    }
    return locale, days, parse_pattern(locale.time_formats["short"])


def _moment(value: datetime | None, style: str, zone: str | None) -> str:
    if value is None:
        return ""
    locale, days, time = _patterns(str(get_locale()))
    local = value.astimezone(_zone(zone))
    day = days[style].apply(local if style == "medium" else local.date(), locale)
    return _join(day, time.apply(local.timetz(), locale), style, locale)


def moment(value: datetime | None, zone: str | None = None) -> str:
    return _moment(value, "medium", zone)


def long_moment(value: datetime | None, zone: str | None = None) -> str:
    return _moment(value, "long", zone)


def short_moment(value: datetime | None, zone: str | None = None) -> str:
    return _moment(value, "short", zone)


def span(start: datetime | None, end: datetime | None, zone: str | None = None) -> str:
    """A session: the day once and the two times, or two moments when it runs past midnight."""
    if start is None:
        return ""
    if end is None:
        return long_moment(start, zone)
    locale, tz = _locale(), _zone(zone)
    first, last = start.astimezone(tz), end.astimezone(tz)
    if first.date() != last.date():
        return f"{long_moment(start, zone)} \N{EN DASH} {long_moment(end, zone)}"
    times = format_interval(first, last, _time_skeleton(locale), tzinfo=tz, locale=locale)
    return _join(format_date(first, "full", locale=locale), times, "long", locale)


def iso(value: datetime | None) -> str:
    """ISO 8601 with the offset, in UTC ('2026-12-11T20:00:00+00:00'): CSV cells, <time datetime>."""
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else ""
