"""Form helpers shared by every feature: a guard against double submission and an empty POST form."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l

REQUIRED = _l("This field is required.")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes: usable on a phone and without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PostForm(FlaskForm):
    """An empty form for POST-only buttons (verify, revoke, publish): it only carries the CSRF token."""


class ListFilterForm(FlaskForm):
    """The filters of a list page (GET, no CSRF token): a value that fails its checks is shown with its error
    and otherwise ignored, as if it had not been given, so no query ever sees it."""

    class Meta:
        csrf = False

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if field.errors:
                field.data = None
        return valid


class OnceForm(FlaskForm):
    """A form whose submission must take effect once, whatever the user does (double click, resend).

    The page embeds a random key; the view calls ``first_submission(form)`` before acting.
    """

    submission_key = HiddenField(default=lambda: secrets.token_urlsafe(16))


class FormSubmission(db.Model):
    __tablename__ = "form_submissions"
    __audit__ = {"skip": True}

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    result_url: Mapped[str] = mapped_column(sa.String(300), default="")


def save_edit(form: FlaskForm, record, apply: Callable[[], object]):
    """Apply and commit an edit that ``form`` made on version ``form.version`` of ``record``.

    Returns None once saved, or the record as someone else saved it in between (the page was outdated,
    or their commit won the race and the version counter caught it). The view then shows that version
    beside what this person typed, so nothing is overwritten silently.
    """
    if str(record.version) != form.version.data:
        return record
    try:
        apply()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return db.session.get(type(record), record.id)
    return None


def first_submission(form: OnceForm) -> FormSubmission | None:
    """Record the form's key. Returns the earlier submission when this key was already used, else None.

    The key is the primary key, so two simultaneous requests cannot both insert it: the loser's
    flush fails, and the view answers with the winner's result instead of acting twice.
    """
    key = (form.submission_key.data or "")[:64]
    if not key:
        form.submission_key.data = secrets.token_urlsafe(16)
        key = form.submission_key.data
    earlier = db.session.get(FormSubmission, key)
    if earlier is not None:
        return earlier
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(key=key))
    except sa.exc.IntegrityError:
        return db.session.get(FormSubmission, key)
    return None


def remember_result(form: OnceForm, url: str) -> None:
    submission = db.session.get(FormSubmission, form.submission_key.data)
    if submission is not None:
        submission.result_url = url
