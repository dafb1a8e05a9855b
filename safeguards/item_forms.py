"""Forms of an item's page: a message in its thread, resolving it, attaching an evidence file."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_decimal
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from consortium.forms import REQUIRED, OnceForm, PlainText
from consortium.i18n import lazy_gettext as _l
from safeguards.threads import MAX_MESSAGE


class MessageForm(OnceForm):
    """A message in the item's thread; the key makes a double click post it once."""

    body = TextAreaField(
        _l("Your message"),
        description=_l(
            "Up to %(n)s characters. The other side reads it with the next decision's e-mail.", n=MAX_MESSAGE
        ),
        validators=[DataRequired(REQUIRED), Length(max=MAX_MESSAGE), PlainText()],
        render_kw={"maxlength": MAX_MESSAGE},
    )


class ResolveForm(OnceForm):
    resolved = HiddenField(validators=[AnyOf(["1", "0"])])


class EvidenceForm(OnceForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
    is_public = BooleanField(_l("It may be made public when the results are published"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mb = format_decimal(current_app.config["SAFEGUARDS_EVIDENCE_MAX_MB"])
        self.file.description = _l("PDF, ODT, DOCX, XLSX, PNG or JPEG, up to %(mb)s MB.", mb=mb)
