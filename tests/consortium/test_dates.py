"""consortium.dates and the number filter remember each language's patterns per worker; the text must stay
what babel's own format_date / format_skeleton / format_time / format_decimal give."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.core import Locale
from babel.dates import format_date, format_skeleton, format_time
from flask_babel import force_locale

from consortium import dates

MOMENTS = [datetime(2026, 12, 11, 20, 0, tzinfo=UTC), datetime(2027, 1, 1, 4, 5, tzinfo=UTC)]
ZONES = ["America/Lima", "America/Sao_Paulo", "Asia/Tokyo", "UTC"]


def _babel_moment(value: datetime, style: str, zone: str, language: str) -> str:
    locale, tz = Locale.parse(language), ZoneInfo(zone)
    local = value.astimezone(tz)
    if style == "short":
        day = format_date(local, "short", locale=locale)
    elif style == "long":
        day = format_date(local, "full", locale=locale)
    else:
        day = format_skeleton("yMMMEd", local, locale=locale)
    return dates._join(day, format_time(local, "short", tzinfo=tz, locale=locale), style, locale)


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_moments_are_babels_own_text(app, language):
    styles = {"short": dates.short_moment, "medium": dates.moment, "long": dates.long_moment}
    with app.test_request_context(), force_locale(language):
        for value in MOMENTS:
            for zone in ZONES:
                for style, moment in styles.items():
                    assert moment(value, zone) == _babel_moment(value, style, zone, language)


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_the_number_filter_is_flask_babels_format_decimal(app, language):
    from decimal import Decimal

    from flask_babel import format_decimal

    from consortium.templating import number

    values = [0, 0.0, -0.0, 1, 1.0, 42.5, 1234.5678, 5000, -3.25, Decimal("1.50"), Decimal("12345.6")]
    with app.test_request_context(), force_locale(language):
        for _ in range(2):  # the second time from the cache
            assert [number(v) for v in values] == [format_decimal(v) for v in values]
