"""Translators and staff: the translation board, "my translations", a version's editor and its way to
readers (review by a second person, publication, the translator, the attachment)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from consortium import pagination, transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, save_edit
from consortium.i18n import language_label
from consortium.library import services
from consortium.library.forms import AssignForm, AttachmentForm, VersionForm
from consortium.library.models import Resource, ResourceVersion
from consortium.library.views import LANG, bp
from consortium.pagination import require_page
from consortium.permissions import Permission, can, require
from consortium.users import current_person
from consortium.users.models import User

BOARD_PER_PAGE = 50


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
            saved = saved_by_someone_else
            return edit_conflict(
                form,
                saved,
                _(
                    "Someone else saved this version while you were editing. Your text is below; compare it "
                    "with the saved version and save again."
                ),
                "library/version_form.html",
                **_version_context(saved.resource, saved, lang),
            )
        flash(_("The %(language)s version was saved.", language=language_label(lang)), "success")
        return redirect(url_for("library.edit_version", resource_id=resource_id, lang=lang))
    return _version_page(form, found, version, lang)


def _save_version(form: VersionForm, found: Resource, lang: str) -> None:
    services.save_version(
        found,
        lang,
        by=current_person(),
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


def _version_context(found: Resource, version: ResourceVersion | None, lang: str, **forms) -> dict:
    """What the version's editor shows besides its text form; ``forms`` replace the empty side forms."""
    return {
        "resource": found,
        "version": version,
        "lang": lang,
        "original": found.original if lang != found.original_language else None,
        "attachment_form": AttachmentForm(),
        "assign_form": AssignForm(),
        "post_form": PostForm(),
        **forms,
    }


def _version_page(form, found, version, lang, *, status=200, **forms):
    return render_template(
        "library/version_form.html", form=form, **_version_context(found, version, lang, **forms)
    ), status


def _side_form_refused(version: ResourceVersion, **forms):
    """The editor again, the refused side form (assign, attachment) showing its errors and what was sent."""
    text_form = VersionForm(obj=version, version=version.version)
    return _version_page(text_form, version.resource, version, version.language, status=422, **forms)


def _load_version_by_id(version_id: int) -> ResourceVersion:
    version = db.session.get(ResourceVersion, version_id)
    if version is None:
        abort(404)
    return version


def _back(version: ResourceVersion):
    return redirect(url_for("library.edit_version", resource_id=version.resource_id, lang=version.language))


def _workflow_step(version: ResourceVersion, step, done: str):
    """Run one step of the version's workflow as one action; a broken rule is told, nothing changes."""
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                step(version, by=current_person())
        except services.LibraryError as error:
            flash(str(error.message), "error")
        else:
            flash(done, "success")
    return _back(version)


@bp.route("/library/manage/versions/<int:version_id>/submit", methods=["POST"])
@require()
def submit_version(version_id: int):
    version = _load_version_by_id(version_id)
    _version_permission(version.resource, version, version.language)
    return _workflow_step(
        version, services.submit_for_review, _("Sent for review. Another person will review and publish it.")
    )


@bp.route("/library/manage/versions/<int:version_id>/publish", methods=["POST"])
@require()
def publish_version(version_id: int):
    version = _load_version_by_id(version_id)
    needed = Permission.LIBRARY_EDIT if version.is_original else Permission.LIBRARY_TRANSLATE
    if not can(needed):
        abort(403)
    return _workflow_step(
        version, services.publish_version, _("Published: readers can now find this version.")
    )


@bp.route("/library/manage/versions/<int:version_id>/return", methods=["POST"])
@require(Permission.LIBRARY_TRANSLATE)
def return_version(version_id: int):
    version = _load_version_by_id(version_id)
    return _workflow_step(version, services.return_to_translation, _("Returned to the translator."))


@bp.route("/library/manage/versions/<int:version_id>/unpublish", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
def unpublish_version(version_id: int):
    version = _load_version_by_id(version_id)
    return _workflow_step(
        version, services.unpublish_version, _("Unpublished: readers no longer see this version.")
    )


@bp.route("/library/manage/versions/<int:version_id>/assign", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
def assign_version(version_id: int):
    version = _load_version_by_id(version_id)
    form = AssignForm()
    if form.validate_on_submit():
        person = db.session.scalar(
            sa.select(User).where(sa.func.lower(User.email) == form.email.data.lower())
        )
        if person is not None:
            with transaction.action():
                services.assign_translator(version, person, by=current_person())
            flash(_("%(name)s now translates this version.", name=person.name), "success")
            return _back(version)
        form.email.errors = [_("Nobody has an account with that e-mail address.")]
    return _side_form_refused(version, assign_form=form)


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
                services.attach(version, upload.stream, upload.filename or "", by=current_person())
        except services.InvalidAttachment as error:
            form.file.errors = [str(error.message)]
        else:
            flash(_("The attachment was uploaded."), "success")
            return _back(version)
        finally:
            upload.close()
    return _side_form_refused(version, attachment_form=form)
