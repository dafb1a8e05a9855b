from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    SearchField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

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
from consortium.i18n import LANGUAGES, language_choices
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import OTHER_SYSTEMS, ResourceKind
from consortium.reference.countries import country_choices
from consortium.reference.principles import principle_choices
from consortium.reference.systems import system_names
from consortium.text import WEB_SCHEMES


def _system_choices() -> list[SelectChoice]:
    """The kernel's DPI systems, then "other systems" for the rest."""
    return [
        *(SelectChoice(slug, name) for slug, name in system_names().items()),
        SelectChoice(OTHER_SYSTEMS, _l("Other systems")),
    ]


class FilterForm(ListFilterForm):
    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200), SingleLine()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    system = SelectField(_l("DPI system"), validators=[Optional()])
    principle = SelectField(_l("Safeguards principle"), validators=[Optional()])
    available_in = SelectField(_l("Available in"), validators=[Optional()])

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", _l("All kinds")), *ResourceKind.choices()]
        self.topic.choices = [
            SelectChoice("", _l("All topics")),
            *(SelectChoice(t.slug, t.display_name) for t in topics),
        ]
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]
        self.system.choices = [SelectChoice("", _l("All systems")), *_system_choices()]
        self.principle.choices = [SelectChoice("", _l("All principles")), *principle_choices()]
        self.available_in.choices = [SelectChoice("", _l("Any language")), *language_choices()]

    def value(self, name: str) -> str | None:
        data = getattr(self, name).data
        valid = {str(choice.value) for choice in getattr(self, name).choices}
        return data if data and data in valid else None


class VersionFields:
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300), SingleLine()])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=1000), PlainText()],
        description=_l("One or two sentences shown in lists, search results and link previews."),
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=200_000), PlainText()],
        description=_l("Markdown: ## headings, **bold**, lists, links and tables."),
    )
    slug = StringField(
        _l("Address"),
        validators=[Optional(), Length(max=120), SingleLine()],
        description=_l("The last part of the page address; left empty, it is made from the title."),
    )


class ResourceForm(OnceForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired(REQUIRED)])
    original_language = SelectField(_l("Original language"), validators=[DataRequired(REQUIRED)])
    topic_slugs = MultiCheckboxField(_l("Topics"), validators=[Optional()])
    countries = SelectMultipleField(
        _l("Countries"), validators=[Optional()], description=_l("Hold Ctrl (or Cmd) to choose several.")
    )
    systems = MultiCheckboxField(_l("DPI systems"), validators=[Optional()])
    principles = MultiCheckboxField(_l("Safeguards principles it helps with"), validators=[Optional()])
    authors = TextAreaField(
        _l("Authors"), validators=[Optional(), Length(max=2000), PlainText()], description=_l("One a line.")
    )
    organisation = StringField(
        _l("Publishing organisation"), validators=[Optional(), Length(max=200), SingleLine()]
    )
    licence = StringField(
        _l("Licence"), default="CC BY 4.0", validators=[Optional(), Length(max=60), SingleLine()]
    )
    published_on = DateField(_l("Publication date"), validators=[Optional()])
    source_url = URLField(
        _l("Source"),
        validators=[Optional(), Length(max=500), Link(WEB_SCHEMES)],
    )
    version = HiddenField()

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = ResourceKind.choices()
        self.original_language.choices = language_choices()
        self.topic_slugs.choices = [SelectChoice(t.slug, t.display_name) for t in topics]
        self.countries.choices = country_choices()
        self.systems.choices = _system_choices()
        self.principles.choices = principle_choices()

    def resource_fields(self) -> dict:
        return {
            "kind": ResourceKind(self.kind.data),
            "original_language": self.original_language.data,
            "topic_slugs": list(self.topic_slugs.data or []),
            "countries": list(self.countries.data or []),
            "systems": list(self.systems.data or []),
            "principles": list(self.principles.data or []),
            "authors": [line.strip() for line in (self.authors.data or "").splitlines() if line.strip()],
            "organisation": self.organisation.data or "",
            "licence": self.licence.data or "",
            "published_on": self.published_on.data,
            "source_url": self.source_url.data or "",
        }


class NewResourceForm(VersionFields, ResourceForm):
    pass


class VersionForm(VersionFields, FlaskForm):
    version = HiddenField()


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("Attachment"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("PDF, ODT, DOCX or PPTX."),
    )


class AssignForm(FlaskForm):
    email = EmailField(
        _l("Translator's e-mail address"),
        validators=[DataRequired(REQUIRED), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )


class RequestTranslationForm(FlaskForm):
    language = HiddenField()

    def language_code(self) -> str | None:
        return self.language.data if self.language.data in LANGUAGES else None


class TopicForm(OnceForm):
    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(REQUIRED), Length(max=32), SingleLine()],
        description=_l("Lower case, no spaces, e.g. digital-identity. It cannot be changed later."),
    )
    name_es = StringField(
        _l("Name in Spanish"), validators=[DataRequired(REQUIRED), Length(max=80), SingleLine()]
    )
    name_pt_BR = StringField(_l("Name in Portuguese"), validators=[Optional(), Length(max=80), SingleLine()])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=80), SingleLine()])

    def names(self) -> dict[str, str]:
        return {language: getattr(self, f"name_{language}").data or "" for language in LANGUAGES}
