"""Jinja globals, filters and tests for every template: permissions, dates, countries, links, Markdown."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
)

from consortium.i18n import (
    LANGUAGES,
    current_language,
    fast_gettext,
    fast_ngettext,
    html_lang,
    localised,
    select_timezone,
)
from consortium.mail import public_url
from consortium.markdown import render_markdown
from consortium.permissions import Permission, can
from consortium.reference.countries import country_name
from consortium.text import is_link


def when(value: datetime | None, format: str = "medium", zone: str | None = None) -> str:
    """A moment in the viewer's time zone (or ``zone``), in their language."""
    if value is None:
        return ""
    if zone:
        return babel_format_datetime(value, format, tzinfo=ZoneInfo(zone), locale=get_locale())
    return format_datetime(value, format)


def init_app(app: Flask) -> None:
    # Templates call gettext dozens of times per page: a cached catalogue per language halves the
    # cost of rendering a page (measured with make bench). Formatting stays Jinja's (newstyle).
    app.jinja_env.install_gettext_callables(gettext=fast_gettext, ngettext=fast_ngettext, newstyle=True)
    app.jinja_env.globals.update(
        can=can,
        Permission=Permission,
        LANGUAGES=LANGUAGES,
        html_lang=html_lang,
        current_language=current_language,
        viewer_timezone=select_timezone,
        localised=localised,
        country_name=country_name,
        public_url=public_url,  # absolute links (canonical, feeds) never come from the request's host
    )
    app.jinja_env.filters.update(
        when=when,
        day=format_date,
        number=format_decimal,
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
    def current_path():
        return {"current_path": request.full_path.rstrip("?") if request else "/"}
