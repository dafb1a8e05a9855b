"""Everyone: the list and search, a resource in a language, its stable link, the feed, downloads, and
readers asking for a translation into their language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import pagination, storage, transaction
from consortium.db import db
from consortium.i18n import current_language, language_name
from consortium.library import search, services
from consortium.library.forms import FilterForm, RequestTranslationForm
from consortium.library.models import Attachment, Resource, ResourceVersion, VersionStatus
from consortium.library.views import LANG, all_topics, bp
from consortium.pagination import require_page
from consortium.permissions import Permission, can, public, require
from consortium.reference.systems import FORMER_SLUGS
from consortium.users import current_person


@bp.route("/library")
@public
def index():
    former = request.args.get("system")
    if former in FORMER_SLUGS:  # links made before the systems moved to the kernel
        args = request.args.to_dict(flat=False) | {"system": FORMER_SLUGS[former]}
        return redirect(url_for("library.index", **args), 301)
    topics = all_topics()
    filters = FilterForm(request.args, topics=topics)
    filters.validate()
    language = current_language()
    page_number = pagination.page_number()
    page = search.search(
        search.Filters(
            language=language,
            text=(filters.q.data or "").strip(),
            kind=filters.value("kind"),
            topic=filters.value("topic"),
            country=filters.value("country"),
            system=filters.value("system"),
            principle=filters.value("principle"),
            available_in=filters.value("available_in"),
            page=page_number,
        )
    )
    require_page(page_number, page.total, page.per_page)
    return render_template(
        "library/index.html",
        page=page,
        filters=filters,
        topic_names={t.slug: t.display_name for t in topics},
        language=language,
        searching=bool(search.terms(filters.q.data or "")),
    )


def _readable_or_404(version: ResourceVersion | None) -> ResourceVersion:
    """The one gate for reading a version or downloading its attachment: the library policy decides."""
    if version is None or not can(Permission.LIBRARY_READ, version):
        abort(404)
    return version


def _load_version(lang: str, slug: str) -> ResourceVersion:
    return _readable_or_404(
        db.session.scalar(
            sa.select(ResourceVersion)
            .where(ResourceVersion.language == lang, ResourceVersion.slug == slug)
            .options(
                # The other versions are only linked to: their bodies stay in the database.
                joinedload(ResourceVersion.resource)
                .selectinload(Resource.versions)
                .defer(ResourceVersion.body),
                joinedload(ResourceVersion.attachment).joinedload(Attachment.file),
            )
        )
    )


@bp.route(f"/library/{LANG}/<slug>")
@public
def read(lang: str, slug: str):
    version = _load_version(lang, slug)
    resource = version.resource
    reader_language = current_language()
    topics = {t.slug: t.display_name for t in all_topics()} if resource.topic_slugs else {}
    return render_template(
        "library/read.html",
        version=version,
        resource=resource,
        reader_language=reader_language,
        topic_names=topics,
        published=[v for v in resource.versions if v.is_published],
        # Only signed-in readers get the form: building one issues a CSRF token, which would keep
        # the page out of the anonymous page cache.
        request_form=RequestTranslationForm(language=reader_language)
        if current_user.is_authenticated
        else None,
    )


@bp.route("/library/resources/<int:resource_id>")
@public
def resource(resource_id: int):
    """A stable link to a resource in the reader's language (or its best fallback)."""
    found = db.session.get(Resource, resource_id)
    language = found.display_language(current_language()) if found else None
    if language is None:
        abort(404)
    return redirect(url_for("library.read", lang=language, slug=found.version_in(language).slug))


@bp.route("/library/resources/<int:resource_id>/request-translation", methods=["POST"])
@require()
def request_translation(resource_id: int):
    found = db.session.get(Resource, resource_id)
    if found is None or not found.is_published:
        abort(404)
    form = RequestTranslationForm()
    language = form.language_code() or current_language()
    back = request.form.get("next") or url_for("library.resource", resource_id=resource_id)
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("library.resource", resource_id=resource_id)
    if form.validate_on_submit():
        with transaction.action():
            services.request_translation(found, language, current_person())
        flash(
            _(
                "Thank you: we counted your request for a %(language)s version. The most requested "
                "translations are done first.",
                language=language_name(language),
            ),
            "success",
        )
    return redirect(back)


@bp.route(f"/library/{LANG}/feed.atom")
@public
def feed(lang: str):
    versions = db.session.scalars(
        sa.select(ResourceVersion)
        .where(ResourceVersion.language == lang, ResourceVersion.status == VersionStatus.PUBLISHED)
        .order_by(ResourceVersion.published_at.desc(), ResourceVersion.id.desc())
        .limit(30)
        .options(joinedload(ResourceVersion.resource))
    ).all()
    body = render_template("library/feed.xml", versions=versions, lang=lang)
    return current_app.response_class(body, mimetype="application/atom+xml")


@bp.route("/library/attachments/<int:attachment_id>/<name>")
@public
def download(attachment_id: int, name: str):
    attachment = db.session.get(Attachment, attachment_id)
    version = _readable_or_404(attachment.version if attachment else None)
    services.note_download(attachment)  # a GET writes nothing: the counters' flush adds it up
    return storage.send(attachment.file, download_name=attachment.filename, private=not version.is_published)
