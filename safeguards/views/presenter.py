"""What the assessment pages show, computed once per page: the wizard's steps and items, scores per
cycle, the weakest items and the chart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from consortium.i18n import current_language
from consortium.mail import public_url
from consortium.permissions import Permission, can
from safeguards import evidence, history, scoring, services, threads
from safeguards import framework as fw
from safeguards.models import AnswerStatus, Assessment, AssessmentState

FEW_ITEMS = 3
_URL_SAFE = re.compile(r"[A-Za-z0-9._-]+")  # a framework code that url_for would leave as it is
#: States reached through a reviewers' decision: from then on the reviewed figures mean something.
DECIDED = frozenset(
    {
        AssessmentState.CHANGES_REQUESTED,
        AssessmentState.APPROVED,
        AssessmentState.PUBLISHED,
        AssessmentState.WITHDRAWN,
    }
)


MAX_FRAGMENTS = 20_000


class Wizard:
    """What every wizard page needs, in a fixed number of queries: steps, progress and items."""

    def __init__(self, assessment: Assessment, *, with_users: bool = False):
        self.assessment = assessment
        self.idx = fw.index(assessment.framework_id)
        self.items = services.items(assessment, self.idx, with_users=with_users)
        self.in_scope = [item for item in self.items if item.in_scope]
        self._steps: list[dict] | None = None
        self._code_urls: dict[tuple, str] = {}

    def intro(self, item: services.Item) -> Markup:
        """What ``item`` says before its answer (``_item_intro.html``). A step shows 24 of them, the same
        for every assessment with the same scope, so each is rendered once per worker, language and
        framework revision (about a tenth of the step's time)."""
        reason = item.reason
        key = (
            "intro",
            current_language(),
            item.process.id,
            reason
            and (
                tuple(reason.authorities),
                tuple(reason.inferred),
                tuple(reason.stages),
                reason.no_authority,
                reason.no_stage,
            ),
        )
        fragments = self.idx.fragments
        fragment = fragments.get(key)
        if fragment is None:
            if len(fragments) > MAX_FRAGMENTS:  # scopes are few; this only bounds the worst case
                fragments.clear()
            html = render_template("safeguards/_item_intro.html", process=item.process, reason=reason)
            fragment = fragments[key] = Markup(html)  # noqa: S704 - a template's autoescaped output
        return fragment

    @cached_property
    def _item_records(self) -> tuple[dict, dict]:
        # read together, so every wizard page runs the same queries whether or not its items show them
        return threads.of_assessment(self.assessment), evidence.of_assessment(self.assessment)

    @property
    def threads(self) -> dict:
        """The items' threads by answer id, read once per page (``safeguards/_item_thread.html``)."""
        return self._item_records[0]

    @property
    def evidence(self) -> dict:
        """The items' evidence files by answer id, read once per page."""
        return self._item_records[1]

    def files_by_item(self, files) -> list[tuple[services.Item, list]]:
        """Evidence files under their items, in the framework's order."""
        by_answer: dict[int, list] = {}
        for file in files:
            by_answer.setdefault(file.answer_id, []).append(file)
        return [(item, by_answer[item.answer.id]) for item in self.items if item.answer.id in by_answer]

    def public_files(self) -> list[tuple[services.Item, list]]:
        """The files everyone may download, by item: none before publication."""
        if self.assessment.state is not AssessmentState.PUBLISHED:
            return []  # and no query
        published = (f for files in self.evidence.values() for f in files)
        return self.files_by_item(f for f in published if evidence.is_published(f, self.assessment))

    def public_file_data(self) -> list[dict]:
        """The public files for the open data: item, name, type, size and an absolute link."""
        return [
            {
                "process": item.process.code,
                "name": f.file.filename,
                "content_type": f.file.content_type,
                "size": f.file.size,
                "url": public_url(
                    "safeguards.download_evidence",
                    assessment_id=self.assessment.id,
                    file_id=f.id,
                    name=f.file.filename,
                ),
            }
            for item, item_files in self.public_files()
            for f in item_files
        ]

    @cached_property
    def changes(self) -> tuple[int | None, dict]:
        """(submission compared with, what changed by answer id) for this round (``history``)."""
        return history.since_last_submission(self.assessment)

    def with_open_threads(self, group: list[services.Item] | None = None) -> list[services.Item]:
        group = self.in_scope if group is None else group
        return [item for item in group if (t := self.threads.get(item.answer.id)) is not None and t.is_open]

    def items_of(self, code: str) -> list[services.Item]:
        return self._in_scope_by_principle.get(code, [])

    @cached_property
    def _in_scope_by_principle(self) -> dict[str, list[services.Item]]:
        # grouped once: the steps ask for every principle's items, and each asking scanned them all
        grouped: dict[str, list[services.Item]] = {}
        for item in self.in_scope:
            grouped.setdefault(item.process.principle, []).append(item)
        return grouped

    def item_url(self, process: str, back: str) -> str:
        """An item's page (the items' links differ only in the code)."""
        return self._code_url("safeguards.item", "process", process, back=back)

    def _code_url(self, endpoint: str, argument: str, code: str, **values) -> str:
        """``endpoint``'s address for a framework ``code``: one url_for per page and endpoint, the code
        put in afterwards, as a step's many links differ only in it."""
        if not _URL_SAFE.fullmatch(code):
            return url_for(endpoint, assessment_id=self.assessment.id, **{argument: code}, **values)
        key = (endpoint, *values.items())
        if key not in self._code_urls:
            self._code_urls[key] = url_for(
                endpoint, assessment_id=self.assessment.id, **{argument: "--code--"}, **values
            )
        return self._code_urls[key].replace("--code--", code, 1)

    @cached_property
    def may_discuss(self) -> bool:
        """Whether the reader may reply on the items' threads: asked once per page, not once per item."""
        return can(Permission.SAFEGUARDS_DISCUSS, self.assessment)

    def steps(self) -> list[dict]:
        """The wizard's steps with their progress; worked out once per page (the navigation and the
        previous/next links both read them), so views call it only after saving."""
        if self._steps is None:
            self._steps = self._work_out_steps()
        return self._steps

    def _work_out_steps(self) -> list[dict]:
        steps = [
            {
                "code": "scope",
                "label": _("Scope"),
                "url": url_for("safeguards.scope", assessment_id=self.assessment.id),
                "complete": self.assessment.has_scope,
                "count": None,
            }
        ]
        for principle in self.idx.principles:
            group = self.items_of(principle.code)
            answered = sum(1 for item in group if scoring.is_answered(item.answer.status.value))
            steps.append(
                {
                    "code": principle.code,
                    "label": f"{principle.code} · {principle.label}",
                    "name": principle.label,
                    "url": self._code_url("safeguards.step", "code", principle.code),
                    "complete": self.assessment.has_scope and bool(group) and answered == len(group),
                    "count": len(group),
                    "answered": answered,
                    "open_threads": len(self.with_open_threads(group)),
                }
            )
        steps.append(
            {
                "code": "submit",
                "label": _("Review and submit"),
                "url": url_for("safeguards.submit", assessment_id=self.assessment.id),
                "complete": self.assessment.state
                not in (AssessmentState.DRAFT, AssessmentState.CHANGES_REQUESTED),
                "count": None,
            }
        )
        return steps

    def progress(self) -> tuple[int, int]:
        answered = sum(1 for item in self.in_scope if scoring.is_answered(item.answer.status.value))
        return answered, len(self.in_scope)

    def neighbours(self, code: str) -> tuple[str | None, str | None]:
        steps = self.steps()
        position = next(i for i, s in enumerate(steps) if s["code"] == code)
        previous = steps[position - 1]["url"] if position > 0 else None
        following = steps[position + 1]["url"] if position + 1 < len(steps) else None
        return previous, following


def has_review(assessment: Assessment, items: list[services.Item]) -> bool:
    """Whether reviewers have had their say: a decision, or a reviewed rating saved on some item."""
    return assessment.state in DECIDED or any(i.answer.reviewed_rating is not None for i in items)


@dataclass(frozen=True)
class SubmissionSummary:
    """What the team is about to hand to the reviewers, counted over the items in scope."""

    total: int
    rated: int
    not_applicable: int
    unknown: int
    unanswered: list[services.Item]
    open_threads: int

    @property
    def answered(self) -> int:
        return self.rated + self.not_applicable


def submission_summary(wizard: Wizard) -> SubmissionSummary:
    statuses = [item.answer.status for item in wizard.in_scope]
    return SubmissionSummary(
        total=len(statuses),
        rated=statuses.count(AnswerStatus.RATED),
        not_applicable=statuses.count(AnswerStatus.NOT_APPLICABLE),
        unknown=statuses.count(AnswerStatus.UNKNOWN),
        unanswered=[i for i in wizard.in_scope if i.answer.status is AnswerStatus.UNANSWERED],
        open_threads=len(wizard.with_open_threads()),  # the threads the page loaded: no extra query
    )


def cycle_scores(
    assessments: list[Assessment], known=None
) -> list[tuple[Assessment, scoring.Scores, scoring.Scores]]:
    """Scores per cycle; ``known`` = (assessment id, index, self, reviewed) already computed by the page."""
    result = []
    indexes: dict[int, fw.FrameworkIndex] = {}
    if known is not None:
        indexes[known[1].framework.id] = known[1]
    for assessment in assessments:
        if known is not None and assessment.id == known[0]:
            result.append((assessment, known[2], known[3]))
            continue
        if assessment.framework_id not in indexes:
            indexes[assessment.framework_id] = fw.index(assessment.framework_id)
        idx = indexes[assessment.framework_id]
        self_, reviewed = services.scores(idx, services.items(assessment, idx))
        result.append((assessment, self_, reviewed))
    return result


def weakest(wizard: Wizard, limit: int = 5) -> list[tuple[services.Item, int]]:
    valued = []
    for item in wizard.in_scope:
        answer = item.answer
        rating = answer.reviewed_rating if answer.reviewed_rating is not None else answer.rating
        status = "rated" if answer.reviewed_rating is not None else answer.status.value
        value = scoring.item_value(status, rating)
        if value is not None and value < 3:
            valued.append((item, value))
    return sorted(valued, key=lambda pair: (pair[1], pair[0].process.code))[:limit]


def chart(idx: fw.FrameworkIndex, self_: scoring.Scores, reviewed: scoring.Scores | None) -> dict:
    """Bars per principle; ``reviewed`` is None before any review (the chart then has one series)."""
    row = 22
    return {
        "reviewed": reviewed is not None,
        "row": row,
        "height": row * len(idx.principles) + 24,
        "bars": [
            {
                "code": p.code,
                "y": 12 + i * row,
                "self": self_.principles.get(p.code),
                "reviewed": reviewed.principles.get(p.code) if reviewed else None,
            }
            for i, p in enumerate(idx.principles)
        ],
    }
