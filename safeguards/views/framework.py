"""Staff pages for framework versions: the list, import (upload, preview, confirm), a version's page with
publish and discard, and the translation work of a version with the form that fills in a process's texts.

The preview is computed from the upload and not stored: the confirm form carries the checked data, signed
by the server (itsdangerous, compressed), so the import is exactly what the preview showed, on any host.
It also carries the published version it was compared with; if another was published meanwhile, the
preview is shown again against it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, save_edit
from consortium.permissions import Permission, can, require
from consortium.worklist import WorkItem
from safeguards import framework as fw
from safeguards import framework_versions as versions
from safeguards.framework_files import MAX_BYTES, Problem, Unreadable, read_upload
from safeguards.framework_forms import ConfirmImportForm, ImportForm, TextsForm
from safeguards.framework_import import Checked, check
from safeguards.models import FrameworkVersion, Process
from safeguards.views import bp

#: The confirm form's payload comes back as a form field: Flask refuses fields over MAX_FORM_MEMORY_SIZE
#: (500 kB by default). 103 processes in three languages take 73 kB; the framework's ~300 would take ~210 kB.
MAX_PAYLOAD = 450_000


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="safeguards.framework-import")


def _version_or_404(version: str) -> FrameworkVersion:
    return fw.by_version(version, drafts=True) or abort(404)


@bp.route("/safeguards/frameworks")
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def framework_versions():
    found = sorted(db.session.scalars(sa.select(FrameworkVersion)), key=lambda v: v.sort_key, reverse=True)
    counts = dict(
        db.session.execute(
            sa.select(Process.framework_id, sa.func.count()).group_by(Process.framework_id)
        ).all()
    )
    return render_template(
        "safeguards/framework/versions.html",
        versions=found,
        counts=counts,
        work={v.id: len(versions.translation_work(v.id)) for v in found},
        current=fw.latest(),
    )


@bp.route("/safeguards/frameworks/import", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def import_framework():
    form = ImportForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        upload = form.file.data
        base = fw.latest()
        try:
            read = read_upload(upload.stream.read(MAX_BYTES + 1), upload.filename or "")
        except Unreadable as unreadable:
            problems = [unreadable.problem]
        else:
            checked = check(read, form.version.data, fw.index(base.id) if base else None)
            problems = checked.problems
            if not problems and fw.by_version(form.version.data, drafts=True) is not None:
                form.version.errors.append(versions.VersionTaken.message)
            elif not problems:
                filename = (upload.filename or "")[:200]
                payload = _signed(checked, base, filename)
                if len(payload) < MAX_PAYLOAD:
                    return _preview(checked, base, filename, payload)
                problems = [Problem(None, _("The file holds more text than one import can carry; split it."))]
    status = 422 if request.method == "POST" else 200
    return render_template("safeguards/framework/import.html", form=form, problems=problems), status


def _signed(checked: Checked, base: FrameworkVersion | None, filename: str) -> str:
    """The confirm form's payload; the browser sends it back as a form field, within Flask's field limit."""
    return _signer().dumps({"data": checked.data, "base": base.id if base else None, "filename": filename})


def _preview(checked: Checked, base: FrameworkVersion | None, filename: str, payload: str, *, notice=""):
    old = versions.data_of(fw.index(base.id)) if base else None
    confirm = ConfirmImportForm()
    confirm.payload.data = payload
    untranslated = sum(1 for p in checked.data["processes"] if versions.missing_in(p))
    return render_template(
        "safeguards/framework/preview.html",
        data=checked.data,
        diff=versions.diff(old, checked.data),
        base=base,
        filename=filename,
        untranslated=untranslated,
        form=confirm,
        notice=notice,
    )


@bp.route("/safeguards/frameworks/import/confirm", methods=["POST"])
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def confirm_import():
    form = ConfirmImportForm()
    try:
        payload = _signer().loads(form.payload.data or "") if form.validate_on_submit() else None
    except BadSignature:
        payload = None
    if payload is None:
        flash(_("The preview could not be read back. Upload the file again."), "error")
        return redirect(url_for("safeguards.import_framework"))
    checked = Checked(payload["data"], [])
    base = fw.latest()
    if (base.id if base else None) != payload["base"]:
        notice = _("Another version was published since this preview was made. Check the changes against it.")
        filename = payload["filename"]
        return _preview(checked, base, filename, _signed(checked, base, filename), notice=notice), 409
    try:
        with transaction.action():
            framework = versions.import_version(checked, by=current_user)
    except versions.VersionTaken as taken:
        existing = fw.by_version(checked.data["version"], drafts=True)
        if existing is not None and existing.checksum == checked.checksum:  # the same import, sent twice
            return redirect(url_for("safeguards.framework_version", version=existing.version))
        flash(str(taken.message), "error")
        return redirect(url_for("safeguards.import_framework"))
    flash(
        _(
            "Version %(v)s was imported as a draft. Check it, fill in missing texts, then publish it.",
            v=framework.version,
        ),
        "success",
    )
    return redirect(url_for("safeguards.framework_version", version=framework.version))


@bp.route("/safeguards/frameworks/<version>")
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def framework_version(version: str):
    framework = _version_or_404(version)
    base, diff = versions.diff_against_published(framework)
    return render_template(
        "safeguards/framework/version.html",
        framework=framework,
        base=base,
        diff=diff,
        work=versions.translation_work(framework.id),
        in_use=versions.assessments_using(framework.id),
    )


@bp.route("/safeguards/frameworks/<version>/<any(publish, discard):action>", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def framework_decide(version: str, action: str):
    framework = _version_or_404(version)
    form = PostForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                if action == "publish":
                    versions.publish(framework.id, by=current_user)
                else:
                    versions.discard(framework.id, by=current_user)
        except versions.FrameworkError as refused:
            flash(str(refused.message), "error")
            return redirect(url_for("safeguards.framework_versions"))
        if action == "publish":
            flash(_("Version %(v)s is published: new assessments use it from now on.", v=version), "success")
            return redirect(url_for("safeguards.framework_version", version=version))
        flash(_("The draft of version %(v)s was removed.", v=version), "success")
        return redirect(url_for("safeguards.framework_versions"))
    base, diff = versions.diff_against_published(framework)
    return render_template(
        "safeguards/framework/decide.html",
        framework=framework,
        action=action,
        base=base,
        diff=diff,
        work=versions.translation_work(framework.id),
        form=form,
    )


@bp.route("/safeguards/frameworks/<version>/translations")
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def framework_translations(version: str):
    framework = _version_or_404(version)
    return render_template(
        "safeguards/framework/translations.html",
        framework=framework,
        work=versions.translation_work(framework.id),
        text_labels=versions.TEXT_LABELS,
    )


@bp.route("/safeguards/frameworks/<version>/processes/<code>/texts", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_FRAMEWORK_MANAGE)
def framework_texts(version: str, code: str):
    framework = _version_or_404(version)
    process = db.session.scalar(
        sa.select(Process).where(Process.framework_id == framework.id, Process.code == code)
    ) or abort(404)
    form = TextsForm()
    if request.method == "GET":
        form.fill(process)
    saved = None
    # A published version shows its saved texts read-only: the form leaves them out, the service keeps them.
    if form.validate_on_submit() and (framework.is_published or form.require_english_title()):
        try:
            saved = save_edit(
                form, process, lambda: versions.save_texts(process, form.texts(), by=current_user)
            )
        except versions.FrameworkError as refused:
            flash(str(refused.message), "error")
        else:
            if saved is None:
                flash(_("The texts of %(code)s were saved.", code=process.display_code), "success")
                return redirect(url_for("safeguards.framework_translations", version=version))
            form.version.data = str(saved.version)
            flash(
                _(
                    "Someone else saved these texts while you were editing. Your texts are below, beside "
                    "the saved ones; check them and save again."
                ),
                "error",
            )
    status = 200 if request.method == "GET" else (409 if saved is not None else 422)
    previous_version, previous = versions.previous_texts(framework, process.code)
    return render_template(
        "safeguards/framework/texts.html",
        framework=framework,
        process=saved or process,
        form=form,
        saved=saved,
        previous=previous,
        previous_version=previous_version,
    ), status


def work_for(user) -> list[WorkItem]:
    """For /home (``consortium.worklist``): processes of the drafts and the current version lacking texts."""
    if not can(Permission.SAFEGUARDS_FRAMEWORK_MANAGE, user=user):
        return []
    return [
        WorkItem(
            label=_("Framework %(v)s: processes whose texts are missing", v=framework.version),
            count=count,
            url=url_for("safeguards.framework_translations", version=framework.version),
            area=_("Safeguards"),
        )
        for framework, count in versions.waiting_work()
    ]
