"""The library's pages: one blueprint, one module per audience; its template filters live here.

- ``reading``       everyone: the list and search, a resource in a language, the feed, downloads,
                    readers asking for a translation
- ``translations``  translators and staff: the translation board, "my translations", a version's
                    editor and its workflow (review, publication, translator, attachment)
- ``manage``        staff: the resources list, creating and editing resources, topics
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint
from flask_babel import gettext as _
from markupsafe import Markup, escape

from consortium.db import db, utcnow
from consortium.i18n import language_label
from consortium.library.models import OTHER_SYSTEMS, Topic, VersionStatus
from consortium.markdown import render_markdown
from consortium.reference.systems import system_name

bp = Blueprint(
    "library",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),  # templates/ and static/ are in library/
    template_folder="templates",
    static_folder="static",
    static_url_path="/library/static",
)

#: The language part of a reading address.
LANG = "<any(es, pt_BR, en):lang>"


def all_topics() -> list[Topic]:
    return db.session.scalars(sa.select(Topic).order_by(Topic.slug)).all()


@bp.app_template_filter("library_body")
def library_body(text: str) -> Markup:
    """Sanitised Markdown whose wide tables scroll inside a focusable region, not the whole page."""
    html = str(render_markdown(text))
    label = escape(_("Table (scrolls sideways)"))
    html = html.replace(
        "<table>", f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}"><table>'
    )
    return Markup(html.replace("</table>", "</table></div>"))  # noqa: S704 - fixed markup around nh3's output


@bp.app_template_filter("library_language_name")
def library_language_name(code: str) -> str:
    return language_label(code)


@bp.app_template_filter("library_dpi_system")
def dpi_system_name(code: str) -> str:
    return _("Other systems") if code == OTHER_SYSTEMS else system_name(code)


@bp.app_template_filter("library_atom_date")
def atom_date(value) -> str:
    return (value or utcnow()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # RFC 3339, not for people


@bp.app_context_processor
def library_globals():
    return {"library_VersionStatus": VersionStatus}


# The modules add their routes to ``bp`` when imported, so they come after it.
from consortium.library.views import manage, reading, translations  # noqa: E402

__all__ = ["LANG", "all_topics", "bp", "manage", "reading", "translations"]
