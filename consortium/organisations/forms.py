from __future__ import annotations

from wtforms import EmailField, HiddenField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from consortium.forms import (
    REQUIRED,
    Link,
    ListFilterForm,
    MultiCheckboxField,
    OnceForm,
    PlainText,
    SelectField,
    SingleLine,
)
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import FocusArea, OrganisationKind, OrganisationRole
from consortium.reference.countries import country_choices
from consortium.text import WEB_SCHEMES
from consortium.timezones import main_zone, timezone_choices


class OrganisationForm(OnceForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()])
    country = SelectField(_l("Country"), validators=[DataRequired(REQUIRED)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120), SingleLine()])
    timezone = SelectField(
        _l("Time zone"),
        validators=[Optional()],
        description=_l(
            "Leave it on the first choice to use the main time zone of the organisation's country."
        ),
    )
    kind = SelectField(_l("Kind of organisation"), validators=[DataRequired(REQUIRED)])
    focus_areas = MultiCheckboxField(_l("Focus areas"), validators=[Optional()])
    website = URLField(
        _l("Website"),
        validators=[Optional(), Length(max=300), Link(WEB_SCHEMES)],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=4000), PlainText()],
        description=_l("What the organisation does, in a few sentences."),
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", _l("Choose a country")), *country_choices()]
        self.timezone.choices = [
            SelectChoice("", _l("The country's main time zone"), optgroup=str(_l("Default"))),
            *timezone_choices(self.country.data, current=self.timezone.data),
        ]
        self.kind.choices = [SelectChoice("", _l("Choose a kind")), *OrganisationKind.choices()]
        self.focus_areas.choices = FocusArea.choices()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.timezone.data:  # "the country's main time zone"
            self.timezone.data = main_zone(self.country.data)
        return True


class InviteForm(OnceForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=[], default=OrganisationRole.MEMBER.value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = OrganisationRole.choices()


class FilterForm(ListFilterForm):
    country = SelectField(_l("Country"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]
        self.kind.choices = [SelectChoice("", _l("All kinds")), *OrganisationKind.choices()]
