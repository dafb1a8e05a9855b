"""Reading pages (public), the translation board and staff tools."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, selectinload

from consortium import pagination, storage, transaction
from consortium.db import db, utcnow
from consortium.forms import PostForm, first_submission, remember_result, save_edit
from consortium.i18n import LANGUAGES, current_language
from consortium.library import search, services
from consortium.library.forms import (
    AssignForm,
    AttachmentForm,
    FilterForm,
    NewResourceForm,
    RequestTranslationForm,
    ResourceForm,
    TopicForm,
    VersionForm,
)
from consortium.library.models import Attachment, DpiSystem, Resource, ResourceVersion, Topic, VersionStatus
from consortium.markdown import render_markdown
from consortium.pagination import require_page
from consortium.permissions import Permission, can, public, require
from consortium.users.models import User

bp = Blueprint(
    "library",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/library/static",
)

LANG = "<any(es, pt_BR, en):lang>"
MANAGE_PER_PAGE = 50
BOARD_PER_PAGE = 50


def _user():
    return current_user._get_current_object()


def _topics() -> list[Topic]:
    return db.session.scalars(sa.select(Topic).order_by(Topic.slug)).all()


# Reading ---------------------------------------------------------------------------------------------


@bp.route("/library")
@public
def index():
    topics = _topics()
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


def _load_version(lang: str, slug: str) -> ResourceVersion:
    version = db.session.scalar(
        sa.select(ResourceVersion)
        .where(ResourceVersion.language == lang, ResourceVersion.slug == slug)
        .options(
            # The other versions are only linked to: their bodies stay in the database.
            joinedload(ResourceVersion.resource).selectinload(Resource.versions).defer(ResourceVersion.body),
            joinedload(ResourceVersion.attachment),
        )
    )
    if version is None:
        abort(404)
    if not version.is_published and not (
        can(Permission.LIBRARY_TRANSLATE, version) or can(Permission.LIBRARY_EDIT)
    ):
        abort(404)
    return version


@bp.route(f"/library/{LANG}/<slug>")
@public
def read(lang: str, slug: str):
    version = _load_version(lang, slug)
    resource = version.resource
    reader_language = current_language()
    topics = {t.slug: t.display_name for t in _topics()} if resource.topic_slugs else {}
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
            services.request_translation(found, language, _user())
        flash(
            _(
                "Thank you: we counted your request for a %(language)s version. The most requested "
                "translations are done first.",
                language=LANGUAGES[language],
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
    if attachment is None:
        abort(404)
    version = attachment.version
    if not version.is_published and not (
        can(Permission.LIBRARY_TRANSLATE, version) or can(Permission.LIBRARY_EDIT)
    ):
        abort(404)
    # A GET reads in a plain transaction, which SQLite cannot turn into a write once a simultaneous
    # download has counted; so the count is an action of its own that takes the write lock at BEGIN.
    transaction.rollback()
    with transaction.writing(), transaction.action():
        services.count_download(attachment)
    return storage.send(attachment.file, download_name=attachment.filename, private=not version.is_published)


# Translation board --------------------------------------------------------------------------------------


@bp.route("/library/translations")
@require(Permission.LIBRARY_TRANSLATE)
def board():
    """Every (resource, language) without a published, up-to-date version, most requested first."""
    page_number = pagination.page_number()
    status_filter = request.args.get("status", "")
    rows, total = services.board(status=status_filter, page=page_number, per_page=BOARD_PER_PAGE)
    require_page(page_number, total, BOARD_PER_PAGE)
    return render_template(
        "library/board.html",
        rows=rows,
        total=total,
        page=pagination.Page(items=rows, total=total, page=page_number, per_page=BOARD_PER_PAGE),
        coverage=services.coverage(),
        status_filter=status_filter,
    )


@bp.route("/library/translations/mine")
@require()
def my_translations():
    """The versions assigned to the signed-in person (a translator need not be staff)."""
    versions = db.session.scalars(
        sa.select(ResourceVersion)
        .where(ResourceVersion.translator_id == current_user.id)
        .options(joinedload(ResourceVersion.resource))
        .order_by(ResourceVersion.updated_at.desc())
        .limit(200)
    ).all()
    return render_template("library/mine.html", versions=versions)


# Staff: resources ----------------------------------------------------------------------------------------


@bp.route("/library/manage")
@require(Permission.LIBRARY_EDIT)
def manage():
    query = (
        sa.select(Resource)
        .options(selectinload(Resource.versions))
        .order_by(Resource.updated_at.desc(), Resource.id.desc())
    )
    page = pagination.paginate(query, MANAGE_PER_PAGE)
    return render_template("library/manage.html", page=page, resources=page.items)


@bp.route("/library/manage/new", methods=["GET", "POST"])
@require(Permission.LIBRARY_EDIT)
def create():
    form = NewResourceForm(topics=_topics())
    if request.method == "GET":
        form.original_language.data = current_language()
    if form.validate_on_submit():
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                created = services.create_resource(
                    by=_user(),
                    title=form.title.data,
                    summary=form.summary.data,
                    body=form.body.data,
                    slug=form.slug.data,
                    **form.resource_fields(),
                )
                url = url_for("library.edit", resource_id=created.id)
                remember_result(form, url)
        if earlier is not None:
            return redirect(earlier.result_url or url_for("library.manage"))
        flash(_("The resource was created as a draft."), "success")
        return redirect(url)
    return render_template("library/resource_form.html", form=form, resource=None)


@bp.route("/library/manage/<int:resource_id>", methods=["GET", "POST"])
@require(Permission.LIBRARY_EDIT)
def edit(resource_id: int):
    found = db.session.get(Resource, resource_id) or abort(404)
    form = ResourceForm(obj=found, topics=_topics())
    if request.method == "GET":
        form.version.data = found.version
        form.authors.data = "\n".join(found.authors or [])
    if form.validate_on_submit():
        saved_by_someone_else = save_edit(
            form, found, lambda: services.update_resource(found, by=_user(), **form.resource_fields())
        )
        if saved_by_someone_else is not None:
            return _resource_conflict(form, saved_by_someone_else)
        flash(_("The resource was saved."), "success")
        return redirect(url_for("library.edit", resource_id=resource_id))
    return render_template(
        "library/resource_form.html",
        form=form,
        resource=found,
        demand=services.demand([found.id]),
        post_form=PostForm(),
    )


def _resource_conflict(form, found: Resource):
    form.version.data = found.version
    flash(
        _(
            "Someone else saved this resource while you were editing. Your changes are below; "
            "check them against the saved version and save again."
        ),
        "error",
    )
    return render_template("library/resource_form.html", form=form, resource=found, conflict=True), 409


# Staff and translators: versions ---------------------------------------------------------------------------


def _version_permission(found: Resource, version: ResourceVersion | None, language: str) -> None:
    if language == found.original_language or version is None:
        allowed = can(Permission.LIBRARY_EDIT) or (
            language != found.original_language and can(Permission.LIBRARY_TRANSLATE)
        )
    elif version.is_published:
        allowed = can(Permission.LIBRARY_EDIT) or can(Permission.LIBRARY_TRANSLATE)
    else:
        allowed = can(Permission.LIBRARY_TRANSLATE, version)
    if not allowed:
        abort(404 if version is None or not version.is_published else 403)


@bp.route(f"/library/manage/<int:resource_id>/{LANG}", methods=["GET", "POST"])
@require()
def edit_version(resource_id: int, lang: str):
    found = db.session.scalar(
        sa.select(Resource).where(Resource.id == resource_id).options(selectinload(Resource.versions))
    )
    if found is None:
        abort(404)
    version = found.version_in(lang)
    _version_permission(found, version, lang)
    form = VersionForm(obj=version)
    if request.method == "GET" and version is not None:
        form.version.data = version.version
    if form.validate_on_submit():
        if version is None:
            saved_by_someone_else = _create_version(form, found, lang)
        else:
            saved_by_someone_else = save_edit(form, version, lambda: _save_version(form, found, lang))
        if saved_by_someone_else is not None:
            return _version_conflict(form, saved_by_someone_else.resource, saved_by_someone_else, lang)
        flash(_("The %(language)s version was saved.", language=LANGUAGES[lang]), "success")
        return redirect(url_for("library.edit_version", resource_id=resource_id, lang=lang))
    return _version_page(form, found, version, lang)


def _save_version(form: VersionForm, found: Resource, lang: str) -> None:
    services.save_version(
        found,
        lang,
        by=_user(),
        title=form.title.data,
        summary=form.summary.data,
        body=form.body.data,
        slug=form.slug.data,
    )


def _create_version(form: VersionForm, found: Resource, lang: str) -> ResourceVersion | None:
    """Create the version in ``lang``; or return it, saved by someone else (or by a double click) meanwhile.

    The resource is locked first, so of two simultaneous creations the second finds the first's version.
    """
    with transaction.action():
        existing = transaction.lock(Resource, found.id).version_in(lang)
        if existing is None:
            _save_version(form, found, lang)
    return existing


def _version_page(form, found, version, lang, *, conflict=False, status=200, attachment_form=None):
    return render_template(
        "library/version_form.html",
        form=form,
        resource=found,
        version=version,
        lang=lang,
        original=found.original if lang != found.original_language else None,
        attachment_form=attachment_form or AttachmentForm(),
        assign_form=AssignForm(),
        post_form=PostForm(),
        conflict=conflict,
    ), status


def _version_conflict(form, found, version, lang):
    form.version.data = version.version if version else ""
    flash(
        _(
            "Someone else saved this version while you were editing. Your text is below; compare it "
            "with the saved version and save again."
        ),
        "error",
    )
    return _version_page(form, found, version, lang, conflict=True, status=409)


def _load_version_by_id(version_id: int) -> ResourceVersion:
    version = db.session.get(ResourceVersion, version_id)
    if version is None:
        abort(404)
    return version


def _back(version: ResourceVersion):
    return redirect(url_for("library.edit_version", resource_id=version.resource_id, lang=version.language))


@bp.route("/library/manage/versions/<int:version_id>/submit", methods=["POST"])
@require()
def submit_version(version_id: int):
    version = _load_version_by_id(version_id)
    _version_permission(version.resource, version, version.language)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.submit_for_review(version, by=_user())
        except services.LibraryError as error:
            flash(str(error.message), "error")
            return _back(version)
        flash(_("Sent for review. Another person will review and publish it."), "success")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/publish", methods=["POST"])
@require()
def publish_version(version_id: int):
    version = _load_version_by_id(version_id)
    needed = Permission.LIBRARY_EDIT if version.is_original else Permission.LIBRARY_TRANSLATE
    if not can(needed):
        abort(403)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.publish_version(version, by=_user())
        except services.LibraryError as error:
            flash(str(error.message), "error")
            return _back(version)
        flash(_("Published: readers can now find this version."), "success")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/return", methods=["POST"])
@require(Permission.LIBRARY_TRANSLATE)
def return_version(version_id: int):
    version = _load_version_by_id(version_id)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.return_to_translation(version, by=_user())
        flash(_("Returned to the translator."), "success")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/unpublish", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
def unpublish_version(version_id: int):
    version = _load_version_by_id(version_id)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.unpublish_version(version, by=_user())
        flash(_("Unpublished: readers no longer see this version."), "success")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/assign", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
def assign_version(version_id: int):
    version = _load_version_by_id(version_id)
    form = AssignForm()
    if form.validate_on_submit():
        person = db.session.scalar(
            sa.select(User).where(sa.func.lower(User.email) == form.email.data.lower())
        )
        if person is None:
            flash(_("Nobody has an account with that e-mail address."), "error")
            return _back(version)
        with transaction.action():
            services.assign_translator(version, person, by=_user())
        flash(_("%(name)s now translates this version.", name=person.name), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/attachment", methods=["POST"])
@require()
def upload_attachment(version_id: int):
    version = _load_version_by_id(version_id)
    _version_permission(version.resource, version, version.language)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            with transaction.action():
                services.attach(version, upload.stream, upload.filename or "", by=_user())
        except services.InvalidAttachment as error:
            form.file.errors = [str(error.message)]
        else:
            flash(_("The attachment was uploaded."), "success")
            return _back(version)
        finally:
            upload.close()
    form_page = VersionForm(obj=version, version=version.version)
    return _version_page(
        form_page, version.resource, version, version.language, attachment_form=form, status=422
    )


# Staff: topics ---------------------------------------------------------------------------------------------


@bp.route("/library/manage/topics", methods=["GET", "POST"])
@require(Permission.LIBRARY_EDIT)
def topics():
    form = TopicForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                # The key first: a double click's second request then finds the first one's topic as
                # its own result, not as someone else's topic with the same short name.
                added = first_submission(form) is None
                if added:
                    services.save_topic(None, slug=form.slug.data, names=form.names())
        except services.TopicExists as error:
            form.slug.errors = [str(error.message)]
        else:
            if added:
                flash(_("The topic was added."), "success")
            return redirect(url_for("library.topics"))
    return render_template("library/topics.html", form=form, topics=_topics(), post_form=PostForm())


@bp.route("/library/manage/topics/<int:topic_id>", methods=["GET", "POST"])
@require(Permission.LIBRARY_EDIT)
def edit_topic(topic_id: int):
    topic = db.session.get(Topic, topic_id) or abort(404)
    form = TopicForm()
    form.slug.data = topic.slug  # a topic's short name never changes: resources refer to it
    if request.method == "GET":
        for code in LANGUAGES:
            getattr(form, f"name_{code}").data = topic.names.get(code, "")
    if form.validate_on_submit():
        with transaction.action():
            services.save_topic(topic, slug=topic.slug, names=form.names())
        flash(_("The topic was saved."), "success")
        return redirect(url_for("library.topics"))
    return render_template("library/topic_form.html", form=form, topic=topic)


@bp.route("/library/manage/topics/<int:topic_id>/delete", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
def delete_topic(topic_id: int):
    topic = db.session.get(Topic, topic_id) or abort(404)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.delete_topic(topic)
        flash(_("The topic was removed from the library and from its resources."), "success")
    return redirect(url_for("library.topics"))


# Template filters -----------------------------------------------------------------------------------------


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
def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


@bp.app_template_filter("library_dpi_system")
def dpi_system_name(code: str) -> str:
    return DpiSystem(code).label if code in DpiSystem._value2member_map_ else code


@bp.app_template_filter("library_atom_date")
def atom_date(value) -> str:
    return (value or utcnow()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # RFC 3339, not for people


@bp.app_context_processor
def library_globals():
    return {"library_VersionStatus": VersionStatus}
