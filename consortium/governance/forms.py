from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from consortium.forms import (
    REQUIRED,
    FlaskForm,
    Link,
    MultiCheckboxField,
    OnceForm,
    PlainText,
    PostForm,
    SelectField,
    SingleLine,
)
from consortium.governance.contribution_models import ContributionKind, Disposition
from consortium.governance.meeting_forms import IN_SPACE_ZONE
from consortium.governance.models import Eligibility, LifecycleStage, Moderation, SeatRole, Sector, SpaceScope
from consortium.governance.records import DigestFrequency
from consortium.governance.services.errors import RationaleRequired
from consortium.i18n import LANGUAGES, language_choices
from consortium.i18n import lazy_gettext as _l
from consortium.reference.countries import country_choices
from consortium.text import WEB_SCHEMES
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
    source = SelectField(
        _l("Start from"),
        validators=[Optional()],
        description=_l("A published document's sections are copied into the draft, where you can edit them."),
    )
    eligibility = RadioField(
        _l("Who can take part"), validators=[DataRequired(REQUIRED)], default=Eligibility.MEMBERS.value
    )
    moderation = RadioField(
        _l("Moderation"), validators=[DataRequired(REQUIRED)], default=Moderation.POST.value
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        self.source.choices = [("", _l("A blank document"))] + [(d.key, d.title) for d in documents]
        self.eligibility.choices = Eligibility.choices()
        self.moderation.choices = Moderation.choices()


class SectionForm(OnceForm):
    heading = StringField(_l("Heading"), validators=[DataRequired(REQUIRED), Length(max=300), SingleLine()])
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=50_000), PlainText()],
        description=_l("Markdown: ## headings, **bold**, lists and links."),
    )
    version = HiddenField()


PERSONALLY = 0  # the "for myself" choice of ``organisation_id``


class ContributionForm(OnceForm):
    kind = SelectField(
        _l("Kind"), validators=[DataRequired(REQUIRED)], default=ContributionKind.COMMENT.value
    )
    body = TextAreaField(
        _l("Your contribution"), validators=[DataRequired(REQUIRED), Length(max=10_000), PlainText()]
    )
    link = StringField(
        _l("Link to the evidence"),
        validators=[Optional(), Length(max=500), SingleLine(), Link()],
        description=_l("Only for evidence: where to read it, for example a report or a data set."),
    )
    language = SelectField(_l("Language of your contribution"), validators=[DataRequired(REQUIRED)])
    organisation_id = SelectField(_l("On behalf of"), coerce=int, default=PERSONALLY)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = ContributionKind.choices()
        self.language.choices = language_choices()
        # only the verified organisations the person belongs to (the policy checks it again)
        self.organisation_id.choices = [
            SelectChoice(PERSONALLY, _l("Myself")),
            *(SelectChoice(o.id, o.name) for o in organisations),
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.link.data and self.kind.data != ContributionKind.EVIDENCE.value:
            self.link.errors = [
                *self.link.errors,
                _l("Only evidence carries a link: choose Evidence or leave it empty."),
            ]
            valid = False
        return valid

    @property
    def organisation(self) -> int | None:
        return self.organisation_id.data or None


class ModerationForm(PostForm):
    reason = TextAreaField(
        _l("Reason for hiding it"),
        validators=[Optional(), Length(max=2000), PlainText()],
        description=_l("Its author reads it; the contribution is kept, hidden, for the record."),
    )


class CosignForm(PostForm):
    organisation_id = SelectField(_l("Co-sign for"), coerce=int, validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [SelectChoice(o.id, o.name) for o in organisations]


#: the browser's datetime-local value first, so a saved time shows again in the field
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class ScheduleForm(FlaskForm):
    opens_at = DateTimeLocalField(
        _l("Opens"), validators=[Optional()], format=LOCAL_FORMATS, description=IN_SPACE_ZONE
    )
    closes_at = DateTimeLocalField(
        _l("Closes"), validators=[Optional()], format=LOCAL_FORMATS, description=IN_SPACE_ZONE
    )
    responses_due_at = DateTimeLocalField(
        _l("Official responses due"),
        validators=[Optional()],
        format=LOCAL_FORMATS,
        description=_l(
            "In the space's time zone. Past it, the contributions still without an approved "
            "response count as each institution's response debt."
        ),
    )

    def fill(self, consultation, zone: str) -> None:
        for name in ("opens_at", "closes_at", "responses_due_at"):
            moment = getattr(consultation, name)
            getattr(self, name).data = (
                moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None
            )

    def moments(self, zone: str) -> dict:
        """The typed local times as aware moments in the space's zone."""
        tz = ZoneInfo(zone)
        return {
            name: getattr(self, name).data.replace(tzinfo=tz) if getattr(self, name).data else None
            for name in ("opens_at", "closes_at", "responses_due_at")
        }


class ResponseForm(OnceForm):
    disposition = SelectField(_l("Response"), validators=[DataRequired(REQUIRED)])
    rationale = TextAreaField(
        _l("Reasons"),
        validators=[Optional(), Length(max=10_000), PlainText()],
        description=_l("Required unless the contribution is accepted. Published with the response."),
    )
    commitment = TextAreaField(
        _l("Commitment"),
        validators=[Optional(), Length(max=5000), PlainText()],
        description=_l("What the institution will do because of it, if anything."),
    )
    commitment_link = URLField(
        _l("Where the commitment is followed"),
        validators=[Optional(), Length(max=500), Link(WEB_SCHEMES)],
        description=_l("For example the address of a roadmap action."),
    )
    also = MultiCheckboxField(
        _l("This response also answers"),
        coerce=int,
        validators=[Optional()],
        description=_l("Similar contributions still without a response."),
    )
    version = HiddenField()

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disposition.choices = Disposition.choices()
        self.also.choices = [SelectChoice(c.id, _other_label(c)) for c in others]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.disposition.data != Disposition.ACCEPTED.value and not (self.rationale.data or "").strip():
            self.rationale.errors = [*self.rationale.errors, RationaleRequired.message]
            valid = False
        return valid


def _other_label(contribution) -> str:
    body = " ".join(contribution.body.split())
    who = contribution.organisation.name if contribution.organisation else ""
    return f"{who}: {body[:120]}" if who else body[:120]


class ApproveForm(FlaskForm):
    """Approving the draft as it was shown: a newer version is refused."""

    version = HiddenField()


class FollowForm(FlaskForm):
    """Follow (or change how often the digest comes); a POST from an old page without the choice is daily."""

    frequency = SelectField(_l("By e-mail"), default=DigestFrequency.DAILY.value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequency.choices = DigestFrequency.choices()  # built per request: in the reader's language
