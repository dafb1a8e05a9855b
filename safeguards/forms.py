from __future__ import annotations

import functools

from flask_babel import format_decimal, get_locale
from markupsafe import Markup
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, Length, NumberRange, Optional, Regexp

from consortium.forms import (
    REQUIRED,
    FlaskForm,
    Link,
    ListFilterForm,
    MultiCheckboxField,
    OnceForm,
    PlainText,
    SelectField,
    SingleLine,
)
from consortium.i18n import fast_gettext
from consortium.i18n import lazy_gettext as _l
from consortium.reference.countries import country_choices
from consortium.reference.systems import SystemKind
from safeguards.answers import MAX_CONFIDENCE, MAX_TEXT
from safeguards.models import RATING_LABELS, Answer, AnswerStatus, AssessmentState, TeamRole
from safeguards.workflow import MAX_REASON, Decision, ReviewInput


class SystemForm(OnceForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120), SingleLine()])
    slug = StringField(
        _l("Short name for addresses"),
        description=_l("Lower-case letters, digits and hyphens, e.g. bre-b."),
        validators=[
            DataRequired(REQUIRED),
            Length(max=60),
            SingleLine(),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use a-z, 0-9 and -.")),
        ],
    )
    countries = SelectMultipleField(_l("Countries"), validators=[DataRequired(REQUIRED)])
    kind = SelectField(_l("Kind"), validators=[DataRequired(REQUIRED)])
    operator = StringField(_l("Operator"), validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000), PlainText()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.countries.choices = country_choices()
        self.kind.choices = SystemKind.choices()


class PilotForm(OnceForm):
    system = SelectField(_l("DPI system"), validators=[DataRequired(REQUIRED)])
    country = SelectField(_l("Country"), validators=[DataRequired(REQUIRED)])
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()])
    lead_email = EmailField(
        _l("Team lead's e-mail"),
        description=_l("The person needs an account on the platform."),
        validators=[DataRequired(REQUIRED), Email(message=_l("Enter a valid e-mail address."))],
    )

    def __init__(self, systems, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.system.choices = [SelectChoice(str(s.id), s.name) for s in systems]
        self.country.choices = country_choices()


class MemberForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(REQUIRED), Email(message=_l("Enter a valid e-mail address."))]
    )
    # a callable: the labels are read per form, in the reader's language, not once at import
    role = SelectField(_l("Role"), choices=TeamRole.choices, validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, roles=None, **kwargs):
        """``roles`` narrows the choices shown; the view checks the role actually sent against the policy."""
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.role.choices = [choice for choice in TeamRole.choices() if choice.value in roles]


