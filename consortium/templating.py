"""Jinja globals, filters and tests for every template: permissions, dates, countries, links, Markdown."""

from __future__ import annotations

import functools
from datetime import datetime

from babel import numbers
from flask import Flask, g, request
from flask_babel import format_date, format_percent, get_locale
from jinja2 import pass_context
from markupsafe import Markup

from consortium import dates
from consortium.i18n import (
    LANGUAGES,
    current_language,
    fast_gettext,
    fast_ngettext,
    html_lang,
    language_label,
    language_name,
    localised,
    page_catalogue,
)
from consortium.mail import public_url
from consortium.markdown import render_markdown
from consortium.permissions import Permission, can
from consortium.reference.countries import country_name
from consortium.text import is_link
from consortium.timezones import select_timezone, visitor_zone, zone_name

_STYLES = {
    "short": dates.short_moment,
    "medium": dates.moment,
    "long": dates.long_moment,
    "full": dates.long_moment,
}


def number(value, format: str | None = None) -> str:
    """Flask-Babel's format_decimal, remembered per worker: a results page formats the same few scores
    dozens of times, and babel parses the locale and the pattern on every call."""
    if not value:  # 0, 0.0 and -0.0 compare equal but may print differently: not worth a cache entry
        return numbers.format_decimal(value, format=format, locale=get_locale())
    return _number(value, type(value), str(get_locale()), format)


@functools.lru_cache(maxsize=4096)
def _number(value, _type: type, locale: str, format: str | None) -> str:  # the type: 1 and 1.0 hash alike
    return numbers.format_decimal(value, format=format, locale=locale)


def when(value: datetime | None, format: str = "medium", zone: str | None = None) -> str:
    """A moment in the viewer's time zone (or ``zone``), in their language, in one of the styles of
    ``consortium.dates`` (no seconds, no zone: the page names it once)."""
    return _STYLES.get(format, dates.moment)(value, zone)


def zone_named(now: bool = False) -> bool:
    """Whether this page already said which zone its times are in (``macros/time.html``); the footer
    says it only on pages that did not, so a page names its zone once."""
    if now:
        g.zone_named = True
    return g.get("zone_named", False)


# A render happens in one language: the context processor below puts the reader's catalogue in the
# template's context once, and `_()` reads it there. Jinja's own newstyle `_()` goes through three
# nested context calls and asks Flask-Babel for the locale every time: a wizard step calls it ~250
# times. Macros imported without context, and templates rendered outside render_template, fall back
# to fast_gettext. tests/consortium/test_i18n.py pins it against Jinja's newstyle gettext.
CATALOGUE = "_page_catalogue"


@pass_context
def template_gettext(context, message: str, **variables) -> str:
    """Jinja's newstyle gettext in one call: translated, marked safe under autoescape, then formatted as
    Jinja does, always, so "%%" means the same with and without variables (a text without "%" is
    already what formatting it with no variables gives)."""
    catalogue = context.get(CATALOGUE)
    text = fast_gettext(message) if catalogue is None else catalogue.ugettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalogue, as Jinja trusts it
    return text % variables if variables or "%" in text else text


def init_app(app: Flask) -> None:
    # Templates call gettext dozens of times per page: a cached catalogue per language halves the
    # cost of rendering a page (measured with make bench). Formatting stays Jinja's (newstyle).
    app.jinja_env.install_gettext_callables(gettext=fast_gettext, ngettext=fast_ngettext, newstyle=True)
    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)
    app.jinja_env.globals.update(
        can=can,
        Permission=Permission,
        LANGUAGES=LANGUAGES,
        html_lang=html_lang,
        current_language=current_language,
        viewer_timezone=select_timezone,
        visitor_zone=visitor_zone,
        zone_name=zone_name,
        zone_named=zone_named,
        language_name=language_name,
        language_label=language_label,
        localised=localised,
        country_name=country_name,
        public_url=public_url,  # absolute links (canonical, feeds) never come from the request's host
    )
    app.jinja_env.filters.update(
        when=when,
        span=dates.span,
        iso=dates.iso,
        day=format_date,
        number=number,
        percent=format_percent,
        markdown=render_markdown,
        country=country_name,
    )
    # `{% if url is safe_link %}<a href="{{ url }}">`: an address people wrote is a link only to the web or
    # to mail, whatever older rows hold
    app.jinja_env.tests["safe_link"] = is_link
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def catalogue():
        return {CATALOGUE: page_catalogue()}

    @app.context_processor
    def current_path():
        return {"current_path": request.full_path.rstrip("?") if request else "/"}
