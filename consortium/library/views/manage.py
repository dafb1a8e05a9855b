"""Staff: the list of resources, creating and editing a resource, and the topics."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consortium import pagination, transaction
from consortium.db import db
from consortium.forms import PostForm, edit_conflict, first_submission, remember_result, save_edit
from consortium.i18n import LANGUAGES, current_language
from consortium.library import services
from consortium.library.forms import NewResourceForm, ResourceForm, TopicForm
from consortium.library.models import Resource, Topic
from consortium.library.views import all_topics, bp
from consortium.permissions import Permission, require
from consortium.users import current_person

MANAGE_PER_PAGE = 50


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
    form = NewResourceForm(topics=all_topics())
    if request.method == "GET":
        form.original_language.data = current_language()
    if form.validate_on_submit():
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                created = services.create_resource(
                    by=current_person(),
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
    form = ResourceForm(obj=found, topics=all_topics())
    if request.method == "GET":
        form.version.data = found.version
        form.authors.data = "\n".join(found.authors or [])
    if form.validate_on_submit():
        saved_by_someone_else = save_edit(
            form,
            found,
            lambda: services.update_resource(found, by=current_person(), **form.resource_fields()),
        )
        if saved_by_someone_else is not None:
            return edit_conflict(
                form,
                saved_by_someone_else,
                _(
                    "Someone else saved this resource while you were editing. Your changes are below; "
                    "check them against the saved version and save again."
                ),
                "library/resource_form.html",
                resource=saved_by_someone_else,
            )
        flash(_("The resource was saved."), "success")
        return redirect(url_for("library.edit", resource_id=resource_id))
    return render_template(
        "library/resource_form.html",
        form=form,
        resource=found,
        demand=services.demand([found.id]),
        post_form=PostForm(),
    )


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
    return render_template("library/topics.html", form=form, topics=all_topics(), post_form=PostForm())


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
