from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from consortium.forms import REQUIRED, MultiCheckboxField, OnceForm, PlainText, SingleLine
from consortium.governance.models import Disposition, LifecycleStage, SeatRole, Sector, SpaceScope
from consortium.governance.records import DigestFrequency
from consortium.i18n import LANGUAGES, language_choices
from consortium.i18n import lazy_gettext as _l
from consortium.reference.countries import country_choices
from consortium.timezones import canonical_zone, timezone_choices

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _slug(form, field):
    if field.data and not SLUG.fullmatch(field.data):
        raise ValidationError(_l("Use lower-case letters, digits and hyphens."))


class SpaceForm(OnceForm):
    slug = StringField(
        _l("Address"),
        validators=[DataRequired(REQUIRED), Length(max=80), SingleLine(), _slug],
        description=_l("The last part of the page address, for example pix-brasil."),
    )
    title_es = StringField(_l("Title in Spanish"), validators=[Optional(), Length(max=300), SingleLine()])
    title_pt_BR = StringField(
        _l("Title in Portuguese"), validators=[Optional(), Length(max=300), SingleLine()]
    )
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300), SingleLine()])
    charter_es = TextAreaField(
        _l("Charter in Spanish"), validators=[Optional(), Length(max=20_000), PlainText()]
    )
    charter_pt_BR = TextAreaField(
        _l("Charter in Portuguese"), validators=[Optional(), Length(max=20_000), PlainText()]
    )
    charter_en = TextAreaField(
        _l("Charter in English"), validators=[Optional(), Length(max=20_000), PlainText()]
    )
    scope = SelectField(_l("The space is about"), validators=[DataRequired(REQUIRED)])
    system_id = SelectField(_l("DPI system"), coerce=int, validators=[DataRequired(REQUIRED)])
    countries = SelectMultipleField(
        _l("Countries"), validators=[Optional()], description=_l("Hold Ctrl (or Cmd) to choose several.")
    )
    languages = MultiCheckboxField(
        _l("Working languages"),
        validators=[DataRequired(REQUIRED)],
        description=_l("The first one chosen is the space's main language."),
    )
    stage = SelectField(_l("Life-cycle stage"), validators=[DataRequired(REQUIRED)])
    timezone = SelectField(
        _l("Time zone"),
        validators=[Optional()],
        description=_l("Its meetings' times are entered in this zone; readers see them in theirs."),
    )
    is_public = BooleanField(
        _l("Public: anyone can read the space (otherwise only its members)"), default=True
    )
    version = HiddenField()

    def __init__(self, *args, systems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = SpaceScope.choices()
        self.system_id.choices = [SelectChoice(s.id, s.name) for s in systems]
        self.countries.choices = country_choices()
        self.languages.choices = language_choices()
        self.stage.choices = LifecycleStage.choices()
        self.timezone.choices = timezone_choices(current=self.timezone.data or "UTC")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not any(getattr(self, f"title_{code}").data for code in LANGUAGES):
            self.title_es.errors = [*self.title_es.errors, _l("Give the title in at least one language.")]
            valid = False
        return valid

    def texts(self, name: str) -> dict[str, str]:
        return {code: getattr(self, f"{name}_{code}").data or "" for code in LANGUAGES}

    def fill_texts(self, space) -> None:
        for name in ("title", "charter"):
            for code in LANGUAGES:
                getattr(self, f"{name}_{code}").data = getattr(space, name).get(code, "")

    def space_fields(self) -> dict:
        return {
            "title": self.texts("title"),
            "charter": self.texts("charter"),
            "scope": SpaceScope(self.scope.data),
            "system_id": self.system_id.data,
            "countries": self.countries.data or [],
            "languages": [code for code in LANGUAGES if code in (self.languages.data or [])],
            "stage": LifecycleStage(self.stage.data),
            "is_public": bool(self.is_public.data),
            "timezone": canonical_zone(self.timezone.data) or "UTC",
        }


class SeatForm(OnceForm):
    email = EmailField(
        _l("The person's e-mail address"),
        validators=[DataRequired(REQUIRED), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    organisation_id = SelectField(
        _l("Acting for"),
        coerce=int,
        validators=[DataRequired(REQUIRED)],
        description=_l("A verified organisation."),
    )
    sector = SelectField(_l("Sector"), validators=[DataRequired(REQUIRED)])
    role = SelectField(_l("Role"), validators=[DataRequired(REQUIRED)])
    term_starts_on = DateField(_l("Term starts"), validators=[DataRequired(REQUIRED)])
    term_ends_on = DateField(_l("Term ends"), validators=[Optional()])
    interests = TextAreaField(
        _l("Conflict-of-interest declaration"),
        validators=[DataRequired(REQUIRED), Length(max=5000), PlainText()],
        description=_l("What the person declared; write “None declared” when they declared none."),
    )

    def __init__(self, *args, organisations=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [SelectChoice(o.id, o.name) for o in organisations]
        self.sector.choices = Sector.choices()
        self.role.choices = [SelectChoice(r.value, r.label) for r in SeatRole if r in roles]


class ConsultationForm(OnceForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300), SingleLine()])
    language = SelectField(_l("Language of the document"), validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class SectionForm(OnceForm):
    heading = StringField(_l("Heading"), validators=[DataRequired(REQUIRED), Length(max=300), SingleLine()])
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=50_000), PlainText()],
        description=_l("Markdown: ## headings, **bold**, lists and links."),
    )
    version = HiddenField()


class ContributionForm(OnceForm):
    body = TextAreaField(
        _l("Your contribution"), validators=[DataRequired(REQUIRED), Length(max=10_000), PlainText()]
    )


class ResponseForm(OnceForm):
    disposition = SelectField(_l("Response"), validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for this response.")), Length(max=10_000), PlainText()],
        description=_l("Published with the response when the consultation closes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disposition.choices = Disposition.choices()


class FollowForm(FlaskForm):
    """Follow (or change how often the digest comes); a POST from an old page without the choice is daily."""

    frequency = SelectField(
        _l("By e-mail"),
        choices=[SelectChoice(f.value, f.label) for f in DigestFrequency],
        default=DigestFrequency.DAILY.value,
    )