class ScopeForm(FlaskForm):
    authorities = MultiCheckboxField(
        _l("Responsible authorities in scope"),
        validators=[DataRequired(_l("Choose at least one authority."))],
    )
    stages = MultiCheckboxField(
        _l("Life-cycle stages in scope"), validators=[DataRequired(_l("Choose at least one stage."))]
    )
    version = HiddenField()

    def __init__(self, idx, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.authorities.choices = [SelectChoice(a.code, f"{a.code} · {a.label}") for a in idx.authorities]
        self.stages.choices = [SelectChoice(s.code, f"{s.code} · {s.label}") for s in idx.stages]


def answer_choices() -> list[SelectChoice]:
    return [
        *(SelectChoice(str(n), label) for n, label in RATING_LABELS.items()),
        SelectChoice(AnswerStatus.NOT_APPLICABLE.value, AnswerStatus.NOT_APPLICABLE.label),
        SelectChoice(AnswerStatus.UNKNOWN.value, AnswerStatus.UNKNOWN.label),
    ]


class AnswerForm(FlaskForm):
    """One item of a wizard step; many of these share the step's single CSRF token.

    The wizard, its autosave and the API all check answers with ``answers.answer_problems``, which applies
    the same text rules as the validators below.
    """

    class Meta:
        csrf = False

    choice = RadioField(_l("Your answer"), validators=[Optional()], validate_choice=False)
    justification = TextAreaField(
        _l("Why it does not apply"),
        description=_l("Required for “not applicable”."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l("Required for ratings 3 and 4: what shows it is in place."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    links = TextAreaField(
        _l("Links to the evidence"),
        description=_l("One address per line. Required for ratings 3 and 4."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText(), Link(many=True)],
    )
    confidence = StringField(
        _l("How sure are you?"),
        description=_l("Optional: what you are unsure about, in up to 500 characters."),
        validators=[Optional(), Length(max=MAX_CONFIDENCE), SingleLine()],
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice.choices = answer_choices()


TEXT_FIELDS = ("justification", "evidence", "links", "confidence")


class _ShownField:
    __slots__ = ("data", "errors", "id", "name")

    def __init__(self, name: str, data):
        self.id = self.name = name
        self.data = data
        self.errors = ()

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class ShownAnswer:
    """A saved answer as a step shows it before anything is sent: what the step's templates read of an
    ``AnswerForm`` (ids, names, values; no errors yet), without building one. A step's 24 forms of six
    fields each were a tenth of its time; a sent step still builds real forms to check and keep input."""

    def __init__(self, answer, prefix: str):
        values = {"choice": answer.choice, "version": answer.version}
        values |= {name: getattr(answer, name) for name in TEXT_FIELDS}
        self._fields = {name: _ShownField(f"{prefix}-{name}", value) for name, value in values.items()}

    def __getitem__(self, name: str) -> _ShownField:
        return self._fields[name]

    def __getattr__(self, name: str) -> _ShownField:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None


def answer_texts() -> dict:
    """What every item of a step says alike, in the reader's language (safeguards/_answer_fields.html)."""
    return _answer_texts(str(get_locale()))


@functools.cache  # per worker and language: labels and hints are code, catalogues do not change
def _answer_texts(_locale: str) -> dict:
    fields = {name: getattr(AnswerForm, name) for name in ("choice", *TEXT_FIELDS)}  # unbound fields
    limits = {name: MAX_TEXT for name in TEXT_FIELDS} | {"confidence": MAX_CONFIDENCE}
    # Jinja's {{ _("…", n=…) }} trusts the catalogue and escapes only the number; so does Markup %
    up_to = Markup(fast_gettext("Up to %(n)s characters."))  # noqa: S704 - our own catalogue
    left = Markup(fast_gettext("Characters left: %(n)s"))  # noqa: S704 - our own catalogue
    return {
        "labels": {name: str(field.args[0]) for name, field in fields.items()},
        "hints": {name: str(fields[name].kwargs["description"]) for name in TEXT_FIELDS},
        "choices": [(choice.value, str(choice.label)) for choice in answer_choices()],
        "limits": limits,
        "up_to": {name: up_to % {"n": format_decimal(limit)} for name, limit in limits.items()},
        "left": left % {"n": "{n}"},
    }


class ReviewItemForm(FlaskForm):
    """One item of the review page; the page's ``ReviewForm`` carries the CSRF token."""

    class Meta:
        csrf = False

    reviewed_rating = SelectField(
        _l("Reviewed rating"),
        validate_choice=False,  # AnyOf says what is wrong in words a person understands
        validators=[Optional(), AnyOf([str(n) for n in RATING_LABELS], _l("Choose a rating from 0 to 4."))],
    )
    reviewer_comment = TextAreaField(
        _l("Comment for the team"),
        description=_l("Added to the item's conversation when you save or decide."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewed_rating.choices = [
            SelectChoice("", _l("Keep the team's rating")),
            *(SelectChoice(str(n), label) for n, label in RATING_LABELS.items()),
        ]


def _number(value, default=None) -> int | None:
    return int(value) if str(value or "").isdigit() else default


class ReviewForm(FlaskForm):
    """The whole review page: a rating and a comment per item, the note, and the button pressed.

    One form, so a decision is taken with everything typed on the page (``changes()``).
    """

    note = TextAreaField(
        _l("Note to the team"),
        description=_l("Sent to the team with your decision."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    save = SubmitField(_l("Save the review"))
    request_changes = SubmitField(_l("Request changes"))
    approve = SubmitField(_l("Approve…"))  # saves the review, then shows what becomes final to confirm

    def __init__(self, answers: list[Answer], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {
            answer.id: ReviewItemForm(
                *args,
                prefix=f"r{answer.id}",
                data={
                    "reviewed_rating": "" if answer.reviewed_rating is None else str(answer.reviewed_rating),
                    "version": answer.version,
                },
            )
            for answer in answers
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        items = [form.validate() for form in self.items.values()]  # every item, so each error is marked
        return valid and all(items)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(form.errors for form in self.items.values())

    @property
    def decision(self) -> Decision | None:
        if self.approve.data:
            return Decision.APPROVE
        if self.request_changes.data:
            return Decision.REQUEST_CHANGES
        return None

    def changes(self) -> list[ReviewInput]:
        return [
            ReviewInput(
                answer_id,
                _number(form.reviewed_rating.data),
                form.reviewer_comment.data or "",
                _number(form.version.data, default=0),  # no version: a change is always checked
            )
            for answer_id, form in self.items.items()
        ]

    def mark(self, items: dict[int, dict[str, str]], note: str | None) -> None:
        """Show the service's errors next to their fields."""
        for answer_id, errors in items.items():
            for field, message in errors.items():
                self.items[answer_id][field].errors = [str(message)]
        if note:
            self.note.errors = [str(note)]


class ApproveForm(FlaskForm):
    """The approval's confirmation: the note to the team, and the preview the reviewer saw."""

    note = TextAreaField(
        _l("Note to the team"),
        description=_l("Sent to the team with your decision, and shown with the results."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    seen = HiddenField()
    confirm = SubmitField(_l("Approve the assessment"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Public reason for the withdrawal"),
        description=_l("Shown on the assessment's page and kept in its open data."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON), PlainText()],
    )
    confirm = SubmitField(_l("Withdraw the assessment"))


#: How long an assessment has been in its state, for the work queue: days -> label.
WAITING = {1: _l("More than a day"), 7: _l("More than a week"), 30: _l("More than a month")}


class QueueFilterForm(ListFilterForm):
    """The staff work queue's filters; ``systems`` and ``reviewers`` are (id, name) pairs."""

    state = SelectField(_l("State"), validators=[Optional()])
    system = SelectField(_l("DPI system"), coerce=int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    cycle = IntegerField(_l("Cycle"), validators=[Optional(), NumberRange(min=1, max=999)])
    reviewer = SelectField(_l("Reviewer"), coerce=int, validators=[Optional()])
    waiting = SelectField(_l("Waiting"), coerce=int, validators=[Optional()])

    def __init__(self, *args, systems=(), reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [SelectChoice("", _l("All states")), *AssessmentState.choices()]
        self.system.choices = [SelectChoice(0, _l("All systems")), *(SelectChoice(i, n) for i, n in systems)]
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]
        self.reviewer.choices = [
            SelectChoice(0, _l("Any reviewer")),
            *(SelectChoice(i, n) for i, n in reviewers),
        ]
        self.waiting.choices = [
            SelectChoice(0, _l("Any time")),
            *(SelectChoice(d, t) for d, t in WAITING.items()),
        ]
