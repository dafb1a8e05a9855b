"""Form helpers shared by every feature: text validators, filter and POST forms, a double-submission guard.

Every text field carries one of the text validators (``tests/test_architecture.py`` checks): ``SingleLine``
for names, titles and other one-line values, ``PlainText`` for multi-line text, ``Link`` for addresses.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from datetime import datetime

import flask_wtf
import sqlalchemy as sa
import wtforms
from babel.support import Translations
from flask import flash, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, SelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select

from consortium import text, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l

REQUIRED = _l("This field is required.")
_SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SingleLine:
    """Refuses line breaks, tabs and invisible control or format characters: one-line values end up in mail
    headers, file names, CSV cells and logs, where a line break starts something else."""

    def __call__(self, form, field):
        if field.data and not text.is_single_line(field.data):
            raise ValidationError(text.LINE_ERROR)


class PlainText:
    """Multi-line text keeps tabs and line breaks but refuses NUL and the other control characters."""

    def __call__(self, form, field):
        if field.data and not text.is_plain_text(field.data):
            raise ValidationError(text.TEXT_ERROR)


class Link:
    """An address people will click: only ``schemes`` (never javascript:, data: or a relative path).

    ``many=True`` accepts one address a line and names the first wrong one.
    """

    def __init__(self, schemes: frozenset[str] = text.LINK_SCHEMES, *, many: bool = False):
        self.schemes = schemes
        self.many = many

    def __call__(self, form, field):
        if not field.data:
            return
        if not self.many:
            if not text.is_link(field.data, self.schemes):
                raise ValidationError(text.ADDRESS_ERROR)
            return
        for link in text.links_in(field.data):
            if not text.is_link(link, self.schemes):
                raise ValidationError(text.LINKS_ERROR % {"link": link[:80]})


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes: usable on a phone and without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@functools.lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class FlaskForm(flask_wtf.FlaskForm):
    """Every form's base (``tests/test_architecture.py`` checks). WTForms' own messages ("Not a valid
    choice") come from its catalogue, read once per worker and language: Flask-WTF reads and parses the
    file again on every request that shows or checks a form."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_catalogue(str(get_locale()))


class PostForm(FlaskForm):
    """An empty form for POST-only buttons (verify, revoke, publish): it only carries the CSRF token."""


_OPTION = Markup('<option%s value="%s">%s</option>')


class QuickSelect(Select):
    """WTForms' select, with each plain option written directly: ``html_params`` per option made a list
    page's six filters (about 80 options) a third of its rendering, and the account page's time zones half."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        return _OPTION % (selected, choice.value, choice.label or choice.value)  # % escapes each value

    @classmethod
    def _dispatch_render_option(cls):
        # WTForms 3.3 inspects render_option's signature on every select it renders, for overrides written
        # before 3.3; ours takes the current one
        return cls.render_option


class SelectField(wtforms.SelectField):
    """Every form's select (``tests/test_architecture.py`` checks no module takes WTForms' own)."""

    widget = QuickSelect()


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
    """Apply an edit that ``form`` made on version ``form.version`` of ``record``, as one action.

    Returns None once saved, or the record as someone else saved it in between (the page was outdated,
    or their commit won the race and the version counter caught it). The view then shows that version
    beside what this person typed, so nothing is overwritten silently.
    """
    if str(record.version) != form.version.data:
        return record
    try:
        with transaction.action():
            apply()
    except StaleDataError:
        return db.session.get(type(record), record.id)
    return None


def edit_conflict(form: FlaskForm, saved, message: str, template: str, **context):
    """The answer to an edit that ``save_edit`` found outdated: 409 and the page again, with what this
    person typed in ``form``, the version as saved (``conflict=True`` lets the template show it beside)
    and that version's counter in the form, so saving again overwrites it knowingly.

    ``saved`` is None when someone else created the record meanwhile and it cannot be read yet.
    """
    form.version.data = saved.version if saved is not None else ""
    flash(message, "error")
    return render_template(template, form=form, conflict=True, **context), 409


def first_submission(form: OnceForm) -> FormSubmission | None:
    """Record the form's key. Returns the earlier submission when this key was already used, else None.

    The key is the primary key, so two simultaneous requests cannot both insert it: the loser's
    flush fails, and the view answers with the winner's result instead of acting twice.
    """
    key = form.submission_key.data or ""
    if not _SUBMISSION_KEY.fullmatch(key):  # the page's own key, or a new one for anything else sent
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
