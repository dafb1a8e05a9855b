"""Forms of the staff framework pages: upload a version, confirm it, fill in a process's texts."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from consortium.forms import REQUIRED, FlaskForm, PlainText, SingleLine
from consortium.i18n import lazy_gettext as _l
from safeguards.framework_files import MAX_BYTES
from safeguards.framework_import import BAD_VERSION, LANGUAGES, MAX_TEXT, MAX_TITLE, VERSION


class ImportForm(FlaskForm):
    file = FileField(
        _l("Framework file"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l(
            "JSON like the shared reference file, or CSV with one row per process; at most %(size)s MB.",
            size=MAX_BYTES // (1024 * 1024),
        ),
    )
    version = StringField(
        _l("Version number"),
        description=_l("A number no version has yet, e.g. 1.1. The new version starts as a draft."),
        validators=[
            DataRequired(REQUIRED),
            Length(max=20),
            SingleLine(),
            Regexp(f"^{VERSION.pattern}$", message=BAD_VERSION),
        ],
    )


class ConfirmImportForm(FlaskForm):
    #: The checked data, signed by the server when it showed the preview (``views.framework``).
    payload = HiddenField()


class TextsForm(FlaskForm):
    """The nine texts of one process; ``version`` is the process's edit counter, for conflict detection."""

    version = HiddenField()

    title_en = StringField(_l("Title"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()])
    title_es = StringField(_l("Title"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()])
    title_pt_BR = StringField(_l("Title"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()])
    question_en = TextAreaField(
        _l("Guiding question"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    question_es = TextAreaField(
        _l("Guiding question"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    question_pt_BR = TextAreaField(
        _l("Guiding question"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    evidence_en = TextAreaField(
        _l("Evidence examples"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    evidence_es = TextAreaField(
        _l("Evidence examples"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    evidence_pt_BR = TextAreaField(
        _l("Evidence examples"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )

    def fill(self, process) -> None:
        self.version.data = str(process.version)
        for name in ("title", "question", "evidence"):
            for language in LANGUAGES:
                self[f"{name}_{language}"].data = (getattr(process, name) or {}).get(language, "")

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            name: {language: self[f"{name}_{language}"].data or "" for language in LANGUAGES}
            for name in ("title", "question", "evidence")
        }

    def require_english_title(self) -> bool:
        if (self.title_en.data or "").strip():
            return True
        self.title_en.errors = [*self.title_en.errors, _l("Every process needs an English title.")]
        return False
