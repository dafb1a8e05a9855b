"""Forms for meetings (schedule, change, cancel, attendance, minutes and their review) and decisions;
times are typed in the space's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consortium.forms import REQUIRED, Link, MultiCheckboxField, OnceForm, PlainText, SelectField, SingleLine
from consortium.governance.records import DecisionKind, DecisionMethod, MeetingKind
from consortium.i18n import LANGUAGES, language_choices
from consortium.i18n import lazy_gettext as _l
from consortium.reference.principles import principle_choices
from consortium.text import WEB_SCHEMES

IN_SPACE_ZONE = _l("In the space's time zone.")
LOCAL = "%Y-%m-%dT%H:%M"


class MeetingForm(OnceForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300), SingleLine()])
    kind = SelectField(
        _l("Kind of meeting"), validators=[DataRequired(REQUIRED)], default=MeetingKind.PLENARY.value
    )
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=20_000), PlainText()],
        description=_l("Markdown: ## headings, **bold**, lists and links."),
    )
    # the format the browser's datetime-local input sends and shows (a saved time is shown back in it)
    starts_at = DateTimeLocalField(
        _l("Starts"), validators=[DataRequired(REQUIRED)], description=IN_SPACE_ZONE, format=LOCAL
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), validators=[DataRequired(REQUIRED)], description=IN_SPACE_ZONE, format=LOCAL
    )
    online_url = URLField(
        _l("Online link"),
        validators=[Optional(), Length(max=500), Link(WEB_SCHEMES)],
        description=_l("Or a place, or both."),
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300), SingleLine()])
    version = HiddenField()  # the meeting as the page showed it: a change saved meanwhile is not overwritten

    def details(self, zone: str) -> dict:
        """What was typed, as ``schedule_meeting`` and ``update_meeting`` take it: the local times as
        aware moments in the space's zone."""
        tz = ZoneInfo(zone)
        return {
            "title": self.title.data,
            "kind": MeetingKind(self.kind.data),
            "agenda": self.agenda.data or "",
            "starts_at": self.starts_at.data.replace(tzinfo=tz),
            "ends_at": self.ends_at.data.replace(tzinfo=tz),
            "online_url": self.online_url.data or "",
            "place": self.place.data or "",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = MeetingKind.choices()

    def fill(self, meeting, zone: str) -> None:
        """The meeting as saved, its times in the space's zone (as they were typed)."""
        tz = ZoneInfo(zone)
        self.version.data = meeting.version
        self.kind.data = meeting.kind.value
        for name in ("title", "agenda", "online_url", "place"):
            getattr(self, name).data = getattr(meeting, name)
        self.starts_at.data = meeting.starts_at.astimezone(tz).replace(tzinfo=None)
        self.ends_at.data = meeting.ends_at.astimezone(tz).replace(tzinfo=None)


class CancelMeetingForm(OnceForm):
    reason = TextAreaField(
        _l("Why it is cancelled"),
        validators=[DataRequired(REQUIRED), Length(max=2_000), PlainText()],
        description=_l("The followers and the meeting's page are told."),
    )


class MinutesForm(OnceForm):
    minutes_es = TextAreaField(
        _l("Minutes in Spanish"), validators=[Optional(), Length(max=50_000), PlainText()]
    )
    minutes_pt_BR = TextAreaField(
        _l("Minutes in Portuguese"), validators=[Optional(), Length(max=50_000), PlainText()]
    )
    minutes_en = TextAreaField(
        _l("Minutes in English"), validators=[Optional(), Length(max=50_000), PlainText()]
    )

    review_until = DateTimeLocalField(
        _l("Attendees review it until"),
        validators=[DataRequired(REQUIRED)],
        description=_l("In the space's time zone. You approve the minutes after this moment."),
        format=LOCAL,
    )

    def texts(self) -> dict[str, str]:
        return {code: getattr(self, f"minutes_{code}").data or "" for code in LANGUAGES}

    def fill(self, meeting) -> None:
        """The draft under review, else the published minutes (to correct them)."""
        texts = meeting.draft_minutes or meeting.minutes or {}
        for code in LANGUAGES:
            getattr(self, f"minutes_{code}").data = texts.get(code, "")

    def deadline(self, zone: str) -> datetime:
        return self.review_until.data.replace(tzinfo=ZoneInfo(zone))


class MinutesCommentForm(OnceForm):
    body = TextAreaField(
        _l("Your comment on the draft"),
        validators=[DataRequired(REQUIRED), Length(max=1_000), PlainText()],
        description=_l("Up to 1,000 characters. Sending again replaces your comment."),
    )
    is_objection = BooleanField(_l("I object to the draft as it stands"))


class AttendanceForm(OnceForm):
    seats = MultiCheckboxField(_l("Present"), coerce=int, validators=[Optional()])

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seats.choices = [SelectChoice(s.id, _seat_label(s)) for s in seats]


def _seat_label(seat) -> str:
    return f"{seat.user.name} · {seat.organisation.name} · {seat.sector.label}"


class DecisionForm(OnceForm):
    kind = SelectField(
        _l("Kind of decision"),
        choices=[SelectChoice(k.value, k.label) for k in DecisionKind],
        default=DecisionKind.RESOLUTION.value,
    )
    method = SelectField(
        _l("How it was reached"),
        choices=[SelectChoice(m.value, m.label) for m in DecisionMethod],
        default=DecisionMethod.CONSENSUS.value,
        description=_l("By vote, mark each seat's position; a consensus has no seat opposed."),
    )
    text = TextAreaField(_l("Decision"), validators=[DataRequired(REQUIRED), Length(max=10_000), PlainText()])
    rationale = TextAreaField(
        _l("Rationale"), validators=[DataRequired(REQUIRED), Length(max=20_000), PlainText()]
    )
    language = SelectField(_l("Language of the text"), validators=[DataRequired(REQUIRED)])
    meeting_id = SelectField(_l("Taken at"), coerce=int, validators=[Optional()])
    supported = MultiCheckboxField(_l("Seats that supported it"), coerce=int, validators=[Optional()])
    opposed = MultiCheckboxField(_l("Seats that opposed it"), coerce=int, validators=[Optional()])
    abstained = MultiCheckboxField(_l("Seats that abstained"), coerce=int, validators=[Optional()])
    dissent = TextAreaField(
        _l("Dissent"),
        validators=[Optional(), Length(max=10_000), PlainText()],
        description=_l("The view of the seats that opposed it or stood aside, in their words."),
    )
    contributions = MultiCheckboxField(_l("Contributions it answers"), coerce=int, validators=[Optional()])
    principles = MultiCheckboxField(_l("Framework principles it concerns"), validators=[Optional()])
    validates = SelectField(
        _l("A validation decision: it validates"),
        description=_l("A document of this space's DPI system waiting for validation (a pilot's roadmap)."),
        validate_choice=False,  # the service says in words when the document cannot be validated
        validators=[Optional()],
    )

    def __init__(self, *args, seats=(), meetings=(), contributions=(), validatable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        self.meeting_id.choices = [SelectChoice(0, _l("No meeting (on its own)"))] + [
            SelectChoice(m.id, m.title) for m in meetings
        ]
        for field in (self.supported, self.opposed, self.abstained):
            field.choices = [SelectChoice(s.id, _seat_label(s)) for s in seats]
        self.contributions.choices = [SelectChoice(c.id, f"#{c.id} · {c.body[:80]}") for c in contributions]
        self.principles.choices = principle_choices()
        self.validates.choices = [SelectChoice("", _l("Nothing: not a validation decision"))] + [
            SelectChoice(v.key, v.label) for v in validatable
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = [seat for f in (self.supported, self.opposed, self.abstained) for seat in f.data or []]
        if len(chosen) != len(set(chosen)):
            self.supported.errors = [*self.supported.errors, _l("Each seat takes one position only.")]
            valid = False
        return valid
