"""The roadmap pages' forms: the prioritising page, an action, a milestone, a state change, a revision."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from consortium.forms import (
    REQUIRED,
    FlaskForm,
    Link,
    MultiCheckboxField,
    OnceForm,
    PlainText,
    SelectField,
    SingleLine,
)
from consortium.i18n import LANGUAGES, language_label
from consortium.i18n import lazy_gettext as _l
from safeguards.roadmap.actions import MAX_REASON, MAX_TEXT, MAX_TITLE, ActionInput
from safeguards.roadmap.candidates import Candidate
from safeguards.roadmap.models import COMPLETION, RESULTS, Action, ActionState
from safeguards.roadmap.planning import MAX_CHANGELOG, MAX_RATIONALE, Rating
from safeguards.roadmap.reviews import MAX_JUSTIFICATION
from safeguards.roadmap.tracking import MAX_NARRATIVE

LEVEL_LABELS = {"1": _l("1 · Low"), "2": _l("2 · Medium"), "3": _l("3 · High")}


def _level_field(label):
    return SelectField(
        label,
        validate_choice=False,  # AnyOf says what is wrong in words
        choices=[SelectChoice("", _l("Not rated")), *(SelectChoice(k, v) for k, v in LEVEL_LABELS.items())],
        validators=[Optional(), AnyOf(list(LEVEL_LABELS), _l("Choose 1, 2 or 3."))],
    )


class CandidateForm(FlaskForm):
    """One candidate's row; the page's ``PrioritiesForm`` carries the CSRF token."""

    class Meta:
        csrf = False

    urgency = _level_field(_l("Urgency"))
    feasibility = _level_field(_l("Feasibility"))
    is_selected = BooleanField(_l("A priority"))
    rationale = TextAreaField(
        _l("Why it is a priority"), validators=[Optional(), Length(max=MAX_RATIONALE), PlainText()]
    )


def _level(value) -> int | None:
    return int(value) if value in LEVEL_LABELS else None


class PrioritiesForm(FlaskForm):
    save = SubmitField(_l("Save the priorities"))

    def __init__(self, found: list[Candidate], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {}
        for candidate in found:
            rating = candidate.rating
            data = {}
            if rating is not None:
                data = {
                    "urgency": str(rating.urgency or ""),
                    "feasibility": str(rating.feasibility or ""),
                    "is_selected": rating.is_selected,
                    "rationale": rating.rationale,
                }
            self.rows[candidate.code] = CandidateForm(
                *args, prefix=f"p{candidate.item.process.id}", data=data
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rows = [form.validate() for form in self.rows.values()]
        return valid and all(rows)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(form.errors for form in self.rows.values())

    def ratings(self) -> list[Rating]:
        return [
            Rating(
                code,
                _level(f.urgency.data),
                _level(f.feasibility.data),
                bool(f.is_selected.data),
                f.rationale.data or "",
            )
            for code, f in self.rows.items()
        ]

    def mark(self, errors: dict[str, dict[str, str]]) -> None:
        for code, fields in errors.items():
            for name, message in fields.items():
                self.rows[code][name].errors = [str(message)]


class ActionForm(OnceForm):
    title_es = StringField(
        _l("Title in Spanish"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()]
    )
    title_pt_BR = StringField(
        _l("Title in Portuguese"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()]
    )
    title_en = StringField(
        _l("Title in English"), validators=[Optional(), Length(max=MAX_TITLE), SingleLine()]
    )
    description_es = TextAreaField(
        _l("Description in Spanish"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    description_pt_BR = TextAreaField(
        _l("Description in Portuguese"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    description_en = TextAreaField(
        _l("Description in English"), validators=[Optional(), Length(max=MAX_TEXT), PlainText()]
    )
    processes = MultiCheckboxField(_l("Processes it addresses"), validators=[Optional()])
    principles = MultiCheckboxField(_l("Principles it addresses"), validators=[Optional()])
    risks = MultiCheckboxField(_l("Risks it addresses"), validators=[Optional()])
    authority = SelectField(_l("Responsible authority"), validators=[DataRequired(REQUIRED)])
    owner = SelectField(_l("Owner organisation"), coerce=int, validators=[DataRequired(REQUIRED)])
    co_owners = MultiCheckboxField(_l("Co-owners"), coerce=int, validators=[Optional()])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    measurable_outcome = TextAreaField(
        _l("Measurable outcome"),
        description=_l("What anyone can check once it is done: a figure, a published document, a decision."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText()],
    )
    is_verifiable = BooleanField(_l("Its completion can be verified independently"))
    version = HiddenField()
    save = SubmitField(_l("Save the action"))

    def __init__(self, idx, processes, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processes.choices = [SelectChoice(p.code, f"{p.display_code}") for p in processes]
        self.principles.choices = [SelectChoice(p.code, f"{p.code} · {p.label}") for p in idx.principles]
        self.risks.choices = [SelectChoice(r.code, f"{r.code} · {r.label}") for r in idx.risks]
        self.authority.choices = [SelectChoice(a.code, f"{a.code} · {a.label}") for a in idx.authorities]
        owners = [SelectChoice(o.id, o.name) for o in organisations]
        self.owner.choices = [SelectChoice(0, _l("Choose an organisation")), *owners]
        self.co_owners.choices = owners

    def fill(self, action: Action) -> None:
        for lang in LANGUAGES:
            getattr(self, f"title_{lang}").data = action.title.get(lang, "")
            getattr(self, f"description_{lang}").data = action.description.get(lang, "")
        self.processes.data, self.principles.data, self.risks.data = (
            action.processes,
            action.principles,
            action.risks,
        )
        self.authority.data, self.owner.data = action.authority, action.owner_id
        self.co_owners.data = [o.id for o in action.co_owners]
        self.starts_on.data, self.due_on.data = action.starts_on, action.due_on
        self.measurable_outcome.data, self.is_verifiable.data = (
            action.measurable_outcome,
            action.is_verifiable,
        )
        self.version.data = str(action.version)

    def values(self) -> ActionInput:
        return ActionInput(
            title={lang: getattr(self, f"title_{lang}").data or "" for lang in LANGUAGES},
            description={lang: getattr(self, f"description_{lang}").data or "" for lang in LANGUAGES},
            authority=self.authority.data,
            owner_id=self.owner.data or 0,
            co_owner_ids=list(self.co_owners.data or []),
            processes=list(self.processes.data or []),
            principles=list(self.principles.data or []),
            risks=list(self.risks.data or []),
            starts_on=self.starts_on.data,
            due_on=self.due_on.data,
            measurable_outcome=self.measurable_outcome.data or "",
            is_verifiable=bool(self.is_verifiable.data),
        )

    def mark(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            target = self._fields.get(name, self.title_es)
            target.errors = [*(target.errors or []), str(message)]


def language_names() -> dict[str, str]:
    return {lang: language_label(lang) for lang in LANGUAGES}


class MilestoneForm(OnceForm):
    title = StringField(
        _l("Milestone"), validators=[DataRequired(REQUIRED), Length(max=MAX_TITLE), SingleLine()]
    )
    due_on = DateField(_l("Due date"), validators=[Optional()])
    add = SubmitField(_l("Add the milestone"))


class MilestoneDoneForm(FlaskForm):
    done = HiddenField(validators=[AnyOf(["0", "1"])])


class StateForm(FlaskForm):
    to = SelectField(_l("New state"), validators=[DataRequired(REQUIRED)])
    expected = HiddenField(validators=[AnyOf([s.value for s in ActionState])])
    reason = TextAreaField(
        _l("Reason (needed to drop it; shown publicly)"),
        validators=[Optional(), Length(max=MAX_REASON), PlainText()],
    )
    change = SubmitField(_l("Change the state"))

    def __init__(self, action: Action, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to.choices = [SelectChoice(s.value, s.label) for s in choices]
        if not self.expected.data:
            self.expected.data = action.state.value


class ReviseForm(FlaskForm):
    changelog = TextAreaField(
        _l("What the new version changes"),
        description=_l("Goes into the roadmap's changelog when the new version is validated."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_CHANGELOG), PlainText()],
    )
    start = SubmitField(_l("Start a new version"))


class UpdateForm(OnceForm):
    narrative = TextAreaField(
        _l("What happened"),
        description=_l("Shown on the public tracker once the roadmap is public: write nothing private."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_NARRATIVE), PlainText()],
    )
    links = TextAreaField(
        _l("Links to evidence"),
        description=_l("One address a line."),
        validators=[Optional(), Length(max=MAX_TEXT), PlainText(), Link(many=True)],
    )
    to = SelectField(_l("State after this update"), validators=[Optional()])
    expected = HiddenField(validators=[AnyOf([s.value for s in ActionState])])
    file = FileField(_l("A file as evidence (optional)"))
    post = SubmitField(_l("Post the update"))

    def __init__(self, action: Action, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = SelectChoice("", _l("Keep it %(state)s", state=action.state.label))
        self.to.choices = [
            keep,
            *(SelectChoice(s.value, s.label) for s in choices if s is not ActionState.DROPPED),
        ]
        if not self.expected.data:
            self.expected.data = action.state.value


def _scale_field(label, labels, message):
    return SelectField(
        label,
        validate_choice=False,  # AnyOf says what is wrong in words
        choices=[
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(str(k), f"{k} · {v}") for k, v in labels.items()),
        ],
        validators=[DataRequired(message), AnyOf([str(k) for k in labels], message)],
    )


class RatingForm(FlaskForm):
    """An independent reviewer's rating; sent again, it replaces the reviewer's current one."""

    completion = _scale_field(_l("Completion"), COMPLETION, _l("Choose how complete the action is."))
    results = _scale_field(_l("Early results"), RESULTS, _l("Choose what the action achieved so far."))
    justification = TextAreaField(
        _l("Why this rating"),
        description=_l("A few sentences; shown publicly with your organisation's name."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_JUSTIFICATION), PlainText()],
    )
    rate = SubmitField(_l("Save the rating"))

    def fill(self, rating) -> None:
        self.completion.data, self.results.data = str(rating.completion), str(rating.results)
        self.justification.data = rating.justification


class ReviewerForm(FlaskForm):
    email = StringField(
        _l("Reviewer's e-mail address"),
        description=_l("The person needs an account on the platform."),
        validators=[DataRequired(REQUIRED), Length(max=254), SingleLine()],
    )
    organisation = SelectField(
        _l("For the organisation"),
        description=_l("Shown beside their ratings; they cannot rate this organisation's actions."),
        validate_choice=False,
        validators=[DataRequired(REQUIRED)],
    )
    add = SubmitField(_l("Name the reviewer"))

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(o.id), o.name) for o in organisations
        ]
