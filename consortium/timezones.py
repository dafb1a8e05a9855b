"""Time zones people can pick: canonical IANA names grouped by country, named in the reader's language.

Babel carries CLDR's country -> zones table (canonical names only, so no ``America/Buenos_Aires``
beside ``America/Argentina/Buenos_Aires``) and each zone's localised city name. The choices offer the
region's countries first, then the few places staff travel to, then UTC: the whole world list would
add 20 KB to every form that offers a zone.
"""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo, available_timezones

from babel.core import get_global
from babel.dates import get_timezone_location
from flask import g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consortium.i18n import lazy_gettext as _l
from consortium.reference.countries import LAC_COUNTRY_CODES, country_name

TIMEZONE_COOKIE = "tz"
_UTC_NAMES = frozenset(("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "Zulu"))

# Where staff travel (conferences, donors): offered after the region's countries.
_TRAVEL_COUNTRY_CODES = ("US", "CA", "ES", "PT", "GB", "FR", "DE", "NL", "BE", "CH", "IT", "KE", "ZA", "IN")

# Countries with several zones: the one most of their people live in (CLDR lists them alphabetically).
_MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "MX": "America/Mexico_City",
    "PT": "Europe/Lisbon",
    "US": "America/New_York",
}


@functools.cache
def _known_zones() -> frozenset[str]:
    """Reading the zone database takes tens of milliseconds; it does not change while the app runs."""
    return frozenset(available_timezones())


def canonical_zone(name: str | None) -> str | None:
    """The canonical IANA name for ``name`` (old aliases resolved), or None if it is no zone at all."""
    if not name or len(name) > 64:
        return None
    if name in _UTC_NAMES:
        return "UTC"  # CLDR calls it Etc/GMT; people and browsers say UTC
    name = get_global("zone_aliases").get(name, name)
    return name if name in _known_zones() and name not in ("localtime", "Factory") else None


def visitor_zone() -> str | None:
    """The zone a visitor's browser reported (``static/js/timezone.js``) or they picked at /timezone."""
    return canonical_zone(request.cookies.get(TIMEZONE_COOKIE)) if has_request_context() else None


def select_timezone() -> str:
    """The viewer's zone: their profile, their organisation's, then the browser's cookie, then UTC."""
    if "timezone" not in g:
        signed_in = current_user and current_user.is_authenticated
        g.timezone = (canonical_zone(current_user.timezone) if signed_in else None) or automatic_zone()
    return g.timezone


def automatic_zone() -> str:
    """The zone of a viewer who chose none: their organisation's, then the browser's cookie, then UTC."""
    if current_user and current_user.is_authenticated:
        memberships = current_user.memberships
        chosen = next((z for m in memberships if (z := canonical_zone(m.organisation.timezone))), None)
        if chosen:
            return chosen
    return visitor_zone() or "UTC"


def country_zones(country: str | None) -> list[str]:
    zones = get_global("territory_zones").get((country or "").upper(), [])
    return [zone for zone in zones if zone in _known_zones()]


def main_zone(country: str | None) -> str:
    """The zone a new organisation or training in ``country`` starts with (UTC when none is known)."""
    zones = country_zones(country)
    return _MAIN_ZONES.get((country or "").upper()) or canonical_zone(zones[0] if zones else None) or "UTC"


def zone_name(zone: str | None = None) -> str:
    """A zone (the viewer's by default) as people call it, in their language: 'hora de Perú', 'Peru Time'."""
    zone = canonical_zone(zone) or select_timezone()
    return _zone_name(zone, str(get_locale()))


@functools.cache
def _zone_name(zone: str, language: str) -> str:
    if zone == "UTC":
        return "UTC"
    return get_timezone_location(ZoneInfo(zone), locale=language)


@functools.cache
def _city(zone: str, language: str) -> str:
    return get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)


def timezone_choices(country: str | None = None, current: str | None = None) -> list[SelectChoice]:
    """Zones grouped by country (``<optgroup>``): ``country`` first, then the region, travel, UTC.

    Each choice names its group: WTForms copies every choice of a ``{group: choices}`` dict to set its
    group, twice a render, and that was a third of the account page for ~150 zones.
    ``current`` (a saved value outside the list, such as an alias kept from an older version) stays
    choosable, so saving a form never fails on a value the person did not touch.
    """
    choices = _grouped(str(get_locale()), (country or "").upper())
    if current and not any(current == choice.value for choice in choices):
        return [SelectChoice(current, current.replace("_", " "), optgroup=str(_l("Saved"))), *choices]
    return list(choices)


@functools.cache
def _grouped(language: str, first: str) -> tuple[SelectChoice, ...]:
    region = sorted(LAC_COUNTRY_CODES, key=lambda code: country_name(code, language))
    travel = sorted(_TRAVEL_COUNTRY_CODES, key=lambda code: country_name(code, language))
    codes = ([first] if first in (*region, *travel) else []) + [c for c in (*region, *travel) if c != first]
    choices = []
    for code in codes:
        group = country_name(code, language)
        zones = sorted(country_zones(code), key=lambda zone: zone != main_zone(code))  # main zone first
        choices.extend(SelectChoice(z, _city(z, language), optgroup=group) for z in zones)
    choices.append(SelectChoice("UTC", "UTC", optgroup="UTC"))
    return tuple(choices)
