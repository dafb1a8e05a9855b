from __future__ import annotations

from wtforms import (
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from consortium.forms import (
    REQUIRED,
    Link,
    ListFilterForm,
    MultiCheckboxField,
    OnceForm,
    PlainText,
    SingleLine,
)
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import timezone_choices
from consortium.organisations.models import FocusArea, OrganisationKind, OrganisationRole
from consortium.reference.countries import country_choices
from consortium.text import WEB_SCHEMES


class OrganisationForm(OnceForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()])
    country = SelectField(_l("Country"), validators=[DataRequired(REQUIRED)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120), SingleLine()])
    timezone = SelectField(_l("Time zone"), validators=[DataRequired(REQUIRED)])
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
        self.timezone.choices = timezone_choices()
        self.kind.choices = [SelectChoice("", _l("Choose a kind")), *OrganisationKind.choices()]
        self.focus_areas.choices = FocusArea.choices()


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
