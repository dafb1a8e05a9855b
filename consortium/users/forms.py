from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from consortium.forms import REQUIRED, FlaskForm, OnceForm, SelectField, SingleLine
from consortium.i18n import language_choices
from consortium.i18n import lazy_gettext as _l
from consortium.timezones import automatic_zone, select_timezone, timezone_choices, zone_name
from consortium.users.passwords import password_problem


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class StrongPassword:
    """Refuses short, common and guessable passwords; ``related`` fields (name, e-mail) count as guessable."""

    def __init__(self, *related: str):
        self.related = related

    def __call__(self, form, field):
        values = [getattr(form, name).data or "" for name in self.related if hasattr(form, name)]
        problem = password_problem(field.data or "", related=values)
        if problem:
            raise ValidationError(problem)


class SignupForm(OnceForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(REQUIRED), Length(max=120), SingleLine()],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), StrongPassword("name", "email")],
        description=_l("At least 10 characters. A phrase of several unrelated words is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    timezone = SelectField(_l("Time zone"), choices=[])
    accept_terms = BooleanField(
        _l("I agree that the consortium stores my name and e-mail to run this platform."),
        validators=[DataRequired(_l("Please accept to continue."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        if not self.timezone.data:
            self.timezone.data = select_timezone()  # what the visitor's browser reported


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED)], render_kw={"autocomplete": "current-password"}
    )


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20), SingleLine()],
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(REQUIRED), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(REQUIRED), Length(max=120), SingleLine()])
    locale = SelectField(_l("Preferred language"), choices=language_choices(native=True))
    timezone = SelectField(_l("Time zone"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No zone saved means "follow my organisation (or browser)": that is a choice of its own, shown
        # chosen, so saving the profile never pins the list's first zone.
        automatic = _l("Automatic: %(zone)s", zone=zone_name(automatic_zone()))
        self.timezone.choices = [
            SelectChoice("", automatic, optgroup=str(_l("Default"))),
            *timezone_choices(current=self.timezone.data),
        ]


class EnableTotpForm(FlaskForm):
    code = StringField(
        _l("Code shown by the app"),
        validators=[DataRequired(REQUIRED), Length(max=10), SingleLine()],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ConfirmPasswordForm(FlaskForm):
    """For sensitive changes (turning off two-factor log-in): the current password again."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class ApiTokenForm(OnceForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(REQUIRED), Length(max=80), SingleLine()],
        description=_l("What the token is for, e.g. 'reporting script'."),
    )
