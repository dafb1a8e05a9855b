from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

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
from consortium.reference.countries import country_choices
from consortium.reference.principles import principle_choices
from consortium.text import WEB_SCHEMES, is_link
from consortium.timezones import canonical_zone, main_zone, timezone_choices
from trainings.models import (
    ApprovalMode,
    AudienceKind,
    Modality,
    RegistrationState,
    ReportStatus,
    TrainingTopic,
)
from trainings.schedule import ScheduleError, refuse_overlaps, refuse_past, session_line

# "2026-12-01 14:00-16:00", or with the end's own date for a session past midnight
# ("2026-12-01 23:00-2026-12-02 01:00")
SESSION_LINE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-\u2013]\s*(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})\s*$"
)


def _optional_int(value):
    """A select's value as a number, or None for "all" (an empty choice) and anything unreadable."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def parse_sessions(text: str, zone: str) -> list[tuple[datetime, datetime]]:
    """Lines like ``2026-12-01 14:00-16:00`` in the training's zone, to UTC-aware pairs, sorted.

    Refuses, with a translated message naming the line: a line in another shape, a date or time that does
    not exist (2026-13-01, 25:00), a session that ends before it starts, and sessions that repeat or overlap.
    """
    tz = ZoneInfo(zone)
    sessions: list[tuple[datetime, datetime, str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        line = line.strip()
        match = SESSION_LINE.match(line)
        if not match:
            raise ScheduleError(
                _l("Write each session as 2026-12-01 14:00-16:00 (this line is not: %(line)s)", line=line)
            )
        day, start, end_day, end = match.groups()
        try:
            starts = datetime.fromisoformat(f"{day} {start:0>5}").replace(tzinfo=tz)
            ends = datetime.fromisoformat(f"{end_day or day} {end:0>5}").replace(tzinfo=tz)
        except ValueError:
            raise ScheduleError(_l("This date or time does not exist: %(line)s", line=line)) from None
        if ends <= starts:
            raise ScheduleError(_l("This session ends before it starts: %(line)s", line=line))
        sessions.append((starts, ends, line))
    refuse_overlaps(sessions)
    return sorted((start, end) for start, end, _line in sessions)


def format_sessions(sessions, zone: str) -> str:
    tz = ZoneInfo(zone)
    lines = []
    for session in sessions:
        start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
        lines.append(session_line(start, end))
    return "\n".join(lines)


class TrainingForm(OnceForm):
    language = SelectField(_l("Written in"), description=_l("The language you fill in first."))
    title_es = StringField(_l("Title (Spanish)"), validators=[Optional(), Length(max=200), SingleLine()])
    title_pt_BR = StringField(
        _l("Title (Portuguese)"), validators=[Optional(), Length(max=200), SingleLine()]
    )
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200), SingleLine()])
    summary_es = TextAreaField(_l("Summary (Spanish)"), validators=[Optional(), Length(max=600), PlainText()])
    summary_pt_BR = TextAreaField(
        _l("Summary (Portuguese)"), validators=[Optional(), Length(max=600), PlainText()]
    )
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Optional(), Length(max=600), PlainText()])
    description_es = TextAreaField(
        _l("Description (Spanish)"), validators=[Optional(), Length(max=10000), PlainText()]
    )
    description_pt_BR = TextAreaField(
        _l("Description (Portuguese)"), validators=[Optional(), Length(max=10000), PlainText()]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=10000), PlainText()]
    )
    topics = MultiCheckboxField(_l("Topics"), validators=[Optional()])
    principles = MultiCheckboxField(_l("Safeguards principles addressed"), validators=[Optional()])
    modality = SelectField(_l("Modality"))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300), SingleLine()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120), SingleLine()])
    country = SelectField(_l("Country"), validators=[Optional()])
    online_url = URLField(
        _l("Online meeting link"),
        validators=[Optional(), Length(max=500), Link(WEB_SCHEMES)],
        description=_l("Shown only to confirmed participants."),
    )
    timezone = SelectField(_l("Time zone"), validators=[DataRequired(REQUIRED)])
    sessions = TextAreaField(
        _l("Sessions"),
        validators=[DataRequired(REQUIRED), PlainText()],
        description=_l(
            "One session per line, in the training's time zone, e.g. 2026-12-01 14:00-16:00;"
            " past midnight, 2026-12-01 23:00-2026-12-02 01:00"
        ),
    )
    instruction_language = SelectField(_l("Language of instruction"))
    capacity = IntegerField(
        _l("Seats"), validators=[DataRequired(REQUIRED), NumberRange(min=1, max=10000)], default=25
    )
    seats_per_organisation = IntegerField(
        _l("Seats per organisation"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Leave empty for no limit."),
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"), validators=[Optional()], description=_l("In the training's time zone.")
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), validators=[Optional()], description=_l("In the training's time zone.")
    )
    approval = SelectField(_l("Approval"))
    organiser_id = SelectField(_l("Organiser"), coerce=int)
    trainers = StringField(_l("Trainers"), validators=[Optional(), Length(max=500), SingleLine()])
    completion_percent = IntegerField(
        _l("Share of sessions to attend for a certificate (%)"),
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=100)],
        default=75,
    )
    version = HiddenField()

    def __init__(self, *args, organisers=(), existing_sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_sessions = {(_minute(s.starts_at), _minute(s.ends_at)) for s in existing_sessions}
        self.language.choices = language_choices()
        self.instruction_language.choices = language_choices()
        self.topics.choices = TrainingTopic.choices()
        self.principles.choices = principle_choices()
        self.modality.choices = Modality.choices()
        self.country.choices = [SelectChoice("", _l("No country (online)")), *country_choices()]
        first = organisers[0] if organisers else None
        if not self.timezone.data and first is not None:  # a new training starts in its organiser's zone
            self.timezone.data = canonical_zone(first.timezone) or main_zone(first.country)
        self.timezone.choices = timezone_choices(first.country if first else None, current=self.timezone.data)
        self.approval.choices = ApprovalMode.choices()
        self.organiser_id.choices = [SelectChoice(o.id, o.name) for o in organisers]
        self.parsed_sessions: list[tuple[datetime, datetime]] = []

    def validate_title_es(self, field):
        if not any(getattr(self, f"title_{code}").data for code in LANGUAGES):
            raise ValidationError(_l("Give a title in at least one language."))

    def validate_sessions(self, field):
        try:
            self.parsed_sessions = parse_sessions(field.data, self.timezone.data or "UTC")
        except ScheduleError as error:
            raise ValidationError(str(error.args[0])) from None
        if not self.parsed_sessions:
            raise ValidationError(REQUIRED)
        try:  # sessions already held may stay when a training is edited (the form has minutes only)
            refuse_past(self.parsed_sessions, self.existing_sessions)
        except ScheduleError as error:
            raise ValidationError(str(error.args[0])) from None

    def validate_registration_opens_at(self, field):
        self._before_first_session(field, _l("Registration must open before the first session starts."))

    def validate_registration_closes_at(self, field):
        if field.data and self.registration_opens_at.data and field.data <= self.registration_opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))
        self._before_first_session(
            field,
            _l("Registration closes when the first session starts at the latest; choose an earlier time."),
        )

    def _before_first_session(self, field, message):
        # Sessions are validated first (declared earlier), so parsed_sessions is set when they are valid.
        moment = self.local_to_utc(field.data)
        if moment and self.parsed_sessions and moment > self.parsed_sessions[0][0]:
            raise ValidationError(message)

    def local_to_utc(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=ZoneInfo(self.timezone.data or "UTC"))

    def translated(self, name: str) -> dict[str, str]:
        return {
            code: getattr(self, f"{name}_{code}").data.strip()
            for code in LANGUAGES
            if getattr(self, f"{name}_{code}").data
        }


class RegistrationForm(OnceForm):
    person_id = SelectField(_l("Who takes part"), coerce=int)
    organisation_id = SelectField(_l("On behalf of"), coerce=int)
    motivation = TextAreaField(
        _l("Why do you want to take part?"), validators=[Optional(), Length(max=2000), PlainText()]
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        validators=[Optional(), Length(max=1000), PlainText()],
        description=_l("For example captions, sign language, step-free access."),
    )
    dietary_needs = TextAreaField(
        _l("Dietary needs"),
        validators=[Optional(), Length(max=500), PlainText()],
        description=_l("For in-person days."),
    )

    def __init__(self, *args, people=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = [SelectChoice(p.id, p.name) for p in people]
        self.organisation_id.choices = [_organisation_choice(o) for o in organisations]


def _organisation_choice(organisation) -> SelectChoice:
    """Unverified organisations are shown but cannot be chosen: nobody registers on their behalf."""
    if organisation.is_verified:
        return SelectChoice(organisation.id, organisation.name)
    label = _l("%(name)s (awaiting verification)", name=organisation.name)
    return SelectChoice(organisation.id, label, render_kw={"disabled": True})


class RegistrantFilterForm(ListFilterForm):
    state = SelectField(_l("State"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    q = StringField(_l("Name or organisation"), validators=[Optional(), Length(max=100), SingleLine()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [SelectChoice("", _l("All states")), *RegistrationState.choices()]
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]


class RevokeForm(FlaskForm):
    reason = StringField(
        _l("Why is it revoked?"),
        validators=[DataRequired(REQUIRED), Length(max=500), SingleLine()],
        description=_l("Shown to anyone who checks the certificate."),
    )


class CatalogueFilterForm(ListFilterForm):
    topic = SelectField(_l("Topic"), validators=[Optional()])
    modality = SelectField(_l("Modality"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [SelectChoice("", _l("All topics")), *TrainingTopic.choices()]
        self.modality.choices = [SelectChoice("", _l("All modalities")), *Modality.choices()]
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]
        self.language.choices = [SelectChoice("", _l("All languages")), *language_choices()]


class ReportForm(OnceForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    held_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    country = SelectField(_l("Country"), validators=[DataRequired(REQUIRED)])
    language = SelectField(_l("Language"), validators=[DataRequired(REQUIRED)])
    audience_kind = SelectField(_l("Audience"), validators=[DataRequired(REQUIRED)])
    participants = IntegerField(
        _l("Participants"), validators=[DataRequired(REQUIRED), NumberRange(min=1, max=100000)]
    )
    topics = MultiCheckboxField(_l("Topics"), validators=[Optional()])
    resources = TextAreaField(
        _l("Library resources used"),
        validators=[Optional(), Length(max=4000), PlainText()],
        description=_l("One per line: a title, or a title and its address separated by |"),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000), PlainText()])
    version = HiddenField()

    def __init__(self, *args, organisations=(), date_error=None, **kwargs):
        """``date_error(organisation_id, held_on)`` says why a date cannot be the report's, or None."""
        super().__init__(*args, **kwargs)
        self.date_error = date_error
        self.organisation_id.choices = [SelectChoice(o.id, o.name) for o in organisations]
        self.country.choices = [SelectChoice("", _l("Choose a country")), *country_choices()]
        self.language.choices = language_choices()
        self.audience_kind.choices = AudienceKind.choices()
        self.topics.choices = TrainingTopic.choices()

    def validate_held_on(self, field):
        error = self.date_error and field.data and self.date_error(self.organisation_id.data, field.data)
        if error:
            raise ValidationError(error)

    def resource_list(self) -> list[dict[str, str]]:
        resources = []
        for line in (self.resources.data or "").splitlines():
            if not line.strip():
                continue
            title, _sep, url = line.partition("|")
            url = url.strip()
            if url and not is_link(url, WEB_SCHEMES):
                url = ""
            resources.append({"title": title.strip()[:300], "url": url[:500]})
        return resources


class RejectReportForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the report rejected?"),
        validators=[DataRequired(REQUIRED), Length(max=2000), PlainText()],
        description=_l("The organisation reads this and can correct the report."),
    )


class ReportListForm(ListFilterForm):
    status = SelectField(_l("Status"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", _l("All reports")), *ReportStatus.choices()]


class ReachFilterForm(ListFilterForm):
    year = SelectField(_l("Year"), validators=[Optional()], coerce=_optional_int)
    country = SelectField(_l("Country"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()], coerce=_optional_int)

    def __init__(self, *args, years=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [SelectChoice("", _l("All years")), *(SelectChoice(y, str(y)) for y in years)]
        self.country.choices = [SelectChoice("", _l("All countries")), *country_choices()]
        self.organisation.choices = [
            SelectChoice("", _l("All organisations")),
            *(SelectChoice(o.id, o.name) for o in organisations),
        ]
