from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from consortium.forms import REQUIRED, Link, MultiCheckboxField, OnceForm, PlainText, SingleLine
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.countries import country_choices
from safeguards.models import RATING_LABELS, AnswerStatus, SystemKind, TeamRole


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
    role = SelectField(_l("Role"), choices=TeamRole.choices(), validators=[DataRequired(REQUIRED)])

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

    The wizard, its autosave and the API all check answers with ``services.answer_problems``, which applies
    the same text rules as the validators below.
    """

    class Meta:
        csrf = False

    choice = RadioField(_l("Your answer"), validators=[Optional()], validate_choice=False)
    justification = TextAreaField(
        _l("Why it does not apply"),
        description=_l("Required for “not applicable”."),
        validators=[Optional(), PlainText()],
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l("Required for ratings 3 and 4: what shows it is in place."),
        validators=[Optional(), PlainText()],
    )
    links = TextAreaField(
        _l("Links to the evidence"),
        description=_l("One address per line. Required for ratings 3 and 4."),
        validators=[Optional(), PlainText(), Link(many=True)],
    )
    confidence = StringField(
        _l("How sure are you?"),
        description=_l("Optional: what you are unsure about."),
        validators=[Optional(), SingleLine()],
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice.choices = answer_choices()


class ReviewItemForm(FlaskForm):
    class Meta:
        csrf = False

    reviewed_rating = SelectField(_l("Reviewed rating"), validators=[Optional()])
    reviewer_comment = TextAreaField(
        _l("Comment for the team"), validators=[Optional(), Length(max=5000), PlainText()]
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewed_rating.choices = [
            SelectChoice("", _l("Keep the team's rating")),
            *(SelectChoice(str(n), label) for n, label in RATING_LABELS.items()),
        ]


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note to the team"), validators=[Optional(), Length(max=5000), PlainText()])


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    ids = SelectMultipleField(_l("Assessments"), validators=[Optional()], coerce=int)
